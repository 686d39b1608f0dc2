"""State that is not output (issue 21): the send ledgers and the
suppression list live in state/, beside the data folder; deleting output/
never causes a second send; a trial through another relay cannot spend the
real send; bounces refused at send time are suppressed."""

import email
import email.policy
import shutil
import sqlite3
import subprocess
from collections import Counter
from contextlib import closing

from conftest import DIGEST, ROOT
from fault_relay import FaultRelay
from test_send import LIST, MONTH, members, send, subscribed, workspace
from test_send_faults import environment


def digest(*arguments, check=0):
    result = subprocess.run([str(DIGEST), *arguments], capture_output=True, text=True, env=environment())
    assert result.returncode == check, result.stdout + result.stderr
    return result


def test_deleting_output_between_two_sends_sends_nothing_twice(tmp_path):
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        digest("render", "--month", MONTH, "--data", str(data), "--templates", str(ROOT / "templates"), "--out",
               str(tmp_path / "output"))
        send(data, check=0)
        assert (tmp_path / "state" / "sends" / LIST / (MONTH + ".sqlite")).exists()
        assert not (tmp_path / "output" / MONTH / "send.sqlite").exists()
        shutil.rmtree(tmp_path / "output")
        again = send(data, check=0)
        assert "Sent 0 messages now; 35 of 35" in again.stdout
        assert len(relay.accepted) == 35 and set(relay.accepted_counts().values()) == {1}


def test_a_ledger_an_earlier_version_left_in_output_is_moved_to_state(tmp_path):
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        send(data, "--limit", "10", check=3)
        # As an earlier version kept it: output/<month>/send.sqlite.
        old = tmp_path / "output" / MONTH
        old.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            source = tmp_path / "state" / "sends" / LIST / (MONTH + ".sqlite" + suffix)
            if source.exists():
                shutil.move(str(source), str(old / ("send.sqlite" + suffix)))
        (tmp_path / "state" / "sends" / LIST / (MONTH + ".lock")).unlink()
        result = send(data, check=0)
        assert "Moved the ledger from %s" % (old / "send.sqlite") in result.stdout
        assert "Sent 25 messages now; 35 of 35" in result.stdout
        assert not (old / "send.sqlite").exists()
        assert len(relay.accepted) == 35 and set(relay.accepted_counts().values()) == {1}


def test_a_trial_through_a_test_relay_cannot_spend_the_real_send(tmp_path):
    """A copied data folder pointed at a test relay shares the state folder:
    the real send then sees a ledger of another relay and says so."""
    with FaultRelay(tmp_path) as trial, FaultRelay(tmp_path / "real", tls=False) as real:
        data = workspace(tmp_path, trial)
        send(data, check=0)
        text = (data / "coalition.yaml").read_text(encoding="utf-8")
        text = text.replace("    port: %d\n" % trial.port, "    port: %d\n" % real.port)
        text = text.replace("    security: starttls", "    security: none").replace("    username: digest\n", "")
        text = "\n".join(line for line in text.splitlines() if "certificate_authority" not in line) + "\n"
        (data / "coalition.yaml").write_text(text, encoding="utf-8")
        refused = send(data, check=73)
        assert "records messages sent through smtp://localhost:%d" % trial.port in refused.stderr
        assert "--new-ledger" in refused.stderr and "--other-relay" in refused.stderr
        assert real.received == []
        result = send(data, "--new-ledger", check=0)
        assert "Sent 35 messages now" in result.stdout
        assert len(real.accepted) == 35
        set_aside = list((tmp_path / "state" / "sends" / LIST).glob(MONTH + ".sqlite.replaced-*"))
        assert len(set_aside) == 1  # the trial's ledger is kept, never deleted


