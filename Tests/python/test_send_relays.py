"""`digest send` against relays whose answers cannot be trusted (issue 30):
an end of message answered with something that is not a reply, pipelined
replies in another order, a storm of 421s. Every case runs the real program
against the project's fault relay on loopback and asserts what the relay
received, what the ledger says, the exit status and how long it waited."""

import time
from collections import Counter

import pytest

from fault_relay import FaultRelay
from test_send import send, subscribed, workspace
from test_send_faults import ledger_states


@pytest.mark.parametrize("fault", ["garbled", "overlong", "codeless", "badcode"])
def test_an_unclear_answer_to_the_end_is_uncertain_and_never_sent_twice(tmp_path, fault):
    """Every fourth end of message is answered with something that is not a
    reply: the relay read the whole message and may have queued it, so it
    is `uncertain`, never sent again by a plain rerun (this used to give 10
    duplicates in one run), only with --resend-uncertain. (A relay that
    hangs up without a word is taken not to have it: test_send.py's drops.)"""
    with FaultRelay(tmp_path, dot_fault=fault, dot_fault_every=4) as relay:
        data = workspace(tmp_path, relay, retry="{attempts: 3, wait: 0.01}")
        expected = subscribed(data / "members.csv")
        first = send(data, check=2)
        received = relay.received_counts()
        assert set(received) == expected and set(received.values()) == {1}, received
        states = Counter(ledger_states(data).values())
        assert states == Counter({"sent": 27, "uncertain": 8}), states
        assert "8 uncertain: sent whole" in first.stdout and "--resend-uncertain" in first.stdout
        assert "may have taken it" in first.stdout

        uncertain = {address for address, state in ledger_states(data).items() if state == "uncertain"}
        again = send(data, check=2)
        assert "Sent 0 messages now" in again.stdout
        assert relay.received_counts() == received  # nothing sent twice

        relay.set(dot_fault=None)
        last = send(data, "--resend-uncertain", check=0)
        assert "35 of 35 subscribed members" in last.stdout
        twice = {address for address, count in relay.received_counts().items() if count == 2}
        assert twice == uncertain and len(twice) == 8
        assert set(ledger_states(data).values()) == {"sent"}


def test_pipelined_replies_out_of_order_stop_the_run_as_relay_failures(tmp_path):
    """A relay that offers PIPELINING and answers MAIL, RCPT and DATA in
    reverse order (354 first): each message is a relay failure, counted
    once; three in a row stop the run, with retry.wait (doubling) between."""
    with FaultRelay(tmp_path, pipelining=True, reorder=True) as relay:
        data = workspace(tmp_path, relay, retry="{attempts: 5, wait: 0.5}")
        started = time.monotonic()
        result = send(data, check=69)
        elapsed = time.monotonic() - started
        assert "Stopped: the relay failed 3 times in a row" in result.stdout, result.stdout
        assert "out of step" in result.stdout
        assert relay.received == [] and relay.accepted == []
        assert relay.connections == 3
        assert elapsed >= 1.5  # 0.5 s, then 1 s, before the second and third connections
        assert Counter(ledger_states(data).values()) == Counter({"failed-temporary": 1, "pending": 34})


def test_a_storm_of_421_waits_between_connections_then_stops(tmp_path):
    """421 to every MAIL: once ended the run within 50 ms; now each new
    connection waits retry.wait, doubling, and the third failure stops it."""
    with FaultRelay(tmp_path, storm=True) as relay:
        data = workspace(tmp_path, relay, retry="{attempts: 5, wait: 1}")
        result = send(data, check=69)
        assert "Stopped: the relay failed 3 times in a row" in result.stdout
        assert "421" in result.stdout
        times = relay.storm_times
        assert len(times) == 3
        gaps = [later - earlier for earlier, later in zip(times, times[1:])]
        assert gaps[0] >= 1.0 and gaps[1] >= 2.0, gaps
        assert relay.accepted == []


def test_a_relay_that_ends_long_sessions_with_421_costs_no_wait(tmp_path):
    """A 421 on a connection that has carried messages is the relay's limit
    of messages a connection (as large providers do): the message goes on a
    new connection at once, not after retry.wait."""
    with FaultRelay(tmp_path, per_connection=5) as relay:
        data = workspace(tmp_path, relay, retry="{attempts: 5, wait: 30}")
        started = time.monotonic()
        result = send(data, check=0)
        assert time.monotonic() - started < 25  # no 30 s wait anywhere
        assert "Sent 35 messages now; 35 of 35" in result.stdout
        assert set(relay.accepted_counts().values()) == {1} and len(relay.accepted) == 35
        # Each connection carried five (a last one fewer), over four sessions at once.
        assert max(relay.carried) == 5 and sum(relay.carried) == 35, relay.carried
        assert 7 <= relay.connections <= 10
