"""`digest mail check` (issue 33, part 4) against a DNS server the test
starts on loopback (dnslib): a zone where everything is ready (exit 0),
and zones each missing or breaking one record (exit 1, the finding named,
the record to publish printed)."""

import os
import re
import subprocess

import pytest

from conftest import DIGEST, ROOT
from test_dkim import ed25519_key, independent_public_key, rsa_key
from test_send import SECRET, workspace

pytest.importorskip("dnslib")
from dns_zone import Zone  # noqa: E402

DOMAIN = "justiceforall2030.org"
BOUNCES = "lists.justiceforall2030.org"
RELAY = "relay.example.net"


def settings(data, keys):
    """mail.bounces, a relay on the network, the DKIM keys."""
    text = (data / "coalition.yaml").read_text(encoding="utf-8")
    text = text.replace("\nmail:\n", "\nmail:\n  bounces: bounces@%s\n" % BOUNCES, 1)
    text += "  smtp:\n    host: %s\n  dkim:\n" % RELAY
    text += "".join("    - {domain: %s, selector: %s, key_file: %s}\n" % (DOMAIN, selector, path)
                    for selector, path in keys)
    (data / "coalition.yaml").write_text(text, encoding="utf-8")


def ready_zone(rsa, ed):
    return {
        "_dmarc." + DOMAIN: [("TXT", "v=DMARC1; p=quarantine; rua=mailto:dmarc@%s" % DOMAIN)],
        BOUNCES: [("TXT", "v=spf1 include:_spf.example.net -all"), ("MX", (10, "mx1." + DOMAIN))],
        "_spf.example.net": [("TXT", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all")],
        RELAY: [("A", "192.0.2.25"), ("AAAA", "2001:db8::25")],
        "rsa2026._domainkey." + DOMAIN: [("TXT", "v=DKIM1; k=rsa; p=" + independent_public_key(rsa))],
        "ed2026._domainkey." + DOMAIN: [("TXT", "v=DKIM1; k=ed25519; p=" + independent_public_key(ed))],
        DOMAIN: [("TXT", "google-site-verification=abc")],
    }


def check(data, port):
    return subprocess.run(
        [str(DIGEST), "mail", "check", "--dns", "127.0.0.1:%d" % port, "--data", str(data), "--templates",
         str(ROOT / "templates")],
        capture_output=True, text=True, timeout=120, env=dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET))


@pytest.fixture
def prepared(tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    # RSA-4096: its record (about 740 characters) does not fit a 512-byte
    # UDP answer, so the resolver asks again over TCP.
    rsa, ed = rsa_key(keys, bits=4096), ed25519_key(keys)
    data = workspace(tmp_path)
    settings(data, [("rsa2026", rsa), ("ed2026", ed)])
    return data, rsa, ed


def line(output, status, topic):
    """The finding's line: `status  topic  text`."""
    found = [l for l in output.splitlines() if re.match(r"%s\s+%s\s" % (status, re.escape(topic)), l)]
    assert found, output
    return found


def test_a_ready_domain_exits_0_every_finding_ok(prepared):
    data, rsa, ed = prepared
    with Zone(ready_zone(rsa, ed)) as zone:
        result = check(data, zone.port)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert out.splitlines()[-1] == "Ready: what Gmail, Yahoo and Microsoft require of bulk senders holds."
    assert "policy quarantine; DKIM alignment relaxed, SPF alignment relaxed" in line(out, "ok", "DMARC")[0]
    assert "allows the relay relay.example.net (192.0.2.25, 2001:db8::25)" in line(out, "ok", "SPF")[0]
    assert len(line(out, "ok", "DKIM")) == 2
    assert "DKIM d=%s and SPF's %s align with From's %s" % (DOMAIN, BOUNCES, DOMAIN) in line(out, "ok", "alignment")[0]
    assert "mx1.%s (10)" % DOMAIN in line(out, "ok", "MX")[0]
    assert not re.search(r"^(missing|wrong|unknown) ", out, re.M)


def broken(zone, case, rsa, ed):
    """`zone` with one record missing or wrong."""
    if case == "no DMARC":
        del zone["_dmarc." + DOMAIN]
    elif case == "two DMARC":
        zone["_dmarc." + DOMAIN].append(("TXT", "v=DMARC1; p=reject"))
    elif case == "no SPF":
        zone[BOUNCES] = [r for r in zone[BOUNCES] if r[0] != "TXT"]
    elif case == "SPF without the relay":
        zone["_spf.example.net"] = [("TXT", "v=spf1 ip4:198.51.100.0/24 -all")]
    elif case == "two SPF":
        zone[BOUNCES].append(("TXT", "v=spf1 -all"))
    elif case == "no DKIM":
        del zone["ed2026._domainkey." + DOMAIN]
    elif case == "another DKIM key":
        zone["rsa2026._domainkey." + DOMAIN] = [("TXT", "v=DKIM1; k=rsa; p=" + independent_public_key(ed))]
    elif case == "no MX":
        zone[BOUNCES] = [r for r in zone[BOUNCES] if r[0] != "MX"]
    elif case == "strict alignment":
        zone["_dmarc." + DOMAIN] = [("TXT", "v=DMARC1; p=reject; adkim=s; aspf=s")]
        zone["rsa2026._domainkey." + DOMAIN] = []
        zone["ed2026._domainkey." + DOMAIN] = []
    return zone


@pytest.mark.parametrize("case, status, topic, says, publish", [
    ("no DMARC", "missing", "DMARC", "has no DMARC record", '_dmarc.%s. IN TXT "v=DMARC1; p=none;' % DOMAIN),
    ("two DMARC", "wrong", "DMARC", "publishes 2 DMARC records", None),
    ("no SPF", "missing", "SPF", "has no SPF record",
     '%s. IN TXT "v=spf1 ip4:192.0.2.25 ip6:2001:db8::25 -all"' % BOUNCES),
    ("SPF without the relay", "wrong", "SPF", "does not allow the relay relay.example.net: 192.0.2.25 (fail)",
     '%s. IN TXT "v=spf1 include:_spf.example.net ip4:192.0.2.25 ip6:2001:db8::25 -all"' % BOUNCES),
    ("two SPF", "wrong", "SPF", "publishes 2 SPF records", None),
    ("no DKIM", "missing", "DKIM", "ed2026._domainkey.%s publishes no key" % DOMAIN,
     "ed2026._domainkey.%s. IN TXT ( \"v=DKIM1; k=ed25519; p=" % DOMAIN),
    ("another DKIM key", "wrong", "DKIM", "publishes another key than the key file's",
     "rsa2026._domainkey.%s. IN TXT ( \"v=DKIM1; k=rsa; p=" % DOMAIN),
    ("no MX", "missing", "MX", "has no mail server (MX)", "%s. IN MX 10 mail.%s." % (BOUNCES, DOMAIN)),
    ("strict alignment", "wrong", "alignment", "under the strict alignment DMARC asks", None),
])
def test_each_missing_or_broken_record_is_named_with_what_to_publish(prepared, case, status, topic, says, publish):
    data, rsa, ed = prepared
    with Zone(broken(ready_zone(rsa, ed), case, rsa, ed)) as zone:
        result = check(data, zone.port)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    found = line(out, status, topic)
    assert any(says in l for l in found), out
    if publish:
        lines = out.splitlines()
        index = lines.index(found[0])
        assert lines[index + 1].strip().startswith(publish), out
    assert re.search(r"^Not ready: \d+ to fix \(.*%s %s" % (re.escape(topic), status), out, re.M), out


def test_a_server_that_fails_exits_69_and_without_dkim_the_relay_must_sign(tmp_path):
    data = workspace(tmp_path)
    text = (data / "coalition.yaml").read_text(encoding="utf-8") + "  smtp:\n    host: %s\n" % RELAY
    (data / "coalition.yaml").write_text(text, encoding="utf-8")
    zone = {"_dmarc." + DOMAIN: [("TXT", "v=DMARC1; p=none")], DOMAIN: [("TXT", "v=spf1 a:%s -all" % RELAY),
                                                                       ("MX", (10, "mx." + DOMAIN))],
            RELAY: [("A", "192.0.2.25")]}
    with Zone(zone) as dns:
        result = check(data, dns.port)
    assert result.returncode == 1, result.stdout
    assert "mail.dkim is not set, so digest send signs nothing" in line(result.stdout, "missing", "DKIM")[0]
    assert "allows the relay" in line(result.stdout, "ok", "SPF")[0]
    with Zone(zone, failing=[DOMAIN]) as dns:
        result = check(data, dns.port)
    assert result.returncode == 69, result.stdout
    assert line(result.stdout, "unknown", "SPF")
    bad = subprocess.run([str(DIGEST), "mail", "check", "--dns", "not-a-server", "--data", str(data)],
                         capture_output=True, text=True)
    assert bad.returncode == 64 and "--dns not-a-server is not a server's address" in bad.stderr
