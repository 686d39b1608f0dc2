"""Bounces (issue 21, part 4): VERP envelope senders, delivery reports
written by a real Postfix and read by `digest bounces read`, the common
non-standard forms, and Mailman's flufl.bounce as the independent reader
that must name the same addresses."""

import email
import email.policy
import hashlib
import hmac
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from conftest import DIGEST, ROOT
from postfix_instance import PostfixInstance, available
from fault_relay import FaultRelay
from relay import PASSWORD
from test_send import LIST, MONTH, SECRET, subscribed, workspace

FIXTURES = ROOT / "Tests" / "Fixtures" / "bounces"
BOUNCES = "bounces@lists.test"


def run(*arguments, check=0):
    environment = dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET, DIGEST_SMTP_PASSWORD=PASSWORD)
    result = subprocess.run([str(DIGEST), *arguments], capture_output=True, text=True, env=environment, timeout=240)
    assert result.returncode == check, result.stdout + result.stderr
    return result


def with_bounces(data, members=None, smtp_port=None):
    """Sets mail.bounces (and a plain SMTP relay) in the workspace's
    coalition.yaml; `members` replaces the member list's addresses."""
    text = (data / "coalition.yaml").read_text(encoding="utf-8")
    text = text.replace("\nmail:\n", "\nmail:\n  bounces: %s\n" % BOUNCES, 1)
    if smtp_port is not None:
        text += "  smtp:\n    host: 127.0.0.1\n    port: %d\n    security: none\n    timeout: 10\n" % smtp_port
    (data / "coalition.yaml").write_text(text, encoding="utf-8")
    if members is not None:
        rows = (data / "members.csv").read_text(encoding="utf-8").splitlines()
        out = [rows[0]]
        for row, address in zip(rows[1:], members):
            out.append(address + row[row.index(","):])
        (data / "members.csv").write_text("\n".join(out) + "\n", encoding="utf-8")


def member_rows(data):
    rows = (data / "members.csv").read_text(encoding="utf-8").splitlines()[1:]
    return [row.split(",")[0] for row in rows]


def mac(*fields):
    """MemberTokens' HMAC, made here independently: each field with its
    length (4 bytes, big-endian) first."""
    message = b"".join(len(f.encode()).to_bytes(4, "big") + f.encode() for f in fields)
    return hmac.new(SECRET.encode(), message, hashlib.sha256).digest()


def key(address):
    local, domain = address.rsplit("@", 1)
    return local + "@" + domain.lower()


