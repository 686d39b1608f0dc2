"""`digest send` over several SMTP sessions at once (issue 35), against the
project's relays on loopback: exactly once under faults and kills with
eight sessions, the pace settings kept, and the send slowing down when the
relay asks (too many connections, too fast). Each case asserts what the
relay received, what the ledger says and what staff are told."""

import os
import pty
import random
import re
import sqlite3
import subprocess
import time
from collections import Counter
from contextlib import closing

from fault_relay import FaultRelay
from relay import Relay
from test_send import LIST, MONTH, recipients, send, subscribed, workspace
from test_send_faults import command, environment, killed_sends, ledger_states


def attempts(data):
    path = data.parent / "state" / "sends" / LIST / (MONTH + ".sqlite")
    with closing(sqlite3.connect(path)) as ledger:
        return Counter(row[0] for row in ledger.execute("SELECT attempts FROM message"))


def test_eight_sessions_under_drops_and_421s_give_each_member_one_message(tmp_path):
    """aiosmtpd answering 8 % of messages 421 or 451 and hanging up on 4 %
    after their data: run again while the run says to (exit 69), as staff
    would; in the end every member has exactly one message, over eight
    sessions at once."""
    with Relay(tmp_path, seed=35, transient=0.08, drop=0.04) as relay:
        data = workspace(tmp_path, relay, extra_members=265, pace={"connections": 8})
        expected = subscribed(data / "members.csv")
        assert len(expected) == 300
        for _ in range(5):
            result = send(data)
            if result.returncode == 0:
                break
            assert result.returncode == 69, result.stdout + result.stderr
        assert result.returncode == 0, result.stdout + result.stderr
        got = recipients(relay)
        assert set(got) == expected and set(got.values()) == {1}
        assert set(ledger_states(data).values()) == {"sent"}
        assert relay.handler.refusals + relay.handler.drops >= 20  # the faults did happen
        assert len(relay.handler.per_session) > 8  # a 421 or a drop ends a session; new ones replace it
    first = re.search(r"over up to (\d+) sessions at once", result.stdout)
    assert first and int(first.group(1)) == 8, result.stdout


def test_eight_sessions_and_unclear_answers_duplicate_only_the_uncertain(tmp_path):
    """Every ninth end of message is answered with a line that is no reply:
    each such message is `uncertain`, and only those reach a member twice,
    and only when staff ask."""
    with FaultRelay(tmp_path, dot_fault="garbled", dot_fault_every=9) as relay:
        data = workspace(tmp_path, relay, extra_members=145, pace={"connections": 8})
        expected = subscribed(data / "members.csv")
        first = send(data, check=2)
        received = relay.received_counts()
        assert set(received) == expected and set(received.values()) == {1}
        states = Counter(ledger_states(data).values())
        assert states["uncertain"] == len(expected) // 9 and states["sent"] == len(expected) - len(expected) // 9
        assert "%d uncertain: sent whole" % states["uncertain"] in first.stdout
        assert "Sent 0 messages now" in send(data, check=2).stdout
        assert relay.received_counts() == received
        uncertain = {address for address, state in ledger_states(data).items() if state == "uncertain"}
        relay.set(dot_fault=None)
        send(data, "--resend-uncertain", check=0)
        twice = {address for address, count in relay.received_counts().items() if count == 2}
        assert twice == uncertain


def test_killed_at_random_moments_with_eight_sessions_no_member_is_missed(tmp_path):
    """`kill -9` at seeded moments while eight sessions send to a relay that
    answers each end of message after 0.1 s: nobody missed; a duplicate
    only for a message the relay took as the kill came, at most one a
    session a kill."""
    chance = random.Random(358)
    with FaultRelay(tmp_path, dot_delay=0.1) as relay:
        data = workspace(tmp_path, relay, extra_members=165, retry="{attempts: 3, wait: 0.2}",
                         pace={"connections": 8})
        expected = subscribed(data / "members.csv")
        kills = killed_sends(data, chance, 8, 0.3, 1.0)
        relay.set(dot_delay=0)
        final = send(data, check=0)
        assert "%d of %d subscribed members" % (len(expected), len(expected)) in final.stdout
        got = relay.accepted_counts()
        assert set(got) == expected
        duplicates = sum(count - 1 for count in got.values())
        assert kills >= 6
        assert duplicates <= 8 * kills, (duplicates, kills)


