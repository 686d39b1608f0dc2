"""One list wherever its pieces run (issue 32): the state in a real
PostgreSQL, shared by two copies of the data folder as two hosts would
share it. An unsubscribe made on one host's `digest serve` is honoured by
the other's send; a month sent from both at once reaches everyone once;
`kill -9` during a send, again and again, misses nobody; the database
stopped and started during a send loses and repeats nothing."""

import os
import random
import signal
import socket
import subprocess
import threading
import time
from collections import Counter

from conftest import DIGEST, ROOT
from postgres_cluster import PASSWORD
from relay import Relay
from test_send import MONTH, SECRET, subscribed, workspace
from test_send import PASSWORD as RELAY_PASSWORD
from test_serve import link, local, outbox, prepare, request, serving


def host(tmp_path, name, relay=None, **options):
    """One host's copy of the sample data (its own output folder)."""
    folder = tmp_path / name
    folder.mkdir()
    return workspace(folder, relay, **options)


def environment(url, **more):
    values = dict(os.environ, DIGEST_STATE=url, PGPASSWORD=PASSWORD, DIGEST_UNSUBSCRIBE_SECRET=SECRET,
                  DIGEST_SMTP_PASSWORD=RELAY_PASSWORD)
    values.update(more)
    return values


def run(url, data, *arguments, check=0, month=True, env=None, timeout=240):
    command = [str(DIGEST), *arguments, "--data", str(data)]
    if arguments[0] == "send":
        command += ["--templates", str(ROOT / "templates"), "--out", str(data.parent / "output")]
        if month:
            command += ["--month", MONTH]
    result = subprocess.run(command, capture_output=True, text=True, env=env or environment(url), timeout=timeout)
    if check is not None:
        assert result.returncode == check, result.stdout + result.stderr
    return result


def recipients(relay):
    return Counter(rcpt for rcpts, _ in relay.messages() for rcpt in rcpts)


def test_status_and_migrate_read_and_bring_up_the_database(tmp_path, postgres):
    url = postgres.database()
    data = host(tmp_path, "a")
    before = run(url, data, "state", "status")
    assert before.stdout.startswith("State: %s:%d/%s?sslmode=disable (PostgreSQL): nothing recorded yet"
                                    % (url.rsplit(":", 1)[0], postgres.port, url.rsplit("/", 1)[1])), before.stdout
    assert postgres.psql(url, "SELECT to_regclass('digest_schema_migrations') IS NULL") == [["t"]]  # only read
    first = run(url, data, "state", "migrate")
    assert first.stdout.splitlines() == ["database: lists", "database: send ledgers", "database: joins",
                                         "database: provider events", "database: send holders' sessions",
                                         "5 applied."]
    again = run(url, data, "state", "migrate")
    assert again.stdout.splitlines() == ["Nothing to apply: the state is up to date."]
    status = run(url, data, "state", "status")
    assert "Schema: 5 migrations applied" in status.stdout
    assert "List coalition.lists.justiceforall2030.org (this coalition's):" in status.stdout
    assert "@" not in status.stdout.replace("digest@127.0.0.1", "")


def test_a_password_in_digest_state_is_refused_and_a_wrong_one_is_the_logins_error(tmp_path, postgres):
    url = postgres.database()
    data = host(tmp_path, "a")
    written = url.replace("digest@", "digest:hunter2@")
    refused = run(written, data, "state", "status", check=1)
    assert "has a password in it" in refused.stderr and "hunter2" not in refused.stderr
    wrong = run(url, data, "state", "migrate", check=73, env=environment(url, PGPASSWORD="not-it"))
    assert "refused the login" in wrong.stderr and "not-it" not in wrong.stderr
    # Nothing listens there: the state is unavailable (75: try again later).
    away = url.replace(":%d/" % postgres.port, ":1/") + "?connect_timeout=2"
    member = sorted(subscribed(data / "members.csv"))[0]
    gone = run(away, data, "members", "unsubscribe", member, check=75)
    assert "cannot be reached" in gone.stderr