def tags(data, month=MONTH):
    """Each member's (VERP address, Message-ID) for `month`, from a dry run's
    outbox (the Message-ID and List-Id) and the HMAC made here."""
    out = data.parent / "dry"
    run("send", "--month", month, "--dry-run", "--data", str(data), "--templates", str(ROOT / "templates"),
        "--out", str(out))
    found = {}
    addresses = member_rows(data)
    for path in sorted((out / month / "outbox").glob("line-*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        line = int(path.stem.split("-")[1])
        address = addresses[line - 2]
        list_id = re.search(r"<([^>]+)>", message["List-Id"]).group(1)
        message_id = message["Message-ID"].strip("<>")
        # The Message-ID's tag, computed here, matches the program's: the HMAC is the same.
        assert message_id.split(".")[1] == mac("message-id", list_id, month, key(address))[:8].hex()
        verp = "bounces+%s.%s@lists.test" % (month, mac("bounce", list_id, month, key(address))[:8].hex())
        found[address] = (verp, message_id)
    return found


def sent(data, *months):
    """Sends each month through the workspace's relay: a report counts only
    for a message the list's ledger records as sent."""
    for month in months:
        result = run("send", "--month", month, "--data", str(data), "--templates", str(ROOT / "templates"),
                     "--out", str(data.parent / "output"))
        assert re.search(r"Sent \d+ messages now; (\d+) of \1 subscribed members have the %s digest" % month,
                         result.stdout), result.stdout


def suppressions(tmp_path):
    with closing(sqlite3.connect(tmp_path / "state" / "suppressions.sqlite")) as db:
        return dict(db.execute("SELECT mailbox, reason FROM suppression").fetchall())


def bounce_rows(tmp_path):
    with closing(sqlite3.connect(tmp_path / "state" / "suppressions.sqlite")) as db:
        return db.execute("SELECT mailbox, month, kind, status, source, report FROM bounce ORDER BY id").fetchall()


def flufl_failures(path):
    from flufl.bounce import all_failures

    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle)
    temporary, permanent = all_failures(message)
    return {a.decode() for a in temporary}, {a.decode() for a in permanent}


def snapshot(folder):
    return {p.relative_to(folder): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in folder.rglob("*") if p.is_file()}


@pytest.mark.skipif(available() is not None, reason=available() or "")
def test_postfix_writes_real_bounces_and_reading_them_suppresses_exactly_those_members(tmp_path):
    pytest.importorskip("flufl.bounce")
    keep = 12
    addresses = ["member%02d@members.test" % n for n in range(keep)]
    ghosts = {addresses[2], addresses[5], addresses[9]}
    with PostfixInstance([a for a in addresses if a not in ghosts]) as postfix:
        data = workspace(tmp_path, keep_members=keep)
        with_bounces(data, members=addresses, smtp_port=postfix.port)
        receiving = subscribed(data / "members.csv")
        assert ghosts <= receiving and len(receiving) == 10
        result = run("send", "--month", MONTH, "--data", str(data), "--templates", str(ROOT / "templates"),
                     "--out", str(tmp_path / "output"))
        assert "Sent 10 messages now" in result.stdout, result.stdout + result.stderr
        reports = postfix.wait_for(BOUNCES, len(ghosts))
        delivered = [m for a in receiving - ghosts for m in postfix.messages(a)]
        assert len(delivered) == len(receiving) - len(ghosts)
        # Each message went out from its member's own VERP address, not the Message-ID's tag.
        expected = tags(data)
        for address in receiving - ghosts:
            message = email.message_from_bytes(postfix.messages(address)[0].read_bytes())
            assert message["Return-Path"] == "<%s>" % expected[address][0]
            assert expected[address][0].split("+")[1].split("@")[0].split(".")[1] not in message["Message-ID"]
        # The independent reader names the ghosts, one a report.
        named = set()
        for report in reports:
            temporary, permanent = flufl_failures(report)
            assert not temporary
            named |= permanent
        assert named == ghosts

        maildir = postfix.maildir(BOUNCES)
        before = snapshot(maildir)
        read = run("bounces", "read", str(maildir), "--data", str(data))
        assert "Read 3 messages: 3 delivery reports." in read.stdout
        assert "Recorded 3 hard and 0 soft bounces." in read.stdout
        assert "Suppressed now: 3 members for a hard bounce, 0 for soft bounces." in read.stdout
        assert not any(a in read.stdout + read.stderr for a in addresses)
        assert suppressions(tmp_path) == {a: "hard-bounce" for a in ghosts}
        assert {row[0] for row in bounce_rows(tmp_path)} == ghosts
        assert {(row[1], row[2], row[3], row[4]) for row in bounce_rows(tmp_path)} == {
            (MONTH, "hard", "5.1.1", "delivery report")}

        # Read again: nothing counted twice; the mailbox never changed.
        again = run("bounces", "read", str(maildir), "--data", str(data))
        assert "Recorded 0 hard and 0 soft bounces." in again.stdout
        assert "3 reports were read before and counted nothing." in again.stdout
        assert len(bounce_rows(tmp_path)) == 3
        assert snapshot(maildir) == before

        # The next month leaves the ghosts out.
        next_month = "2019-04"
        result = run("send", "--month", next_month, "--data", str(data), "--templates", str(ROOT / "templates"),
                     "--out", str(tmp_path / "output"))
        assert "Sent 7 messages now" in result.stdout, result.stdout
        assert "3 on the suppression list (unsubscribed or bounced) were left out" in result.stdout
        assert len(postfix.messages(BOUNCES)) == 3


def fill(name, address, verp, message_id):
    text = (FIXTURES / (name + ".eml")).read_text(encoding="utf-8")
    return text.replace("{ADDRESS}", address).replace("{VERP}", verp).replace("{MESSAGE_ID}", message_id)


def test_every_form_of_report_is_read_and_flufl_bounce_names_the_same_addresses(tmp_path):
    pytest.importorskip("flufl.bounce")
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        with_bounces(data)
        sent(data, MONTH)
    found = tags(data)
    addresses = list(found)
    forms = ["postfix", "exim", "gmail", "microsoft", "qmail", "delayed", "autoreply"]
    chosen = {form: addresses[index] for index, form in enumerate(forms)}
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    files = {}
    for index, form in enumerate(forms):
        address = chosen[form]
        verp, message_id = found[address]
        path = maildir / ("cur" if index % 2 else "new") / ("17012%05d.%s.mx" % (index, form))
        path.write_text(fill(form, address, verp, message_id), encoding="utf-8")
        files[form] = path
    foreign = maildir / "new" / "17019.foreign.mx"
    foreign.write_text(fill("foreign", "x@x.test", "x", "x"), encoding="utf-8")
    # A message still being written (tmp/) is not read.
    (maildir / "tmp" / "half").write_text("Subject: half", encoding="utf-8")

    result = run("bounces", "read", str(maildir), "--data", str(data))
    out = result.stdout
    assert "Read 8 messages: 7 delivery reports, 1 other message (replies, auto-replies) left alone." in out, out
    assert "Recorded 4 hard and 1 soft bounces." in out, out
    assert "Suppressed now: 4 members for a hard bounce, 0 for soft bounces." in out
    assert "1 report says a message was delayed or delivered: nothing to record." in out
    assert "1 report is not about a message this list sent" in out and str(foreign) in out
    assert not any(a in out + result.stderr for a in addresses)

    hard = {chosen[f] for f in ("postfix", "exim", "microsoft", "qmail")}
    assert set(suppressions(tmp_path)) == {a.lower() for a in hard}
    rows = bounce_rows(tmp_path)
    by_report = {row[5]: row for row in rows}
    for form in ("postfix", "exim", "gmail", "microsoft", "qmail"):
        digest_row = by_report[hashlib.sha256(files[form].read_bytes()).hexdigest()]
        temporary, permanent = flufl_failures(files[form])
        # flufl.bounce and digest name the same address for each report.
        assert {a.lower() for a in permanent} == {digest_row[0]}, form
        assert digest_row[2] == ("soft" if form == "gmail" else "hard"), form
    assert by_report[hashlib.sha256(files["gmail"].read_bytes()).hexdigest()][3] == "4.2.2"
    assert by_report[hashlib.sha256(files["microsoft"].read_bytes()).hexdigest()][3] == "5.1.10"
    # The delay: flufl.bounce calls it temporary; digest records nothing for it.
    temporary, permanent = flufl_failures(files["delayed"])
    assert temporary == {chosen["delayed"]} and not permanent
    assert chosen["delayed"].lower() not in {row[0] for row in rows}
    assert flufl_failures(files["autoreply"]) == (set(), set())
    _, permanent = flufl_failures(foreign)
    assert permanent == {"somebody@elsewhere.test"}


def test_an_mbox_soft_bounces_in_three_of_five_sends_and_a_dry_run(tmp_path):
    months = ["2018-11", "2018-12", "2019-01", "2019-02", "2019-03"]
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        with_bounces(data)
        sent(data, *months)
    mbox = tmp_path / "bounces.mbox"
    member = None
    chunks = []
    for month in ["2018-11", "2019-01", "2019-03"]:
        found = tags(data, month)
        member = member or list(found)[3]
        verp, message_id = found[member]
        text = fill("gmail", member, verp, message_id)
        # mboxrd: a body line starting "From " is quoted.
        chunks.append("From MAILER-DAEMON Tue Jun 11 09:14:02 2019\n" + text + "\n>From the relay\n\n")
    mbox.write_text("".join(chunks), encoding="utf-8")
    dry = run("bounces", "read", str(mbox), "--dry-run", "--data", str(data))
    assert "Would record 0 hard and 3 soft bounces (--dry-run: nothing recorded)." in dry.stdout, dry.stdout
    # Nothing recorded.
    assert bounce_rows(tmp_path) == []
    result = run("bounces", "read", str(mbox), "--data", str(data))
    assert "Recorded 0 hard and 3 soft bounces." in result.stdout, result.stdout
    assert "Suppressed now: 0 members for a hard bounce, 1 for soft bounces." in result.stdout
    assert suppressions(tmp_path) == {member.lower(): "soft-bounces"}
    status = run("members", "status", "--data", str(data))
    assert "soft-bounces" in status.stdout or "soft bounces" in status.stdout, status.stdout


def test_a_mailbox_that_cannot_be_read_exits_66_and_names_it(tmp_path):
    data = workspace(tmp_path)
    with_bounces(data)
    result = run("bounces", "read", str(tmp_path / "nowhere"), "--data", str(data), check=66)
    assert str(tmp_path / "nowhere") in result.stderr and "Maildir folder or an mbox file" in result.stderr
    (tmp_path / "notmaildir").mkdir()
    result = run("bounces", "read", str(tmp_path / "notmaildir"), "--data", str(data), check=66)
    assert "not a Maildir" in result.stderr


def report(name, address, verp, message_id, final=None):
    """A fixture filled in; `final` puts another address in Final-Recipient
    (and Original-Recipient) than the one the message went to."""
    text = fill(name, address, verp, message_id)
    if final is not None:
        text = text.replace("rfc822; " + address, "rfc822; " + final).replace("rfc822;" + address, "rfc822;" + final)
    return text


def test_a_report_counts_only_when_it_is_about_a_message_sent_to_that_member(tmp_path):
    """A returned Message-ID in the ledger is not enough: the report must
    name the address that message went to; a report for a month not sent,
    or a member the month's send left out, counts nothing. CRLF files read
    as LF ones do."""
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path)
        addresses = sorted(subscribed(data / "members.csv"))
        left_out = addresses[0]
        data = workspace(tmp_path / "w", relay)
        run("members", "unsubscribe", left_out, "--data", str(data))
        sent(data, MONTH)
    found = tags(data)
    other, named, crlf = addresses[1], addresses[2], addresses[3]
    folder = tmp_path / "reports"
    folder.mkdir()
    cases = {
        # The Message-ID of `named`'s message, but someone else as the recipient.
        "wrong-recipient.eml": report("postfix", named, "x@x.test", found[named][1], final=other),
        # A Message-ID this list would give in a month it never sent.
        "month-not-sent.eml": report("postfix", named, "x@x.test", tags(data, "2019-05")[named][1]),
        # The member the send left out (unsubscribed before it).
        "not-sent-to.eml": report("postfix", left_out, "x@x.test", found[other][1].replace(
            found[other][1].split(".")[1], mac("message-id", LIST, MONTH, key(left_out))[:8].hex())),
    }
    for name, text in cases.items():
        (folder / name).write_text(text, encoding="utf-8")
    good = report("postfix", other, "x@x.test", found[other][1])
    (folder / "crlf.eml").write_bytes(good.replace("\n", "\r\n").encode("utf-8"))
    paths = [str(folder / name) for name in sorted(cases)] + [str(folder / "crlf.eml")]
    result = run("bounces", "read", *paths, "--data", str(data))
    out = result.stdout
    assert "Read 4 messages: 4 delivery reports." in out, out
    assert "Recorded 1 hard and 0 soft bounces." in out
    assert "3 reports are not about a message this list sent" in out
    assert "wrong-recipient.eml: its Final-Recipient and Original-Recipient are not the address" in out
    assert "month-not-sent.eml: it names a message of 2019-05, which this list has not sent" in out
    assert "not-sent-to.eml: the ledger of 2019-03 records no message with its returned Message-ID" in out
    assert not any(a in out + result.stderr for a in addresses)
    assert suppressions(tmp_path / "w") == {other.lower(): "hard-bounce", left_out.lower(): "unsubscribed"}


