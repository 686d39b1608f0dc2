"""A list's state found by what it is, and shared by lists (issue 30): every
spelling of one data folder finds one state; reading commands make
nothing there; two coalitions pointing `state:` at one folder each reach
all their members, an unsubscribe from one leaves the other alone, and a
hard bounce suppresses in both."""

import os
import shutil
import sqlite3
import subprocess
from collections import Counter
from contextlib import closing

import pytest

from conftest import DIGEST, ROOT
from fault_relay import FaultRelay
from test_send import LIST, MONTH, SECRET, send, subscribed, workspace
from test_send_faults import environment


def digest(*arguments, check=0, cwd=None):
    result = subprocess.run([str(DIGEST), *arguments], capture_output=True, text=True, env=environment(), cwd=cwd,
                            timeout=240)
    assert result.returncode == check, result.stdout + result.stderr
    return result


def tree(folder):
    """Every file and folder under `folder`, with its size."""
    if not folder.exists():
        return None
    return sorted((str(p.relative_to(folder)), p.stat().st_size if p.is_file() else -1) for p in folder.rglob("*"))


def test_every_spelling_of_the_data_folder_finds_one_state(tmp_path):
    """`--data data/.`, a link to data and `data/calls/..` once each opened a
    new, empty state: the month went to every member again (70 messages for
    35) and an unsubscribed member was mailed."""
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        leaving = sorted(subscribed(data / "members.csv"))[0]
        digest("members", "unsubscribe", leaving, "--data", str(data))
        first = send(data, check=0)
        assert "Sent 34 messages now; 34 of 34" in first.stdout, first.stdout
        (tmp_path / "link").symlink_to(data)
        for spelling in (str(data) + "/.", str(tmp_path / "link"), str(data / "calls") + "/..",
                         str(tmp_path / "link") + "/"):
            again = digest("send", "--month", MONTH, "--data", spelling, "--templates", str(ROOT / "templates"),
                           "--out", str(tmp_path / "output"))
            assert "Sent 0 messages now; 34 of 34" in again.stdout, (spelling, again.stdout)
        # Run from inside the data folder, as `--data .`.
        inside = digest("send", "--month", MONTH, "--data", ".", "--templates", str(ROOT / "templates"), "--out",
                        str(tmp_path / "output"), cwd=data)
        assert "Sent 0 messages now" in inside.stdout
        assert len(relay.accepted) == 34 and leaving not in relay.accepted_counts()
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("state")) == ["state"]


def test_check_inside_the_data_folder_and_reading_commands_make_nothing_in_the_state(tmp_path):
    data = workspace(tmp_path)
    digest("check", "--data", ".", "--templates", str(ROOT / "templates"), cwd=data)
    digest("members", "status", "--data", ".", cwd=data)
    digest("render", "--month", MONTH, "--data", str(data) + "/.", "--templates", str(ROOT / "templates"),
           "--out", str(tmp_path / "output"))
    send(data, "--dry-run", check=0)
    assert not (tmp_path / "state").exists()
    # With a state folder in use, they add no file to it either.
    digest("members", "unsubscribe", sorted(subscribed(data / "members.csv"))[0], "--data", str(data))
    before = tree(tmp_path / "state")
    status = digest("members", "status", "--data", ".", cwd=data)
    assert "The next send goes to 34" in status.stdout and "List ID: " + LIST in status.stdout
    digest("check", "--data", str(data), "--templates", str(ROOT / "templates"))
    dry = send(data, "--dry-run", check=0)
    assert "Wrote 34 of the 34 messages the send would make now" in dry.stdout  # the suppressed one left out
    assert tree(tmp_path / "state") == before