def test_an_unsubscribe_on_one_hosts_serve_is_honoured_by_the_others_send(tmp_path, postgres):
    url = postgres.database()
    with Relay(tmp_path) as relay:
        (tmp_path / "public").mkdir()
        public = prepare(tmp_path / "public", relay)
        staff = host(tmp_path, "staff", relay)
        messages = outbox(tmp_path / "public", public)
        message = messages[min(messages)]
        leaving = message["To"].addresses[0].addr_spec.lower()
        previous = dict(os.environ)
        os.environ.update(DIGEST_STATE=url, PGPASSWORD=PASSWORD)
        try:
            with serving(public) as (port, _):
                target = local(link(message), port)
                path = target.split("127.0.0.1:%d" % port, 1)[1]
                status, _, _ = request(port, "POST", path, body=b"List-Unsubscribe=One-Click",
                                       headers={"Content-Type": "application/x-www-form-urlencoded"})
                assert status == 200
        finally:
            os.environ.clear()
            os.environ.update(previous)
        # Committed in the database before the 200.
        rows = postgres.psql(url, "SELECT mailbox, reason, source FROM digest_suppression")
        assert rows == [[leaving, "unsubscribed", "one-click"]]
        sent = run(url, staff, "send")
        expected = subscribed(staff / "members.csv") - {leaving}
        assert set(recipients(relay)) == {address for address in expected}
        assert "Sent %d messages now" % len(expected) in sent.stdout
        # The public host's own send of the month: nothing more.
        again = run(url, public, "send")
        assert "Sent 0 messages now" in again.stdout, again.stdout
        assert max(recipients(relay).values()) == 1