def test_an_entry_that_cannot_be_read_is_named_and_skipped(tmp_path):
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        with_bounces(data)
        sent(data, MONTH)
    found = tags(data)
    address = sorted(found)[4]
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1.good.mx").write_text(fill("postfix", address, *found[address]), encoding="utf-8")
    (maildir / "new" / "2.folder.mx").mkdir()
    (maildir / "new" / "3.gone.mx").symlink_to(tmp_path / "nowhere")
    (maildir / "cur" / "4.empty.mx").write_bytes(b"")
    result = run("bounces", "read", str(maildir), "--data", str(data), check=65)
    assert "Recorded 1 hard and 0 soft bounces." in result.stdout, result.stdout
    assert "3 entries were not read; the rest was read:" in result.stderr
    assert "2.folder.mx: is not a file" in result.stderr
    assert "3.gone.mx: cannot be read (No such file or directory)" in result.stderr
    assert "4.empty.mx: is empty" in result.stderr
    assert suppressions(tmp_path) == {address.lower(): "hard-bounce"}
    # Without the bad entries: exit 0, and the report counts once.
    for name in ("new/2.folder.mx", "new/3.gone.mx", "cur/4.empty.mx"):
        path = maildir / name
        path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
    again = run("bounces", "read", str(maildir), "--data", str(data))
    assert "1 report was read before and counted nothing." in again.stdout