def test_test_sends_reach_only_the_addresses_given_and_touch_no_ledger(tmp_path):
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        member = sorted(subscribed(data / "members.csv"))[3]
        result = send(data, "--test", "staff@example.net", member, check=0)
        assert "Test 1 of 2: a copy of the member's on line" in result.stdout
        assert "Test 2 of 2: the member's own copy on line" in result.stdout
        assert "staff@example.net" not in result.stdout and member not in result.stdout
        assert Counter(relay.accepted_counts()) == Counter({"staff@example.net": 1, member: 1})
        language = {row["email"]: row["language"] for row in members(data / "members.csv")}[member]
        # A copy for staff is in the coalition's language; the member's own in theirs.
        marks = {"staff@example.net": "[Test] ", member: {"fr": "[Test] ", "es": "[Prueba] "}.get(language, "[Test] ")}
        for rcpts, raw in relay.accepted:
            message = email.message_from_bytes(raw, policy=email.policy.default)
            assert str(message["Subject"]).startswith(marks[rcpts[0]])
            assert message["To"].addresses[0].addr_spec == rcpts[0]
            assert message["Message-ID"].startswith("<test-")
        assert not (tmp_path / "state" / "sends" / LIST / (MONTH + ".sqlite")).exists()
        # The real send afterwards reaches everyone, the tested member too.
        send(data, check=0)
        assert relay.accepted_counts()[member] == 2 and len(relay.accepted) == 37


def test_suppressed_members_are_never_sent_to_and_a_non_existent_address_is_suppressed(tmp_path):
    addresses = sorted(subscribed(ROOT / "data" / "members.csv"))
    gone, left = addresses[0], addresses[1]
    reply = "550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table" % gone
    policy = addresses[2]
    with FaultRelay(tmp_path, refuse={gone: reply, policy: "550 5.7.1 Message rejected as spam"}) as relay:
        data = workspace(tmp_path, relay)
        digest("members", "unsubscribe", left, "--data", str(data))
        result = send(data, check=2)
        assert "on the suppression list (unsubscribed or bounced) were left out" not in result.stdout
        assert "1 of the refused addresses do not exist (5.1.x) and are now on the suppression list" in result.stdout
        got = relay.accepted_counts()
        assert left not in got and gone not in got and len(got) == 32
        with closing(sqlite3.connect(tmp_path / "state" / "suppressions.sqlite")) as db:
            rows = dict((mailbox, (reason, source)) for mailbox, reason, source in
                        db.execute("SELECT mailbox, reason, source FROM suppression"))
        assert rows == {left: ("unsubscribed", "command"), gone: ("hard-bounce", "relay reply")}
        status = digest("members", "status", "--data", str(data)).stdout
        assert "The next send goes to 33 (subscribed, one a mailbox, not suppressed)." in status
        assert "1 unsubscribed, 1 hard-bounce" in status
        assert "1 suppressed still show as subscribed" in status  # the bounced one; unsubscribe wrote its own cell
        check = digest("check", "--data", str(data), "--templates", str(ROOT / "templates"))
        assert "1 member marked subscribed here is on the suppression list" in check.stdout
        assert gone not in status + check.stdout

        # Another month: the suppressed are left out from the start, the
        # bounced one though members.csv still says subscribed.
        june = subprocess.run([str(DIGEST), "send", "--month", "2019-06", "--data", str(data), "--templates",
                               str(ROOT / "templates"), "--out", str(tmp_path / "output")],
                              capture_output=True, text=True, env=environment())
        assert june.returncode == 2, june.stdout + june.stderr  # the policy refusal again
        assert "1 on the suppression list (unsubscribed or bounced) were left out" in june.stdout
        sent = Counter(rcpt for rcpts, _ in relay.accepted[32:] for rcpt in rcpts)
        assert left not in sent and gone not in sent and len(sent) == 32

        synced = digest("members", "sync", "--data", str(data)).stdout
        assert synced.endswith("1 status cell changed in %s.\n" % (data / "members.csv"))
        rows = {row["email"]: row["status"] for row in members(data / "members.csv")}
        assert rows[gone] == "bounced" and rows[left] == "unsubscribed" and rows[policy] == "subscribed"

        # Staff resubscribe on the member's word: both lists agree again.
        back = digest("members", "resubscribe", left, "--data", str(data)).stdout
        assert "is lifted, on staff's word" in back
        rows = {row["email"]: row["status"] for row in members(data / "members.csv")}
        assert rows[left] == "subscribed"
