"""`digest send` against a relay that lies, stalls or goes away, and a
member list changed by several processes at once (issue 19). Every case
runs the real program against a real socket on loopback and asserts what
the relay received, what the ledger says and the exit status."""

import os
import random
import signal
import sqlite3
import stat
import subprocess
import time
from collections import Counter
from contextlib import closing

import pytest

from conftest import DIGEST, ROOT
from fault_relay import FaultRelay
from relay import PASSWORD
from test_send import LIST, MONTH, SECRET, members, send, subscribed, workspace


def ledger_states(data):
    path = data.parent / "state" / "sends" / LIST / (MONTH + ".sqlite")
    if not path.exists():
        return {}
    # Closed at once: an open connection would keep the next send from
    # taking the ledger (it holds SQLite's lock for the whole run).
    with closing(sqlite3.connect(path)) as ledger:
        return dict(ledger.execute("SELECT address, state FROM message"))


def environment():
    return dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET, DIGEST_SMTP_PASSWORD=PASSWORD)


def killed_sends(data, chance, times, earliest, latest):
    """Starts `digest send` `times` times and kills each with SIGKILL at a
    moment drawn from `chance` between `earliest` and `latest` seconds, if
    it is still running then; returns how many were killed."""
    kills = 0
    for _ in range(times):
        process = subprocess.Popen(command(data), env=environment(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(earliest, latest))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
    return kills


def command(data, *arguments):
    return [str(DIGEST), "send", "--month", MONTH, "--data", str(data), "--templates", str(ROOT / "templates"),
            "--out", str(data.parent / "output"), *arguments]


@pytest.mark.parametrize("injected", [
    b"250 2.0.0 FAKE queued by injector\r\n" * 6,
    b"250-fake.relay\r\n250 AUTH LOGIN\r\n",
    b"250 2.0.0 FAKE",  # half a line
], ids=["fake 250 replies", "a fake capability list", "half a reply"])
def test_text_after_the_220_to_starttls_is_refused_and_nothing_is_marked_sent(tmp_path, injected):
    """CVE-2011-0411's class (RFC 3207 4.2): whatever comes in clear in the
    same packet as the 220 to STARTTLS is not read as if it came over TLS."""
    with FaultRelay(tmp_path, inject_after_starttls=injected) as relay:
        data = workspace(tmp_path, relay)
        result = send(data, check=69)
        assert "RFC 3207" in result.stderr and "nothing was sent" in result.stderr
        assert relay.received == [] and relay.logins == 0
        states = Counter(ledger_states(data).values())
        assert states == Counter({"pending": 35})


def test_a_late_reply_to_the_final_dot_is_waited_for(tmp_path):
    """The relay answers the end of each message 4 s late, past the 3 s
    timeout for other replies: RFC 5321 gives that reply ten minutes, so
    each member gets exactly one copy."""
    with FaultRelay(tmp_path, dot_delay=4) as relay:
        data = workspace(tmp_path, relay, timeout=3, keep_members=6)
        expected = subscribed(data / "members.csv")
        assert 3 <= len(expected) <= 6
        result = send(data, check=0)
        assert "%d of %d subscribed members" % (len(expected), len(expected)) in result.stdout
        assert relay.received_counts() == Counter({address: 1 for address in expected})
        assert set(ledger_states(data).values()) == {"sent"}


def test_a_relay_that_never_answers_the_dot_leaves_messages_uncertain_and_stops(tmp_path):
    with FaultRelay(tmp_path, dot_delay=None) as relay:
        data = workspace(tmp_path, relay, timeout=5, data_timeout=1)
        expected = subscribed(data / "members.csv")
        started = time.monotonic()
        first = send(data, check=69)
        assert time.monotonic() - started < 60  # stopped: not members x attempts x timeout (hours)
        assert "Stopped: the relay failed 3 times in a row" in first.stdout
        assert "no reply to the end of the message within 1 s" in first.stdout
        received = relay.received_counts()
        assert len(received) == 3 and set(received.values()) == {1}  # never sent twice on its own
        states = ledger_states(data)
        assert Counter(states.values()) == Counter({"uncertain": 3, "pending": 32})
        assert {address for address, state in states.items() if state == "uncertain"} == set(received)

        relay.set(dot_delay=0)
        second = send(data, check=2)
        assert "3 uncertain: sent whole" in second.stdout
        assert "--resend-uncertain" in second.stdout
        assert relay.received_counts() == Counter({address: 1 for address in expected})

        third = send(data, "--resend-uncertain", check=0)
        assert "35 of 35 subscribed members" in third.stdout
        after = relay.received_counts()
        assert {address for address, count in after.items() if count == 2} == set(received)
        assert set(ledger_states(data).values()) == {"sent"}


def test_an_outage_longer_than_the_retries_leaves_every_member_for_the_next_run(tmp_path):
    with FaultRelay(tmp_path, outage_until=3600) as relay:
        data = workspace(tmp_path, relay, retry="{attempts: 2, wait: 0.01}")
        expected = subscribed(data / "members.csv")
        first = send(data, check=69)
        assert "35 waiting to be tried again, every attempt of this run used" in first.stdout
        assert "refused for good" not in first.stdout
        assert relay.outage_refusals == 70 and relay.accepted == []
        assert Counter(ledger_states(data).values()) == Counter({"failed-temporary": 35})

        relay.set(outage_until=0)
        second = send(data, check=0)
        assert "Sent 35 messages now; 35 of 35" in second.stdout
        assert relay.accepted_counts() == Counter({address: 1 for address in expected})


def test_connections_reset_at_the_greeting_after_mail_and_in_the_data_are_retried(tmp_path):
    """TCP resets (RST) at three stages: each is a lost connection, retried
    on a new one; every member ends with one message."""
    reset = {"greeting": {1, 5}, "mail": {3, 7}, "data": {9, 11}}
    with FaultRelay(tmp_path, reset=reset, per_connection=3) as relay:
        data = workspace(tmp_path, relay, retry="{attempts: 5, wait: 0.01}")
        expected = subscribed(data / "members.csv")
        result = send(data, check=0)
        assert "Sent 35 messages now; 35 of 35" in result.stdout
        assert relay.accepted_counts() == Counter({address: 1 for address in expected})
        assert relay.connections >= 12


def test_an_unreachable_relay_stops_within_seconds_and_says_why(tmp_path):
    from relay import free_port

    class Nowhere:
        port = free_port()
        certificate = None

    data = workspace(tmp_path, Nowhere, retry="{attempts: 5, wait: 0.5}")
    started = time.monotonic()
    result = send(data, check=69)
    assert time.monotonic() - started < 30  # stopped after three tries, not 35 x 5
    assert "connection refused" in result.stdout and "[" not in result.stdout.split("last:")[1].split(")")[0]
    assert Counter(ledger_states(data).values()) == Counter({"pending": 35})


@pytest.mark.parametrize("fault", ["slow dot", "outage"])
def test_killed_at_random_moments_during_a_slow_relay_or_an_outage(tmp_path, fault):
    """`kill -9` at seeded moments while the relay answers the dot late, or
    refuses everything for a while: no member missed, duplicates within one
    a session a kill (only a message the relay took as the kill came; four
    sessions)."""
    chance = random.Random(1947 if fault == "slow dot" else 1948)
    settings = {"dot_delay": 0.15} if fault == "slow dot" else {"outage_until": 2.0}
    with FaultRelay(tmp_path, **settings) as relay:
        data = workspace(tmp_path, relay, extra_members=25, retry="{attempts: 3, wait: 0.2}")
        expected = subscribed(data / "members.csv")
        kills = killed_sends(data, chance, 8, 0.1, 0.8)
        relay.set(outage_until=0, dot_delay=0)
        final = send(data, check=0)
        assert "%d of %d subscribed members" % (len(expected), len(expected)) in final.stdout
        got = relay.accepted_counts()
        assert set(got) == expected
        duplicates = sum(count - 1 for count in got.values())
        assert kills >= 4
        assert duplicates <= 4 * kills, (duplicates, kills)


def test_a_send_stopped_at_its_limit_says_so_with_its_own_status(tmp_path):
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        first = send(data, "--limit", "5", check=3)
        assert "Stopped at --limit with 30 not sent yet" in first.stdout
        send(data, check=0)
        assert set(relay.accepted_counts().values()) == {1} and len(relay.accepted) == 35


def test_a_deleted_or_emptied_ledger_is_never_a_silent_resend(tmp_path):
    # A slow relay (0.2 s a message, 20 a second over four sessions): the
    # deletion is found at the next second's checkpoint, long before the end.
    with FaultRelay(tmp_path, dot_delay=0.2) as relay:
        data = workspace(tmp_path, relay, extra_members=40)
        ledger = data.parent / "state" / "sends" / LIST / (MONTH + ".sqlite")
        process = subprocess.Popen(command(data), env=environment(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        while len(relay.accepted) < 5:
            time.sleep(0.02)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(str(ledger) + suffix):
                os.unlink(str(ledger) + suffix)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 73, out + err
        assert "was deleted or replaced while the send ran" in err
        sent_before = len(relay.accepted)
        assert sent_before < 75

        again = send(data, check=73)
        assert "is missing or empty" in again.stderr and "--new-ledger" in again.stderr
        ledger.write_bytes(b"")  # emptied (`: > send.sqlite`)
        assert "is missing or empty" in send(data, check=73).stderr
        assert len(relay.accepted) == sent_before  # nothing was sent by either refusal

        relay.set(dot_delay=0)
        send(data, "--new-ledger", check=0)  # staff's explicit choice: the month is sent anew
        assert len(relay.accepted) == sent_before + 75


def test_the_ledger_and_its_wal_are_private(tmp_path):
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        send(data, "--limit", "3", check=3)
        state = data.parent / "state"
        assert stat.S_IMODE(state.stat().st_mode) == 0o700
        checked = 0
        for name in ("sends/%s/%s.sqlite" % (LIST, MONTH), "sends/%s/%s.sqlite-wal" % (LIST, MONTH), "sends/%s/%s.lock" % (LIST, MONTH),
                     "suppressions.sqlite", "suppressions.sqlite-wal"):
            if (state / name).exists():
                assert stat.S_IMODE((state / name).stat().st_mode) == 0o600, name
                checked += 1
        assert checked >= 3


def test_ten_unsubscribes_at_once_all_persist(tmp_path):
    data = workspace(tmp_path)
    chosen = sorted(subscribed(data / "members.csv"))[:10]
    processes = [subprocess.Popen([str(DIGEST), "members", "unsubscribe", address, "--data", str(data)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for address in chosen]
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0 and "now unsubscribed" in out, err
    rows = {row["email"]: row["status"] for row in members(data / "members.csv")}
    assert [rows[address] for address in chosen] == ["unsubscribed"] * 10
    # Every other byte stays: only the ten status cells changed.
    before = (ROOT / "data" / "members.csv").read_text(encoding="utf-8").splitlines()
    after = (data / "members.csv").read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(changed) == 10 and len(before) == len(after)
    assert all(new == old.replace(",subscribed,", ",unsubscribed,") for old, new in changed)


def test_a_member_unsubscribed_while_the_month_is_being_sent_gets_nothing(tmp_path):
    with FaultRelay(tmp_path, dot_delay=0.1) as relay:
        data = workspace(tmp_path, relay)
        rows = [row for row in members(data / "members.csv") if row["status"] == "subscribed"]
        leaving = rows[-1]["email"]  # the last in line
        process = subprocess.Popen(command(data), env=environment(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        while len(relay.accepted) < 3:
            time.sleep(0.02)
        unsubscribe = subprocess.run([str(DIGEST), "members", "unsubscribe", leaving, "--data", str(data)],
                                     capture_output=True, text=True)
        assert unsubscribe.returncode == 0, unsubscribe.stderr
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, out + err
        assert leaving not in relay.accepted_counts()
        assert "1 left the list while the send ran" in out
        assert "34 of 35 subscribed members" in out


def test_hostile_names_and_subjects_cannot_smuggle_encoded_words(tmp_path):
    """A name or subject holding `=?…?=` is itself encoded: a mail reader
    shows those characters, not the right-to-left override they spell."""
    import email
    import email.policy

    data = workspace(tmp_path)
    with open(data / "members.csv", "a", encoding="utf-8") as handle:
        handle.write("evil@example.org,=?UTF-8?B?4oCu?=Amina,,Kenya,,,,subscribed,2019-01-08\n")
    text = (data / "coalition.yaml").read_text(encoding="utf-8")
    text = text.replace("mail:\n", "mail:\n  subject: \"=?UTF-8?B?4oCu?= {{coalition.name}} — {{period.month_name}}\"\n", 1)
    (data / "coalition.yaml").write_text(text, encoding="utf-8")
    check = subprocess.run([str(DIGEST), "check", "--data", str(data), "--templates", str(ROOT / "templates")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout  # README's kind of subject passes check (it once did not)
    send(data, "--dry-run", "--limit", "1000", check=0)
    outbox = data.parent / "output" / MONTH / "outbox"
    found = False
    for path in outbox.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert "\u202e" not in str(message["Subject"])
        assert str(message["Subject"]).startswith("=?UTF-8?B?4oCu?= ")
        if message["To"].addresses[0].addr_spec == "evil@example.org":
            found = True
            assert message["To"].addresses[0].display_name == "=?UTF-8?B?4oCu?=Amina"
    assert found


def test_a_relay_reply_is_printed_quoted_and_without_the_address(tmp_path):
    refused = "amina.odhiambo@example.org"
    reply = "550 5.1.1 user amina.odhiambo at example.org unknown \x1b[2J\x1b[31mpwned\x1b[0m"
    with FaultRelay(tmp_path, refuse={refused: reply}) as relay:
        data = workspace(tmp_path, relay)
        result = send(data, check=2)
        assert "\x1b" not in result.stdout + result.stderr
        assert "members.csv:2: 550 5.1.1 user [address] at example.org unknown \\u{1B}[2J\\u{1B}[31mpwned" in result.stdout
        assert "amina" not in result.stdout.lower()
        assert len(relay.accepted) == 34


def test_untrusted_text_reaches_the_terminal_quoted(tmp_path):
    data = workspace(tmp_path)
    token = "\x1b[31mAAAAAAAAAAAAAAAAAAAAAA\x1b[0m"
    result = subprocess.run([str(DIGEST), "members", "verify-token", token, "--data", str(data)],
                            capture_output=True, text=True, env=environment())
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\\u{1B}[31m" in result.stderr


def test_a_ledger_that_cannot_be_read_stops_the_send_before_anything_is_sent(tmp_path):
    """Garbage where the ledger should be: a clear error naming the file,
    exit 73, and nothing at the relay (a run that read nothing must not
    pass for one that found every member already sent)."""
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        folder = data.parent / "state" / "sends" / LIST
        folder.mkdir(parents=True)
        (folder / (MONTH + ".sqlite")).write_bytes(b"this is not a database, it is a text file" * 100)
        result = send(data, check=73)
        assert "send ledger" in result.stderr and str(folder / (MONTH + ".sqlite")) in result.stderr
        assert "not a database" in result.stderr or "file is not a database" in result.stderr.lower()
        assert relay.received == [] and relay.connections == 0