def test_the_state_folder_is_never_committed_wherever_it_is(tmp_path):
    data = workspace(tmp_path)
    with open(data / "coalition.yaml", "a", encoding="utf-8") as handle:
        handle.write("state: state\n")  # inside the data folder
    digest("members", "unsubscribe", sorted(subscribed(data / "members.csv"))[0], "--data", str(data))
    state = data / "state"
    assert (state / "suppressions.sqlite").exists()
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    listed = subprocess.run(["git", "-C", str(tmp_path), "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True, check=True).stdout
    assert "data/members.csv" in listed and "state" not in listed, listed
    # And the project's own .gitignore covers the default place.
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", "state/suppressions.sqlite"])
    assert ignored.returncode == 0


def second_coalition(tmp_path, relay, shared):
    """Another coalition (its own name, list address and members file) in
    its own data folder, with `state:` at `shared`."""
    data = workspace(tmp_path, relay)
    text = (data / "coalition.yaml").read_text(encoding="utf-8")
    text = text.replace("coalition@lists.justiceforall2030.org", "partners@lists.example.net")
    (data / "coalition.yaml").write_text(text + "state: %s\n" % shared, encoding="utf-8")
    return data


def test_two_coalitions_share_one_state_folder(tmp_path):
    shared = tmp_path / "shared-state"
    with FaultRelay(tmp_path) as relay:
        a = workspace(tmp_path / "a", relay)
        with open(a / "coalition.yaml", "a", encoding="utf-8") as handle:
            handle.write("state: %s\n" % shared)
        b = second_coalition(tmp_path / "b", relay, shared)
        members = subscribed(a / "members.csv")
        assert send(a, check=0).returncode == 0
        # B's send skipped, with exit 0, every member A's ledger had.
        second = send(b, check=0)
        assert "Sent 35 messages now; 35 of 35" in second.stdout, second.stdout
        assert relay.accepted_counts() == Counter({address: 2 for address in members})
        assert sorted(p.name for p in (shared / "sends").iterdir()) == [LIST, "partners.lists.example.net"]

        # An unsubscribe from A leaves B alone.
        leaving = sorted(members)[0]
        digest("members", "unsubscribe", leaving, "--data", str(a))
        assert "The next send goes to 34" in digest("members", "status", "--data", str(a)).stdout
        assert "The next send goes to 35" in digest("members", "status", "--data", str(b)).stdout

        # A hard bounce read for B suppresses in both.
        with closing(sqlite3.connect(shared / "sends" / "partners.lists.example.net" / (MONTH + ".sqlite"))) as db:
            gone, message_id = db.execute(
                "SELECT address, message_id FROM message WHERE address != ? ORDER BY rowid LIMIT 1",
                (leaving,)).fetchone()
        report = tmp_path / "report.eml"
        report.write_text(
            "From: MAILER-DAEMON@relay.test\nTo: partners@lists.example.net\nSubject: Undelivered\n"
            "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\n\n"
            "--B\nContent-Type: text/plain\n\nNo such user.\n\n--B\nContent-Type: message/delivery-status\n\n"
            "Reporting-MTA: dns; relay.test\n\nFinal-Recipient: rfc822; %s\nAction: failed\nStatus: 5.1.1\n\n"
            "--B\nContent-Type: text/rfc822-headers\n\nMessage-ID: <%s>\nSubject: digest\n\n--B--\n"
            % (gone, message_id), encoding="utf-8")
        read = digest("bounces", "read", str(report), "--data", str(b))
        assert "Recorded 1 hard and 0 soft bounces." in read.stdout, read.stdout
        assert "The next send goes to 34" in digest("members", "status", "--data", str(b)).stdout
        assert "The next send goes to 33" in digest("members", "status", "--data", str(a)).stdout
        # The same report is no message A sent: A records nothing for it.
        other = digest("bounces", "read", str(report), "--data", str(a))
        assert "Recorded 0 hard" in other.stdout and "not about a message this list sent" in other.stdout


def test_a_state_folder_of_the_version_before_lists_is_carried_over(tmp_path):
    """The layout and schema the version before lists wrote: the ledger at
    state/sends/<month>.sqlite, the suppression list without a list column.
    The first send takes both: no member is sent the month twice, and the
    unsubscribed member stays unsubscribed."""
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        leaving = sorted(subscribed(data / "members.csv"))[-1]
        digest("members", "unsubscribe", leaving, "--data", str(data))
        send(data, "--limit", "10", check=3)
        state = tmp_path / "state"
        # Back to the earlier layout: the ledger one folder up, without its list.
        for suffix in ("", "-wal", "-shm"):
            source = state / "sends" / LIST / (MONTH + ".sqlite" + suffix)
            if source.exists():
                shutil.move(str(source), str(state / "sends" / (MONTH + ".sqlite" + suffix)))
        shutil.move(str(state / "sends" / LIST / (MONTH + ".lock")), str(state / "sends" / (MONTH + ".lock")))
        os.rmdir(state / "sends" / LIST)
        with closing(sqlite3.connect(state / "sends" / (MONTH + ".sqlite"))) as db:
            db.execute("DELETE FROM meta WHERE key = 'list'")
            db.commit()
        with closing(sqlite3.connect(state / "suppressions.sqlite")) as db:
            db.executescript("""
                CREATE TABLE s1 (mailbox TEXT PRIMARY KEY, reason TEXT NOT NULL, source TEXT NOT NULL,
                    detail TEXT, created DOUBLE NOT NULL);
                INSERT INTO s1 SELECT mailbox, reason, source, detail, created FROM suppression;
                DROP TABLE suppression; ALTER TABLE s1 RENAME TO suppression;
                CREATE TABLE e1 (id INTEGER PRIMARY KEY AUTOINCREMENT, mailbox TEXT NOT NULL, action TEXT NOT NULL,
                    reason TEXT, source TEXT NOT NULL, detail TEXT, time DOUBLE NOT NULL);
                INSERT INTO e1 SELECT id, mailbox, action, reason, source, detail, time FROM event;
                DROP TABLE event; ALTER TABLE e1 RENAME TO event;
                CREATE TABLE b1 (id INTEGER PRIMARY KEY AUTOINCREMENT, mailbox TEXT NOT NULL, month TEXT NOT NULL,
                    kind TEXT NOT NULL, status TEXT, source TEXT NOT NULL, report TEXT UNIQUE, time DOUBLE NOT NULL);
                DROP TABLE bounce; ALTER TABLE b1 RENAME TO bounce;
                CREATE TABLE p1 (mailbox TEXT PRIMARY KEY, language TEXT, updated DOUBLE NOT NULL);
                DROP TABLE preference; ALTER TABLE p1 RENAME TO preference;
                DROP TABLE list;
                DROP TABLE IF EXISTS grdb_migrations;
                PRAGMA user_version = 1;
                """)
        result = send(data, check=0)
        assert "Sent 24 messages now; 34 of 34" in result.stdout, result.stdout
        assert set(relay.accepted_counts().values()) == {1} and len(relay.accepted) == 34
        assert leaving not in relay.accepted_counts()
        assert not (state / "sends" / (MONTH + ".sqlite")).exists()
        assert (state / "sends" / LIST / (MONTH + ".sqlite")).exists()
        with closing(sqlite3.connect(state / "suppressions.sqlite")) as db:
            assert db.execute("SELECT list, mailbox FROM suppression").fetchall() == [(LIST, leaving.lower())]
            assert db.execute("PRAGMA user_version").fetchone() == (2,)


def test_state_status_counts_and_state_migrate_brings_an_earlier_file_up_to_date(tmp_path):
    """`digest state status` reads the lists, the months sent and their rows,
    and the schema, without an address and without changing anything;
    `digest state migrate` applies what an earlier version's file lacks, once."""
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        leaving = sorted(subscribed(data / "members.csv"))[0]
        digest("members", "unsubscribe", leaving, "--data", str(data))
        assert "Sent 34 messages now; 34 of 34" in send(data, check=0).stdout
    state = tmp_path / "state"
    before = tree(state)
    status = digest("state", "status", "--data", str(data), "--templates", str(ROOT / "templates")).stdout
    assert tree(state) == before  # only read
    assert f"State: {state.resolve()} (SQLite)" in status, status
    assert f"List {LIST} (this coalition's):" in status
    assert "  suppressed: 1 unsubscribed" in status
    assert f"  {MONTH}: 34 sent" in status
    assert "Suppression list schema: 4 migrations applied\n" in status
    assert "@" not in status.replace(f"{state.resolve()}", "")  # no address anywhere
    # An earlier version's file: no migrations table, numbered by hand, without the index.
    with closing(sqlite3.connect(state / "suppressions.sqlite")) as db:
        db.executescript("DROP TABLE grdb_migrations; DROP INDEX bounce_by_mailbox; DROP TABLE join_pending;"
                         " DROP TABLE joined;")
    status = digest("state", "status", "--data", str(data), "--templates", str(ROOT / "templates")).stdout
    assert "Suppression list schema: 0 migrations applied; 4 to apply (digest state migrate)" in status, status
    migrated = digest("state", "migrate", "--data", str(data), "--templates", str(ROOT / "templates")).stdout
    assert "suppressions.sqlite: lists (version 2)" in migrated and "suppressions.sqlite: bounces by mailbox" in migrated
    assert "suppressions.sqlite: joins" in migrated and "suppressions.sqlite: provider events" in migrated
    assert "4 applied." in migrated
    with closing(sqlite3.connect(state / "suppressions.sqlite")) as db:
        # Nothing lost: the suppression table made again keeps its row.
        assert db.execute("SELECT reason, source FROM suppression").fetchall() == [("unsubscribed", "command")]
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'bounce_by_mailbox'").fetchone()
        # The earlier CHECK refused these sources; the migrated table takes them, and still refuses others.
        db.execute("INSERT INTO suppression VALUES ('l', 'a@x.test', 'complaint', 'feedback report', NULL, 1)")
        db.execute("INSERT INTO suppression VALUES ('l', 'b@x.test', 'complaint', 'provider webhook', NULL, 1)")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO suppression VALUES ('l', 'c@x.test', 'complaint', 'a rumour', NULL, 1)")
        db.rollback()
    again = digest("state", "migrate", "--data", str(data), "--templates", str(ROOT / "templates")).stdout
    assert again.strip() == "Nothing to apply: the state is up to date."


def test_digest_state_names_the_state_folder_over_coalition_yaml(tmp_path):
    """DIGEST_STATE (relative to where digest runs) overrides `state:`, so one
    data folder runs on two machines; a database URL there is refused, its
    password never printed, and nothing is made."""
    elsewhere = tmp_path / "host-b"
    elsewhere.mkdir()
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        result = send(data, env={"DIGEST_STATE": str(elsewhere / "state")}, check=0)
        assert "Sent 35 messages now; 35 of 35" in result.stdout, result.stdout
    assert (elsewhere / "state" / "sends" / LIST / (MONTH + ".sqlite")).exists()
    assert not (tmp_path / "state").exists()
    env = dict(environment(), DIGEST_STATE="state")  # relative to the folder digest runs in
    status = subprocess.run([str(DIGEST), "state", "status", "--data", str(data), "--templates",
                             str(ROOT / "templates")], capture_output=True, text=True, env=env, cwd=elsewhere)
    assert f"  {MONTH}: 35 sent" in status.stdout, status.stdout + status.stderr
    url = dict(environment(), DIGEST_STATE="postgresql://digest:s3cret@db.example.org:5432/digest")
    refused = subprocess.run([str(DIGEST), "members", "status", "--data", str(data)], capture_output=True,
                             text=True, env=url, cwd=tmp_path)
    said = refused.stdout + refused.stderr
    assert refused.returncode == 1, said
    assert ("DIGEST_STATE:1:1: error: the database address postgresql://digest:…@db.example.org:5432/digest has a"
            " password in it; remove it from the address and give it in PGPASSWORD, ~/.pgpass or"
            " state_password_file:") in said
    assert "s3cret" not in said
    assert not any("postgresql" in p.name for p in tmp_path.rglob("*"))
