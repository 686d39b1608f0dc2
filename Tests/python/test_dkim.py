"""DKIM signing in `digest send`, verified by an independent verifier
(dkimpy, with pynacl for Ed25519) over every message a loopback relay
received, with `dnsfunc` answering the TXT records `digest check` prints."""

import email
import email.policy
import os
import re
import subprocess
from pathlib import Path

import pytest

dkim = pytest.importorskip("dkim")  # dkimpy; pynacl for Ed25519
pytest.importorskip("nacl")
serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")

from conftest import DIGEST, ROOT
from relay import Relay
from test_send import MONTH, SECRET, send, subscribed, workspace

DOMAIN = "justiceforall2030.org"
# What h= must cover when present (RFC 8058 asks for the List-Unsubscribe pair).
SIGNED = ["from", "to", "subject", "date", "message-id", "mime-version", "content-type", "list-id",
          "list-unsubscribe", "list-unsubscribe-post", "feedback-id"]


def make_key(folder, name, *command):
    path = Path(folder) / name
    subprocess.run(["openssl", command[0], "-out", str(path), *command[1:]], check=True, capture_output=True)
    path.chmod(0o600)
    return path


def rsa_key(folder, bits=2048, name="rsa.pem", traditional=False):
    if traditional:  # PKCS#1: "BEGIN RSA PRIVATE KEY"
        return make_key(folder, name, "genrsa", "-traditional", str(bits))
    return make_key(folder, name, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:%d" % bits)


def ed25519_key(folder, name="ed25519.pem"):
    return make_key(folder, name, "genpkey", "-algorithm", "ed25519")


def with_dkim(data, keys):
    """Adds `mail.dkim` (the last section of coalition.yaml is `mail:`)."""
    lines = ["  dkim:"] + ["    - {domain: %s, selector: %s, key_file: %s}" % (DOMAIN, selector, path)
                           for selector, path in keys]
    with open(data / "coalition.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def check(data):
    return subprocess.run([str(DIGEST), "check", "--data", str(data), "--templates", str(ROOT / "templates")],
                          capture_output=True, text=True, env=dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET))


def published(output):
    """selector._domainkey.domain → the TXT record `digest check` prints."""
    records = {}
    lines = output.splitlines()
    for number, line in enumerate(lines):
        match = re.match(r"DKIM (rsa|ed25519)-sha256 key .*: publish this TXT record at (\S+)$", line)
        if match:
            records[match.group(2)] = lines[number + 1].strip()
    return records


def dns(records):
    def lookup(name, timeout=5):
        return records.get(name.decode().rstrip(".")).encode() if name.decode().rstrip(".") in records else None
    return lookup


def independent_public_key(path):
    """The record's p= made by Python's cryptography from the private key."""
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    public = key.public_key()
    if hasattr(public, "key_size"):
        der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    else:
        der = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    import base64
    return base64.b64encode(der).decode()


def verifies(raw, index, lookup):
    """dkimpy's verdict on signature `index`; a mismatch it raises is a fail."""
    try:
        return dkim.DKIM(raw).verify(idx=index, dnsfunc=lookup)
    except dkim.DKIMException:
        return False


def signatures(raw):
    return [value for name, value in email.message_from_bytes(raw).items() if name.lower() == "dkim-signature"]


def tags(signature):
    return {key.strip(): re.sub(r"\s+", "", value) for key, value in
            (part.split("=", 1) for part in signature.split(";") if "=" in part)}


def test_every_message_carries_rsa_and_ed25519_signatures_that_verify(tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    rsa, ed = rsa_key(keys), ed25519_key(keys)
    with Relay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        with_dkim(data, [("rsa2026", rsa), ("ed2026", ed)])
        checked = check(data)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        records = published(checked.stdout)
        assert set(records) == {"rsa2026._domainkey." + DOMAIN, "ed2026._domainkey." + DOMAIN}
        # The record holds the key's own public half, as another library makes it.
        assert records["rsa2026._domainkey." + DOMAIN] == "v=DKIM1; k=rsa; p=" + independent_public_key(rsa)
        assert records["ed2026._domainkey." + DOMAIN] == "v=DKIM1; k=ed25519; p=" + independent_public_key(ed)
        # The zone-file line splits the RSA record into strings DNS allows (255 characters at most).
        zone = next(line for line in checked.stdout.splitlines() if "rsa2026._domainkey." + DOMAIN + ". IN TXT" in line)
        strings = re.findall(r'"([^"]*)"', zone)
        assert "".join(strings) == records["rsa2026._domainkey." + DOMAIN] and max(map(len, strings)) <= 255

        send(data, "--dry-run", "--limit", "1000", check=0)
        outbox = {}
        for path in (data.parent / "output" / MONTH / "outbox").glob("*.eml"):
            parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            outbox[parsed["To"].addresses[0].addr_spec] = path.read_bytes()
            assert not signatures(path.read_bytes())  # what staff look at is not signed
        result = send(data, check=0)
        assert "35 of 35 subscribed members" in result.stdout
        lookup = dns(records)
        messages = relay.messages()
        assert {rcpts[0] for rcpts, _ in messages} == subscribed(data / "members.csv")
        accented = 0
        for (address,), raw in messages:
            found = signatures(raw)
            assert len(found) == 2
            first, second = tags(found[0]), tags(found[1])
            assert (first["a"], first["s"], second["a"], second["s"]) == \
                ("rsa-sha256", "rsa2026", "ed25519-sha256", "ed2026")
            for signature in (first, second):
                assert signature["c"] == "relaxed/relaxed" and signature["d"] == DOMAIN
                assert int(signature["t"]) > 1_700_000_000
                names = signature["h"].lower().split(":")
                assert names.count("from") == 2  # one From more than the message has
                assert set(SIGNED) <= set(names)
            # The signatures stand in front of exactly the message the dry run wrote.
            assert raw.endswith(outbox[address])
            assert verifies(raw, 0, lookup) and verifies(raw, 1, lookup), address
            parsed = email.message_from_bytes(raw, policy=email.policy.default)
            assert parsed["Feedback-ID"] == "2019-03:coalition.lists.justiceforall2030.org:digest"
            if any(ord(c) > 127 for c in str(parsed["To"].addresses[0].display_name)):
                accented += 1
        assert accented >= 3  # Lucía Fernández, Martín Gómez, … signed as their encoded words

        # Altered after signing, a message fails: its body, or a From added on top.
        (address,), raw = messages[0]
        body_changed = raw.replace(b"Dear", b"Deer", 1)
        assert body_changed != raw
        assert not verifies(body_changed, 0, lookup) and not verifies(body_changed, 1, lookup)
        # A From added anywhere in the header (h= names one more From than
        # the message had) fails both.
        second_from = raw.replace(b"\r\n\r\n", b"\r\nFrom: Someone Else <boss@example.net>\r\n\r\n", 1)
        assert not verifies(second_from, 0, lookup) and not verifies(second_from, 1, lookup)
        subject_changed = re.sub(rb"\r\nSubject: ", b"\r\nSubject: Re: ", raw, count=1)
        assert subject_changed != raw and not verifies(subject_changed, 1, lookup)
        # Unaltered, it still verifies (the alterations above were the cause).
        assert verifies(raw, 0, lookup) and verifies(raw, 1, lookup)


def test_a_pkcs1_key_signs_and_test_sends_are_signed(tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    rsa = rsa_key(keys, bits=3072, traditional=True)
    assert b"BEGIN RSA PRIVATE KEY" in rsa.read_bytes()
    with Relay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        with_dkim(data, [("legacy", rsa)])
        records = published(check(data).stdout)
        send(data, "--test", "staff@example.net", check=0)
        ((rcpts, raw),) = relay.messages()
        assert rcpts == ["staff@example.net"] and len(signatures(raw)) == 1
        assert verifies(raw, 0, dns(records))


@pytest.mark.parametrize("problem", ["readable by others", "short", "not a key", "inside the data folder"])
def test_a_key_that_cannot_be_used_stops_the_send_before_anything_goes_out(tmp_path, problem):
    keys = tmp_path / "keys"
    keys.mkdir()
    with Relay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        if problem == "readable by others":
            key = rsa_key(keys)
            key.chmod(0o644)
            expected = "can be read by others (mode 644); a signing key must be private to its owner: chmod 600"
        elif problem == "short":
            key = rsa_key(keys, bits=1024)
            expected = "is an RSA key of 1024 bits; DKIM needs at least 2048"
        elif problem == "not a key":
            key = keys / "dkim.pem"
            key.write_text("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
            key.chmod(0o600)
            expected = "is not an RSA or Ed25519 private key in PEM"
        else:
            key = rsa_key(data, name="dkim.pem")
            expected = "is inside the data folder"
        with_dkim(data, [("s1", key)])
        line = len((data / "coalition.yaml").read_text().splitlines())
        result = send(data)
        assert result.returncode == 1, result.stdout + result.stderr
        # Named at its place in coalition.yaml (the key_file value's line and column).
        assert re.search(r"coalition\.yaml:%d:\d+: error: mail\.dkim key_file \S+ " % line, result.stderr)
        assert expected in result.stderr
        assert relay.messages() == []
        checked = check(data)
        assert checked.returncode == 1 and expected in checked.stdout + checked.stderr
        assert "publish this TXT record" not in checked.stdout
