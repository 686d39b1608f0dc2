"""The word catalogues (templates/words/*.po) read by independent tools,
and checked against the code that asks for their entries."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DIGEST, ROOT

WORDS = ROOT / "templates" / "words"
SOURCES = ROOT / "Sources"


def catalogue_keys(path):
    return re.findall(r'^msgctxt "([^"]+)"', path.read_text(encoding="utf-8"), flags=re.M)


def test_every_catalogue_passes_gettexts_own_check():
    """msgfmt (GNU gettext) checks the syntax, the header and that every
    translation keeps the msgid's {placeholders} (python-brace-format)."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is not installed: apt-get install gettext"
    for path in WORDS.glob("*.po"):
        result = subprocess.run([msgfmt, "--check", "--check-format", "-o", "/dev/null", str(path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_babel_reads_the_same_entries():
    from babel.messages.pofile import read_po

    for path in WORDS.glob("*.po"):
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        contexts = sorted(message.context for message in catalog if message.id)
        assert contexts == sorted(catalogue_keys(path))
        assert catalog.num_plurals == 2 if path.stem == "en" else catalog.num_plurals >= 1
        # Every entry says where it appears.
        for message in catalog:
            if message.id:
                assert message.auto_comments, message.context


def swift_sources():
    return "\n".join(path.read_text(encoding="utf-8") for path in SOURCES.rglob("*.swift"))


def test_every_entry_the_code_asks_for_is_in_the_catalogue_and_every_entry_is_asked_for():
    code = swift_sources()
    keys = set(catalogue_keys(WORDS / "en.po"))
    asked = set(re.findall(r'(?:\bwords|renderer\.words)\??\.(?:text|count)\(\s*"([a-z0-9_.]+)"', code))
    asked |= set(re.findall(r'pattern: "([a-z0-9_.]+)"', code))
    words_swift = (SOURCES / "Wording" / "Words.swift").read_text(encoding="utf-8")
    asked |= set(re.findall(r'\btext\(\s*"([a-z0-9_.]+)"', words_swift))
    asked |= set(re.findall(r'\? "([a-z0-9_]+\.[a-z0-9_.]+)" : "[a-z0-9_.]+"', code))
    asked |= set(re.findall(r'\? "[a-z0-9_.]+" : "([a-z0-9_]+\.[a-z0-9_.]+)"', code))
    # Templates ask for the t. entries as {{w.name}}.
    templates = " ".join(path.read_text(encoding="utf-8") for path in (ROOT / "templates").rglob("*.mustache"))
    asked |= {"t." + name for name in re.findall(r"\{\{\{?\s*w\.([a-z0-9_]+)", templates)}
    missing = sorted(key for key in asked if key not in keys)
    assert not missing, missing
    # Keys made from a prefix in the code ("workbook.sheet.\(key)") count as asked for, and so do
    # keys chosen first and asked for through a variable (`let key = "serve.status.bounced"`); the
    # pages that use those are checked for ⟦key⟧ by their own tests.
    prefixes = set(re.findall(r'"([a-z0-9_.]+\.)\\\(', code))
    literals = set(re.findall(r'"([a-z0-9_]+\.[a-z0-9_.]+)"', code))
    unused = sorted(key for key in keys
                    if key not in asked and key not in literals and not any(key.startswith(p) for p in prefixes))
    assert not unused, unused


def test_no_entry_is_missing_from_any_output(tmp_path):
    """A key the catalogue lacks shows as ⟦key⟧: none in any output of the sample."""
    out = tmp_path / "output"
    for command in (["render", "--all"], ["archive"], ["report", "--period", "2018-06..2020-03"],
                    ["report", "--period", "2019-Q3"]):
        result = subprocess.run([str(DIGEST), *command, "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    checked = 0
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".txt", ".html", ".json", ".eml", ".ics", ".xml"):
            assert "⟦" not in path.read_text(encoding="utf-8"), path
            checked += 1
    import zipfile
    for path in out.rglob("*.xlsx"):
        with zipfile.ZipFile(path) as workbook:
            for name in workbook.namelist():
                assert "⟦".encode() not in workbook.read(name), (path, name)
        checked += 1
    assert checked > 100