def test_the_same_month_from_two_hosts_at_once_reaches_everyone_once(tmp_path, postgres):
    url = postgres.database()
    with Relay(tmp_path) as relay:
        a = host(tmp_path, "a", relay, extra_members=200)
        b = host(tmp_path, "b", relay, extra_members=200)
        results = {}

        def go(name, data):
            results[name] = run(url, data, "send", "--rate", "150", check=None)

        threads = [threading.Thread(target=go, args=(name, data)) for name, data in (("a", a), ("b", b))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        codes = sorted(result.returncode for result in results.values())
        assert codes == [0, 75], {name: r.stdout + r.stderr for name, r in results.items()}
        busy = next(r for r in results.values() if r.returncode == 75)
        assert "another digest send for %s is running on %s (process " % (MONTH, socket.gethostname()) \
            in busy.stderr, busy.stderr
        got = recipients(relay)
        assert set(got) == subscribed(a / "members.csv")
        assert max(got.values()) == 1


def test_kill_9_during_a_send_ten_times_nobody_is_missed(tmp_path, postgres):
    url = postgres.database()
    chance = random.Random(32)
    with Relay(tmp_path, seed=5, transient=0.05) as relay:
        data = host(tmp_path, "a", relay, extra_members=260)
        expected = subscribed(data / "members.csv")
        command = [str(DIGEST), "send", "--month", MONTH, "--data", str(data), "--templates",
                   str(ROOT / "templates"), "--out", str(data.parent / "output")]
        kills = 0
        while kills < 10:
            process = subprocess.Popen(command, env=environment(url), stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            time.sleep(chance.uniform(0.2, 0.8))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait()
            if process.returncode == 0:
                break
        final = run(url, data, "send")
        assert "%d of %d subscribed members" % (len(expected), len(expected)) in final.stdout, final.stdout
        got = recipients(relay)
        assert set(got) == expected
        # A duplicate only for a message whose 250 came just before a kill:
        # one a session (four) a kill at most.
        assert sum(count - 1 for count in got.values()) <= 4 * kills
        ledger = postgres.psql(url, "SELECT state, COUNT(*) FROM digest_send_message GROUP BY state")
        assert ledger == [["sent", str(len(expected))]]


def test_the_database_stopped_and_started_during_a_send_loses_and_repeats_nothing(tmp_path):
    from postgres_cluster import own
    cluster = own()  # its own: stopping it must not disturb other tests
    try:
        url = cluster.database()
        with Relay(tmp_path) as relay:
            data = host(tmp_path, "a", relay, extra_members=300, retry="{attempts: 30, wait: 0.05}")
            expected = subscribed(data / "members.csv")
            process = subprocess.Popen(
                [str(DIGEST), "send", "--month", MONTH, "--rate", "100", "--data", str(data), "--templates",
                 str(ROOT / "templates"), "--out", str(data.parent / "output")],
                env=environment(url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(1.0)
            cluster.ctl("stop", "-m", "fast")
            time.sleep(2.0)
            cluster.ctl("start")
            out, err = process.communicate(timeout=240)
            assert process.returncode == 0, out + err
            got = recipients(relay)
            assert set(got) == expected
            assert max(got.values()) == 1
            ledger = cluster.psql(url, "SELECT state, COUNT(*) FROM digest_send_message GROUP BY state")
            assert ledger == [["sent", str(len(expected))]]
    finally:
        cluster.stop()


def test_a_month_sent_with_a_folder_copied_into_the_database_sends_nothing_more(tmp_path, postgres):
    url = postgres.database()
    with Relay(tmp_path) as relay:
        data = host(tmp_path, "a", relay)
        leaving = sorted(subscribed(data / "members.csv"))[0]
        folder_env = dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET, DIGEST_SMTP_PASSWORD=RELAY_PASSWORD)
        run(None, data, "members", "unsubscribe", leaving, env=folder_env)
        first = run(None, data, "send", env=folder_env)
        assert "Sent 34 messages now" in first.stdout
        state = data.parent / "state"
        copy = subprocess.run([str(DIGEST), "state", "copy", str(state), url], capture_output=True, text=True,
                              env=environment(url), timeout=120)
        assert copy.returncode == 0, copy.stderr
        assert "  ledger rows: 34 copied" in copy.stdout and "  suppressions: 1 copied" in copy.stdout
        assert "@" not in copy.stdout.replace("digest@127.0.0.1", "")
        # Again: nothing more.
        again = subprocess.run([str(DIGEST), "state", "copy", str(state), url], capture_output=True, text=True,
                               env=environment(url), timeout=120)
        assert "  ledger rows: 0 copied, 34 already there" in again.stdout, again.stdout
        # The month, sent now through the database: nobody again, the suppressed one still left out.
        resend = run(url, data, "send")
        assert "Sent 0 messages now; 34 of 34" in resend.stdout, resend.stdout
        assert len(relay.messages()) == 34
        # And back into a new folder: the same rows, a send from there sends nothing either.
        back = tmp_path / "back"
        returned = subprocess.run([str(DIGEST), "state", "copy", url, str(back)], capture_output=True, text=True,
                                  env=environment(url), timeout=120)
        assert returned.returncode == 0, returned.stderr
        from_back = run(str(back), data, "send", env=dict(folder_env, DIGEST_STATE=str(back)))
        assert "Sent 0 messages now; 34 of 34" in from_back.stdout, from_back.stdout
        # A row that differs in the destination refuses the copy, and nothing is written.
        postgres.psql(url, "UPDATE digest_send_message SET state = 'pending' WHERE key = "
                           "(SELECT key FROM digest_send_message LIMIT 1)")
        events = postgres.psql(url, "SELECT COUNT(*) FROM digest_event")
        conflict = subprocess.run([str(DIGEST), "state", "copy", str(state), url], capture_output=True, text=True,
                                  env=environment(url), timeout=120)
        assert conflict.returncode == 65, conflict.stdout + conflict.stderr
        assert "a row of the ledger of coalition.lists.justiceforall2030.org, 2019-03" in conflict.stderr
        assert "nothing was copied" in conflict.stderr and "@example" not in conflict.stderr
        assert postgres.psql(url, "SELECT COUNT(*) FROM digest_event") == events


def test_serve_answers_503_to_a_post_it_could_not_commit_and_200_once_the_database_is_back(tmp_path):
    from postgres_cluster import own
    cluster = own()
    try:
        url = cluster.database() + "?connect_timeout=2"
        data = prepare(tmp_path)
        messages = outbox(tmp_path, data)
        message = messages[min(messages)]
        leaving = message["To"].addresses[0].addr_spec.lower()
        previous = dict(os.environ)
        os.environ.update(DIGEST_STATE=url, PGPASSWORD=PASSWORD)
        try:
            with serving(data) as (port, _):
                path = local(link(message), port).split("127.0.0.1:%d" % port, 1)[1]
                post = dict(body=b"List-Unsubscribe=One-Click",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
                status, _, _ = request(port, "POST", path, **post)
                assert status == 200
                cluster.ctl("stop", "-m", "fast")
                started = time.monotonic()
                status, headers, _ = request(port, "POST", path.replace("m=", "m="), **post)
                assert status == 503 and headers.get("Retry-After") == "60"
                assert time.monotonic() - started < 15
                cluster.ctl("start")
                status, _, _ = request(port, "POST", path, **post)
                assert status == 200
        finally:
            os.environ.clear()
            os.environ.update(previous)
        assert cluster.psql(url.split("?")[0], "SELECT mailbox FROM digest_suppression") == [[leaving]]
    finally:
        cluster.stop()


def second_list(tmp_path, name="donors"):
    """A second coalition's data folder: its own name and list ID, the same
    members (so one address is on both lists)."""
    (tmp_path / name).mkdir()
    data = prepare(tmp_path / name)
    text = (data / "coalition.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Justice For All", "name: Donors Circle", 1)
    (data / "coalition.yaml").write_text(text + "  list_id: donors.lists.example.org\n", encoding="utf-8")
    return data


def test_one_serve_for_two_lists_answers_each_token_with_its_own_list(tmp_path, postgres):
    url = postgres.database()
    (tmp_path / "coalition").mkdir()
    first = prepare(tmp_path / "coalition")
    donors = second_list(tmp_path)
    messages = outbox(tmp_path / "coalition", first)
    theirs = outbox(tmp_path / "donors", donors)
    line = min(messages)
    address = messages[line]["To"].addresses[0].addr_spec.lower()
    assert theirs[line]["To"].addresses[0].addr_spec.lower() == address  # one member of both lists
    mine, other = link(messages[line]), link(theirs[line])
    assert mine.split("m=")[1] != other.split("m=")[1]
    previous = dict(os.environ)
    os.environ.update(DIGEST_STATE=url, PGPASSWORD=PASSWORD)
    try:
        with serving(first, "--data", str(donors)) as (port, process):
            page = request(port, "GET", local(other, port).split(str(port), 1)[1])
            assert page[0] == 200 and b"Donors Circle" in page[2] and b"Justice For All" not in page[2]
            page = request(port, "GET", local(mine, port).split(str(port), 1)[1])
            assert page[0] == 200 and b"Justice For All" in page[2]
            status, _, _ = request(port, "POST", local(other, port).split(str(port), 1)[1],
                                   body=b"List-Unsubscribe=One-Click",
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert status == 200
            # A token that is nobody's: the same 404 as ever.
            status, _, body = request(port, "GET", "/unsubscribe?m=" + "A" * len(mine.split("m=")[1]))
            assert status == 404
        rows = postgres.psql(url, "SELECT list, mailbox FROM digest_suppression")
        assert rows == [["donors.lists.example.org", address]]
        # The folder of both data folders serves both too.
        both = tmp_path / "lists"
        both.mkdir()
        (both / "a").symlink_to(first)
        (both / "b").symlink_to(donors)
        process = subprocess.Popen(
            [str(DIGEST), "serve", "--port", "0", "--data", str(both), "--templates", str(ROOT / "templates")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET))
        line_read = process.stderr.readline()
        process.terminate()
        process.wait(timeout=10)
        assert "for Justice For All, Donors Circle (Ctrl-C to stop)" in line_read, line_read
    finally:
        os.environ.clear()
        os.environ.update(previous)


def test_a_member_joins_on_one_host_confirms_and_is_mailed_by_the_other(tmp_path, postgres):
    """Double opt-in: the subscribe page's request sends one confirmation
    message; GET /confirm changes nothing; POST /confirm adds the member with
    the record of consent; the staff host's send mails them in the language
    they chose, and their own unsubscribe link works on the public host."""
    import email
    import email.policy
    import re
    import urllib.parse
    url = postgres.database()
    with Relay(tmp_path) as relay:
        (tmp_path / "public").mkdir()
        public = prepare(tmp_path / "public", relay)
        text = (public / "coalition.yaml").read_text(encoding="utf-8")
        text = re.sub(r"\n  subscribe: .*", "\n  subscribe: https://lists.test/subscribe", text)
        (public / "coalition.yaml").write_text(text, encoding="utf-8")
        staff = host(tmp_path, "staff", relay)
        previous = dict(os.environ)
        os.environ.update(DIGEST_STATE=url, PGPASSWORD=PASSWORD, DIGEST_SMTP_PASSWORD=RELAY_PASSWORD)
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        try:
            with serving(public) as (port, process):
                status, _, page = request(port, "GET", "/subscribe", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
                assert status == 200 and b'<html lang="fr">' in page and b"Recevoir la lettre Justice For All" in page
                assert b'name="email" type="email"' in page and b'autocomplete="country-name"' in page
                # A form with problems comes back with them, nothing sent.
                bad = urllib.parse.urlencode({"email": "not an address", "name": "", "country": "Atlantis",
                                              "language": "fr"}).encode()
                status, _, page = request(port, "POST", "/subscribe?lang=fr", body=bad, headers=form)
                assert status == 200 and page.count(b'aria-invalid="true" aria-describedby') == 3
                assert "Choisissez un pays dans la liste".encode() in page and relay.messages() == []
                good = urllib.parse.urlencode({"email": "Newcomer@Example.org", "name": "Wanjiru Kamau",
                                               "country": "Kenya", "language": "fr"}).encode()
                status, _, sent_page = request(port, "POST", "/subscribe?lang=fr", body=good, headers=form)
                assert status == 200 and "Consultez vos e-mails".encode() in sent_page
                assert b"N\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2@Example.org" in sent_page  # masked
                # Asked again within the hour: the same page, no second message.
                status, _, again = request(port, "POST", "/subscribe?lang=fr", body=good, headers=form)
                assert again == sent_page
                # An address already on the list gets the same page.
                member = sorted(subscribed(public / "members.csv"))[0]
                known = urllib.parse.urlencode({"email": member, "name": "X", "country": "",
                                                "language": "en"}).encode()
                status, _, known_page = request(port, "POST", "/subscribe?lang=fr", body=known, headers=form)
                assert status == 200 and "Consultez vos e-mails".encode() in known_page
                confirmations = [(r, raw) for r, raw in relay.messages() if r == ["Newcomer@Example.org"]]
                assert len(confirmations) == 1
                message = email.message_from_bytes(confirmations[0][1], policy=email.policy.default)
                assert message["Subject"] == "Confirmez votre abonnement à la lettre Justice For All"
                assert message["Content-Language"] == "fr"
                text = message.get_body(("plain",)).get_content()
                link = re.search(r"https://lists\.test/confirm\?c=([A-Za-z0-9_-]{43})", text)
                assert link, text
                token = link.group(1)
                assert postgres.psql(url, "SELECT COUNT(*) FROM digest_joined") == [["0"]]
                status, _, page = request(port, "GET", "/confirm?c=" + token)
                assert status == 200 and "Confirmez votre abonnement".encode() in page
                assert postgres.psql(url, "SELECT COUNT(*) FROM digest_joined") == [["0"]]  # GET changes nothing
                status, _, page = request(port, "GET", "/confirm?c=" + token[:-1] + "x")
                assert status == 404
                status, _, page = request(port, "POST", "/confirm?c=" + token, body=b"action=confirm", headers=form)
                assert status == 200 and "Vous êtes abonné·e".encode() in page
                status, _, _ = request(port, "POST", "/confirm?c=" + token, body=b"action=confirm", headers=form)
                assert status == 404  # spent
                process.terminate()
                log = process.stderr.read()
            assert "Newcomer" not in log and "newcomer" not in log and token not in log
        finally:
            os.environ.clear()
            os.environ.update(previous)
        joined = postgres.psql(url, "SELECT address, name, country, language, page_language, message_id"
                                    " FROM digest_joined")
        assert joined == [["Newcomer@Example.org", "Wanjiru Kamau", "Kenya", "fr", "fr",
                           message["Message-ID"].strip("<>")]]
        before = len(relay.messages())
        sent = run(url, staff, "send")
        expected = subscribed(staff / "members.csv") | {"Newcomer@Example.org"}
        assert "Sent %d messages now" % len(expected) in sent.stdout, sent.stdout
        digests = [raw for r, raw in relay.messages()[before:] if r == ["Newcomer@Example.org"]]
        assert len(digests) == 1
        digest = email.message_from_bytes(digests[0], policy=email.policy.default)
        assert digest["Content-Language"] == "fr"
        assert "Kenya" in digest.get_body(("plain",)).get_content()
        # Staff see them counted, and sync writes them into members.csv.
        status = run(url, staff, "members", "status")
        assert "1 more joined on the subscribe page" in status.stdout, status.stdout
        assert "The next send goes to %d" % len(expected) in status.stdout
        synced = run(url, staff, "members", "sync")
        rows = (staff / "members.csv").read_text(encoding="utf-8").splitlines()
        assert rows[-1] == "Newcomer@Example.org,Wanjiru Kamau,,Kenya,,,fr,subscribed,%s" % rows[-1].split(",")[-1]
        assert "%s:%d: added, a member who joined on the subscribe page" % (staff / "members.csv", len(rows)) \
            in synced.stdout, synced.stdout
        again = run(url, staff, "members", "sync")
        assert "added" not in again.stdout.replace("who joined added", "")
        assert (staff / "members.csv").read_text(encoding="utf-8").splitlines() == rows
        assert "1 more joined" not in run(url, staff, "members", "status").stdout
        # The record of consent travels with digest state copy.
        folder = tmp_path / "copied"
        copied = subprocess.run([str(DIGEST), "state", "copy", url, str(folder)], capture_output=True, text=True,
                                env=environment(url), timeout=120)
        assert "  members who joined: 1 copied" in copied.stdout, copied.stdout + copied.stderr
        import sqlite3
        with sqlite3.connect(folder / "suppressions.sqlite") as db:
            assert db.execute("SELECT address, page_language FROM joined").fetchall() == [
                ("Newcomer@Example.org", "fr")]


def test_webhooks_on_postgresql_the_sns_certificate_and_mailgun_tokens_in_the_database(tmp_path, postgres):
    """digest serve on the database: SES's certificate is read from
    digest_sns_certificate (never fetched), Mailgun's tokens are kept there
    against replay, and the events suppress in the shared state."""
    import hashlib
    import json

    from cryptography.hazmat.primitives import serialization
    from test_webhooks import CERT_URL, TOPIC, Keys, mailgun, post, ses_bounce

    url = postgres.database()
    keys = Keys(tmp_path / "secrets")
    data = host(tmp_path, "a")
    with open(data / "coalition.yaml", "a", encoding="utf-8") as handle:
        handle.write(keys.settings())
    run(url, data, "state", "migrate")
    pem = keys.certificate.public_bytes(serialization.Encoding.PEM).decode()
    digest = hashlib.sha256(CERT_URL.encode()).hexdigest()
    postgres.psql(url, "INSERT INTO digest_sns_certificate VALUES ('%s', '%s', '%s', 0)" % (digest, CERT_URL, pem))
    people = sorted(subscribed(data / "members.csv"))
    previous = dict(os.environ)
    os.environ.update(DIGEST_STATE=url, PGPASSWORD=PASSWORD)
    try:
        with serving(data) as (port, _):
            bounce = keys.sns("Notification", {"MessageId": "pg-1", "TopicArn": TOPIC, "Timestamp": "x",
                                               "Message": ses_bounce(None, people[0]).replace('"<None>"', "null")})
            assert post(port, "ses", bounce) == (200, "1 applied, 0 already recorded, 0 not this list's\n")
            event = {"event": "complained", "id": "pg-mg-1", "recipient": people[1], "timestamp": time.time()}
            body = mailgun(event)
            assert post(port, "mailgun", body)[0] == 200
            assert post(port, "mailgun", body)[0] == 401  # the token is in the database now
    finally:
        os.environ.clear()
        os.environ.update(previous)
    rows = postgres.psql(url, "SELECT mailbox, reason, source FROM digest_suppression ORDER BY reason")
    assert rows == [[people[1].lower(), "complaint", "provider webhook"],
                    [people[0].lower(), "hard-bounce", "provider webhook"]]
    assert postgres.psql(url, "SELECT count(*) FROM digest_webhook_token") == [["1"]]
    assert json.loads(bounce)["SigningCertURL"] == CERT_URL