def test_a_rate_of_fifty_and_a_hundred_a_session_are_kept_across_eight_sessions(tmp_path):
    """per_second: 50 over 1,000 members takes at least 20 s, and no second
    of the relay's sees much more than 50; per_connection: 100 means no
    session carries more than 100."""
    with FaultRelay(tmp_path, tls=False) as relay:
        data = workspace(tmp_path, relay, extra_members=965, security="none",
                         pace={"connections": 8, "per_second": 50, "per_connection": 100})
        started = time.monotonic()
        result = send(data, check=0)
        elapsed = time.monotonic() - started
        assert "1000 of 1000 subscribed members" in result.stdout
        assert set(relay.accepted_counts().values()) == {1} and len(relay.accepted) == 1000
        assert elapsed >= 20, elapsed
        assert max(relay.carried) <= 100 and sum(relay.carried) == 1000, relay.carried
        times = sorted(relay.accepted_times)
        busiest = max(sum(1 for moment in times[index:index + 60] if moment - start < 1.0)
                      for index, start in enumerate(times))
        # Starts are 20 ms apart; a stall of the relay can bunch its answers,
        # but no more than the eight sessions' one message each in flight.
        assert busiest <= 60, busiest
        assert re.search(r"Sent at ([34]\d|50) messages a second", result.stdout), result.stdout


def test_a_relay_that_takes_three_sessions_gets_at_most_three_after_its_first_refusal(tmp_path):
    """The relay greets a fourth session at once with `421 4.7.0 … too many
    connections` (Postfix's anvil): the send asks for no more than the
    three it has from then on, every member still has one message, and
    staff are told it slowed down."""
    with FaultRelay(tmp_path, max_sessions=3) as relay:
        data = workspace(tmp_path, relay, extra_members=165, pace={"connections": 8})
        result = send(data, check=0)
        assert "200 of 200 subscribed members" in result.stdout
        assert set(relay.accepted_counts().values()) == {1} and len(relay.accepted) == 200
        assert relay.first_refusal is not None
        after = [open_then for moment, open_then in relay.sessions_seen if moment >= relay.first_refusal]
        assert max(after) <= 4 and relay.refused_sessions == 1, relay.sessions_seen  # the refused one itself
        assert all(open_then <= 3 for open_then in after[1:]), after
        assert "The relay asked the send to slow down once (last: the relay answered the greeting with 421 4.7.0" in result.stdout
        assert "the send went on at 3 sessions to the end." in result.stdout
        assert "over up to 3 sessions at once" in result.stdout
        assert attempts(data) == Counter({1: 200})  # the refused session's message was not charged


def test_a_relay_that_throttles_the_rate_slows_the_send_and_charges_nothing(tmp_path):
    """A relay that takes 40 messages a second and answers more with SES's
    `454 Throttling failure`: the send lowers its rate and says so; every
    member has one message and no attempt was charged for the refusals."""
    with FaultRelay(tmp_path, tls=False, per_second=40) as relay:
        data = workspace(tmp_path, relay, extra_members=265, security="none", pace={"connections": 8})
        result = send(data, check=0)
        assert "300 of 300 subscribed members" in result.stdout
        assert set(relay.accepted_counts().values()) == {1} and len(relay.accepted) == 300
        assert relay.throttled > 0
        assert "The relay asked the send to slow down" in result.stdout
        assert "454 4.7.0 Throttling failure: Maximum sending rate exceeded." in result.stdout
        assert attempts(data) == Counter({1: 300})
        # Far fewer refusals than messages: the send did slow down.
        assert relay.throttled < 60, relay.throttled


def test_on_a_terminal_the_progress_line_shows_the_sessions_ten_times_a_second_at_most(tmp_path):
    """Standard error a terminal (a pseudo-terminal here): the line is
    redrawn in place, no more than ten times a second though 300 messages
    go in about two seconds, shows the sessions at work, and ends with
    nothing left and no time to go."""
    with FaultRelay(tmp_path, dot_delay=0.02) as relay:
        data = workspace(tmp_path, relay, extra_members=265, pace={"connections": 8})
        main, terminal = pty.openpty()
        started = time.monotonic()
        process = subprocess.Popen(command(data), env=environment(), stdout=subprocess.PIPE, stderr=terminal)
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal's other end closed: the send is over
                break
            if not chunk:
                break
            shown += chunk
        stdout, _ = process.communicate(timeout=60)
        elapsed = time.monotonic() - started
        os.close(main)
        assert process.returncode == 0, stdout
        frames = [frame.decode() for frame in shown.split(b"\r\x1b[K") if frame]
        assert len(frames) <= elapsed * 10 + 3, (len(frames), elapsed)
        assert any(re.search(r" · [4-8] sessions · ", frame) for frame in frames), frames
        assert re.fullmatch(r"sent 300 · failed 0 · left 0 · \d+/s · \d sessions?", frames[-1]), frames[-1]
        assert "300 of 300 subscribed members" in stdout.decode()