def test_complaint_reports_suppress_the_member_who_complained_and_the_next_send_skips_them(tmp_path):
    """RFC 5965 abuse reports: one with the recipient and the returned
    message (attributed by Message-ID and Original-Rcpt-To), one redacted
    (attributed by the VERP address in Original-Mail-From); a not-spam
    report and one naming another recipient record nothing; read again,
    nothing twice. The next month goes to everyone but the two."""
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        with_bounces(data)
        sent(data, MONTH)
        found = tags(data)
        addresses = sorted(found)
        complained, redacted, not_spam, other = addresses[:4]
        folder = tmp_path / "fbl"
        folder.mkdir()
        files = {
            "abuse.eml": fill("arf-abuse", complained, *found[complained]),
            "redacted.eml": fill("arf-redacted", redacted, *found[redacted]),
            "not-spam.eml": fill("arf-not-spam", not_spam, *found[not_spam]),
            # other's Message-ID, but the report names someone else.
            "wrong.eml": fill("arf-abuse", not_spam, found[other][0], found[other][1]),
        }
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        paths = [str(folder / name) for name in sorted(files)]
        dry = run("bounces", "read", *paths, "--data", str(data), "--dry-run")
        assert "Would record 2 complaints (spam reports) (--dry-run: nothing recorded)." in dry.stdout, dry.stdout
        assert suppressions(tmp_path) == {}
        result = run("bounces", "read", *paths, "--data", str(data))
        out = result.stdout
        assert "Read 4 messages: 0 delivery reports, 4 feedback reports." in out, out
        assert "Complaints (a member marked the digest as spam): 2; suppressed now: 2 members." in out
        assert "1 feedback report is not a complaint (fraud, virus, not-spam): nothing to record." in out
        assert ("wrong.eml: its Original-Rcpt-To and returned To are not the address that message went to"
                in out), out
        assert not any(a in out + result.stderr for a in addresses)
        assert suppressions(tmp_path) == {complained.lower(): "complaint", redacted.lower(): "complaint"}
        with closing(sqlite3.connect(tmp_path / "state" / "suppressions.sqlite")) as db:
            sources = {row[0] for row in db.execute("SELECT source FROM suppression")}
        assert sources == {"feedback report"}
        again = run("bounces", "read", *paths, "--data", str(data))
        assert "suppressed now: 0 members, 2 already suppressed." in again.stdout, again.stdout
        status = run("members", "status", "--data", str(data)).stdout
        assert re.search(r"complaint\D+2\b", status), status

        before = len(relay.accepted)
        sent(data, "2019-04")
        got = {rcpt for rcpts, _ in relay.accepted[before:] for rcpt in rcpts}
        assert got == subscribed(data / "members.csv") - {complained, redacted}
