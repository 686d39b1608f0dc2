"""Providers' webhooks on `digest serve` (issue 33, part 2): SES through
SNS, Postmark, SendGrid and Mailgun, each payload shaped as the provider
documents it and signed here with Python's `cryptography` (SNS with a
self-signed certificate placed in the state's cache, SendGrid with a P-256
key, Mailgun and Postmark with their secrets). Accepted events apply once;
a repeat counts once; a bad signature, host, topic, stale timestamp or
replayed token is refused with its status; the next send skips exactly the
members the events named."""

import base64
import datetime
import hashlib
import hmac
import json
import re
import sqlite3
import time
from contextlib import closing

import pytest

from conftest import ROOT
from fault_relay import FaultRelay
from test_send import MONTH, members, send, subscribed
from test_serve import outbox, request, serving, workspace

x509 = pytest.importorskip("cryptography.x509")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

TOPIC = "arn:aws:sns:eu-west-1:123456789012:digest-events"
CERT_URL = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-01d088a6f77103d0fe307c0069e40ed6.pem"
POSTMARK = ("digest", "a-postmark-webhook-password")
MAILGUN_KEY = "key-mailgun-signing-0123456789abcdef"


class Keys:
    """The secrets and keys of one test: SNS's certificate, SendGrid's P-256
    pair; Postmark's password and Mailgun's signing key in private files."""

    def __init__(self, folder):
        folder.mkdir()
        self.sns_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.amazonaws.com")])
        now = datetime.datetime.now(datetime.timezone.utc)
        self.certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                            .public_key(self.sns_key.public_key()).serial_number(x509.random_serial_number())
                            .not_valid_before(now - datetime.timedelta(days=1))
                            .not_valid_after(now + datetime.timedelta(days=1))
                            .sign(self.sns_key, hashes.SHA256()))
        self.sendgrid = ec.generate_private_key(ec.SECP256R1())
        self.sendgrid_public = base64.b64encode(self.sendgrid.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()
        self.postmark_file = folder / "postmark"
        self.postmark_file.write_text(POSTMARK[1] + "\n")
        self.postmark_file.chmod(0o600)
        self.mailgun_file = folder / "mailgun"
        self.mailgun_file.write_text(MAILGUN_KEY + "\n")
        self.mailgun_file.chmod(0o600)

    def settings(self):
        return "\n".join([
            "  webhooks:",
            "    ses: {topics: [%s]}" % TOPIC,
            "    postmark: {user: %s, password_file: %s}" % (POSTMARK[0], self.postmark_file),
            "    sendgrid: {verification_key: %s}" % self.sendgrid_public,
            "    mailgun: {signing_key_file: %s}" % self.mailgun_file,
        ]) + "\n"

    def cache(self, state):
        """Places SNS's certificate where digest keeps the one fetched from CERT_URL."""
        folder = state / "sns-certificates"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (hashlib.sha256(CERT_URL.encode()).hexdigest() + ".pem")
        path.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))

    def sns(self, message_type, fields, version="2", key=None):
        """An SNS message of `message_type`, signed as AWS documents."""
        body = dict(fields, Type=message_type, SignatureVersion=version, SigningCertURL=fields.get(
            "SigningCertURL", CERT_URL))
        order = (["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
                 if message_type == "Notification" else
                 ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"])
        canonical = "".join("%s\n%s\n" % (name, body[name]) for name in order if name in body)
        algorithm = hashes.SHA1() if version == "1" else hashes.SHA256()
        signature = (key or self.sns_key).sign(canonical.encode(), padding.PKCS1v15(), algorithm)
        body["Signature"] = base64.b64encode(signature).decode()
        return json.dumps(body).encode()

    def sendgrid_headers(self, body, timestamp=None):
        timestamp = str(timestamp or int(time.time()))
        signature = self.sendgrid.sign(timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        return {"X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
                "X-Twilio-Email-Event-Webhook-Timestamp": timestamp, "Content-Type": "application/json"}


def ses_bounce(message_id, address, bounce_type="Permanent", status="5.1.1", event_publishing=False):
    """An SES bounce notification, as SES's documentation shows one."""
    key = "eventType" if event_publishing else "notificationType"
    return json.dumps({
        key: "Bounce",
        "bounce": {"bounceType": bounce_type, "bounceSubType": "General",
                   "bouncedRecipients": [{"emailAddress": address, "action": "failed", "status": status,
                                          "diagnosticCode": "smtp; 550 5.1.1 user unknown"}],
                   "timestamp": "2019-04-01T13:00:00.000Z", "feedbackId": "0100017f-bounce",
                   "reportingMTA": "dsn; a8-70.smtp-out.amazonses.com"},
        "mail": {"timestamp": "2019-04-01T12:59:59.000Z", "messageId": "0100017f-ses-own-id",
                 "source": "campaign@justiceforall2030.org", "destination": [address],
                 "commonHeaders": {"messageId": "<%s>" % message_id, "subject": "digest"}},
    })


def ses_complaint(message_id, address, event_publishing=True):
    key = "eventType" if event_publishing else "notificationType"
    return json.dumps({
        key: "Complaint",
        "complaint": {"complainedRecipients": [{"emailAddress": address}], "timestamp": "2019-04-01T14:00:00Z",
                      "feedbackId": "0100017f-complaint", "complaintFeedbackType": "abuse",
                      "userAgent": "ExampleCorp Feedback Loop (V0.01)"},
        "mail": {"messageId": "0100017f-ses-own-id-2", "destination": [address],
                 "commonHeaders": {"messageId": "<%s>" % message_id}},
    })


def post(port, provider, body, headers=None):
    status, _, text = request(port, "POST", "/webhooks/" + provider, body=body,
                              headers=dict({"Content-Type": "application/json"}, **(headers or {})))
    return status, text.decode()


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()}


def mailgun(event, token=None, timestamp=None, key=MAILGUN_KEY):
    timestamp = str(timestamp or int(time.time()))
    token = token or hashlib.sha256(json.dumps(event).encode() + timestamp.encode()).hexdigest()[:50]
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return json.dumps({"signature": {"timestamp": timestamp, "token": token, "signature": signature},
                       "event-data": event}).encode()


def state_rows(tmp_path):
    with closing(sqlite3.connect(tmp_path / "state" / "suppressions.sqlite")) as db:
        suppressions = {row[0]: (row[1], row[2]) for row in db.execute(
            "SELECT mailbox, reason, source FROM suppression")}
        bounces = db.execute("SELECT mailbox, kind, source, report FROM bounce ORDER BY id").fetchall()
    return suppressions, bounces


def test_each_providers_events_apply_once_refusals_get_their_status_and_the_next_send_skips_them(tmp_path):
    keys = Keys(tmp_path / "secrets")
    with FaultRelay(tmp_path) as relay:
        data = workspace(tmp_path, relay)
        assert send(data).returncode == 0
        ids = {str(m["To"].addresses[0].addr_spec): m["Message-ID"].strip("<>")
               for m in outbox(tmp_path, data).values()}
        with open(data / "coalition.yaml", "a", encoding="utf-8") as handle:
            handle.write(keys.settings())
        keys.cache(tmp_path / "state")
        people = sorted(subscribed(data / "members.csv"))
        (ses_hard, ses_complained, ses_soft, pm_hard, pm_spam, pm_change, sg_bounce, sg_blocked, sg_spam, sg_unsub,
         sg_dropped, mg_failed, mg_complained, mg_unsub, other) = people[:15]
        with serving(data) as (port, process):
            # SES through SNS: version 2 and version 1 signatures, both message shapes.
            bounce = keys.sns("Notification", {"MessageId": "sns-1", "TopicArn": TOPIC,
                                               "Message": ses_bounce(ids[ses_hard], ses_hard),
                                               "Timestamp": "2019-04-01T13:00:01.000Z", "Subject": "Bounce"})
            assert post(port, "ses", bounce) == (200, "1 applied, 0 already recorded, 0 not this list's\n")
            assert post(port, "ses", bounce) == (200, "0 applied, 1 already recorded, 0 not this list's\n")
            complaint = keys.sns("Notification", {"MessageId": "sns-2", "TopicArn": TOPIC,
                                                  "Message": ses_complaint(ids[ses_complained], ses_complained),
                                                  "Timestamp": "2019-04-01T14:00:01.000Z"}, version="1")
            assert post(port, "ses", complaint)[0] == 200
            soft = keys.sns("Notification", {"MessageId": "sns-3", "TopicArn": TOPIC, "Timestamp": "2019-04-01T15:00:00Z",
                                             "Message": ses_bounce(ids[ses_soft], ses_soft, "Transient", "4.2.2",
                                                                   event_publishing=True)})
            assert post(port, "ses", soft)[0] == 200
            # Another member's Message-ID, or an address nobody has: counted, ignored.
            mixed = keys.sns("Notification", {"MessageId": "sns-4", "TopicArn": TOPIC, "Timestamp": "2019-04-01T15:00:00Z",
                                              "Message": ses_bounce(ids[other], ses_soft)})
            assert post(port, "ses", mixed) == (200, "0 applied, 0 already recorded, 1 not this list's\n")
            nobody = keys.sns("Notification", {"MessageId": "sns-5", "TopicArn": TOPIC, "Timestamp": "2019-04-01T15:00:00Z",
                                               "Message": ses_bounce(ids[other], "nobody@elsewhere.test")})
            assert post(port, "ses", nobody) == (200, "0 applied, 0 already recorded, 1 not this list's\n")
            # Refusals.
            forged = keys.sns("Notification", {"MessageId": "sns-6", "TopicArn": TOPIC, "Timestamp": "x",
                                               "Message": ses_bounce(ids[other], other)},
                              key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
            assert post(port, "ses", forged)[0] == 401
            tampered = json.loads(bounce)
            tampered["Message"] = ses_bounce(ids[other], other)
            assert post(port, "ses", json.dumps(tampered).encode())[0] == 401
            for host in ("https://sns.eu-west-1.amazonaws.com.evil.test/cert.pem", "http://sns.eu-west-1.amazonaws.com/c.pem",
                         "https://evil.test/sns.eu-west-1.amazonaws.com/c.pem"):
                moved = keys.sns("Notification", {"MessageId": "sns-7", "TopicArn": TOPIC, "Timestamp": "x",
                                                  "Message": ses_bounce(ids[other], other), "SigningCertURL": host})
                assert post(port, "ses", moved)[0] == 403, host
            elsewhere = keys.sns("Notification", {"MessageId": "sns-8", "Timestamp": "x", "Message": ses_bounce(ids[other], other),
                                                  "TopicArn": "arn:aws:sns:eu-west-1:123456789012:someone-else"})
            assert post(port, "ses", elsewhere)[0] == 403
            confirm = keys.sns("SubscriptionConfirmation", {
                "MessageId": "sns-9", "TopicArn": TOPIC, "Token": "2336412f37fb687f5d51e6e2425c464de12884",
                "Message": "You have chosen to subscribe to the topic", "Timestamp": "2019-04-01T00:00:00Z",
                "SubscribeURL": "https://evil.test/?Action=ConfirmSubscription"})
            assert post(port, "ses", confirm)[0] == 403
            # On SNS's host, the confirmation is fetched once the signature and topic check out;
            # no AWS answers a test's token (nor is AWS reachable here): 502, and SNS tries again.
            genuine = keys.sns("SubscriptionConfirmation", {
                "MessageId": "sns-10", "TopicArn": TOPIC, "Token": "2336412f37fb687f5d51e6e2425c464de12884",
                "Message": "You have chosen to subscribe to the topic", "Timestamp": "2019-04-01T00:00:00Z",
                "SubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f"})
            status, text = post(port, "ses", genuine)
            assert status == 502 and "sns.eu-west-1.amazonaws.com" in text, text
            assert post(port, "ses", b"{not json")[0] == 400
            assert post(port, "ses", b"x" * (1024 * 1024 + 1))[0] == 413

            # Postmark: Basic credentials; a bounce, a spam complaint, a subscription change.
            auth = basic(*POSTMARK)
            pm_bounce = json.dumps({"RecordType": "Bounce", "ID": 4323372036854775807, "Type": "HardBounce",
                                    "TypeCode": 1, "Name": "Hard bounce", "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
                                    "Email": pm_hard, "BouncedAt": "2019-04-01T16:33:54.9070259Z", "Inactive": True}).encode()
            assert post(port, "postmark", pm_bounce, auth) == (200, "1 applied, 0 already recorded, 0 not this list's\n")
            assert post(port, "postmark", pm_bounce, auth)[1].startswith("0 applied, 1 already recorded")
            assert post(port, "postmark", pm_bounce, basic(POSTMARK[0], "wrong"))[0] == 401
            assert post(port, "postmark", pm_bounce)[0] == 401
            assert post(port, "postmark", json.dumps({"RecordType": "SpamComplaint", "ID": 42, "Type": "SpamComplaint",
                                                      "TypeCode": 512, "Email": pm_spam}).encode(), auth)[0] == 200
            assert post(port, "postmark", json.dumps({"RecordType": "SubscriptionChange", "MessageID": "m-1",
                                                      "ChangedAt": "2019-04-02T10:00:00Z", "Recipient": pm_change,
                                                      "Origin": "Recipient", "SuppressSending": True,
                                                      "SuppressionReason": "ManualSuppression"}).encode(), auth)[0] == 200

            # SendGrid: one signed array of events.
            def sg(event, address, **more):
                return dict({"email": address, "timestamp": 1554120000, "event": event,
                             "sg_event_id": "sg-%s-%s" % (event, address), "sg_message_id": "14c5d75ce93.dfd.64b469",
                             "smtp-id": "<%s>" % ids[address]}, **more)
            events = json.dumps([
                sg("bounce", sg_bounce, type="bounce", status="5.1.1", reason="500 unknown recipient"),
                sg("bounce", sg_blocked, type="blocked", status="4.0.0", reason="blocked"),
                sg("spamreport", sg_spam), sg("unsubscribe", sg_unsub),
                sg("dropped", sg_dropped, reason="Bounced Address"),
                sg("delivered", other, response="250 OK"), sg("open", other),
            ]).encode()
            assert post(port, "sendgrid", events, keys.sendgrid_headers(events)) == (
                200, "5 applied, 0 already recorded, 0 not this list's\n")
            assert post(port, "sendgrid", events, keys.sendgrid_headers(events))[1].startswith("0 applied, 5 already")
            headers = keys.sendgrid_headers(events)
            headers["X-Twilio-Email-Event-Webhook-Timestamp"] = str(int(time.time()) + 1)
            assert post(port, "sendgrid", events, headers)[0] == 401
            assert post(port, "sendgrid", events)[0] == 401

            # Mailgun: HMAC of timestamp and token; a stale timestamp or a token seen before refused.
            def mg(event, address, **more):
                return dict({"event": event, "id": "mg-%s-%s" % (event, address), "timestamp": time.time(),
                             "recipient": address, "message": {"headers": {"message-id": ids[address]}}}, **more)
            failed = mailgun(mg("failed", mg_failed, severity="permanent", reason="bounce",
                                **{"delivery-status": {"code": 550, "enhanced-code": "5.1.1"}}))
            assert post(port, "mailgun", failed)[0] == 200
            assert post(port, "mailgun", failed)[0] == 401  # the same token again
            assert post(port, "mailgun", mailgun(mg("complained", mg_complained)))[0] == 200
            assert post(port, "mailgun", mailgun(mg("unsubscribed", mg_unsub)))[0] == 200
            assert post(port, "mailgun", mailgun(mg("failed", other), timestamp=int(time.time()) - 16 * 60))[0] == 401
            assert post(port, "mailgun", mailgun(mg("failed", other), key="another-key"))[0] == 401
            assert post(port, "nobody-knows", b"{}")[0] == 404
            # The state refuses the write: 503, and the token is given back, so
            # Mailgun's retry of the very same request is applied, not refused as a replay.
            retried = mailgun(mg("failed", other, severity="temporary"))
            with closing(sqlite3.connect(tmp_path / "state" / "suppressions.sqlite")) as db:
                db.execute("CREATE TRIGGER refuse BEFORE INSERT ON bounce BEGIN SELECT RAISE(ABORT, 'refused'); END")
                db.commit()
            status, _ = post(port, "mailgun", retried)
            assert status == 503
            with closing(sqlite3.connect(tmp_path / "state" / "suppressions.sqlite")) as db:
                db.execute("DROP TRIGGER refuse")
                db.commit()
            assert post(port, "mailgun", retried) == (200, "1 applied, 0 already recorded, 0 not this list's\n")
            assert post(port, "mailgun", retried)[0] == 401
            process.terminate()
            log = process.communicate(timeout=10)[1]
        assert not any(address in log for address in ids), "an address in the log"
        assert "webhooks/ses: refused 401" in log and "webhooks/mailgun: 1 applied" in log

        suppressions, bounces = state_rows(tmp_path)
        expected = {ses_hard: "hard-bounce", ses_complained: "complaint", pm_hard: "hard-bounce",
                    pm_spam: "complaint", pm_change: "unsubscribed", sg_bounce: "hard-bounce", sg_spam: "complaint",
                    sg_unsub: "unsubscribed", sg_dropped: "hard-bounce", mg_failed: "hard-bounce",
                    mg_complained: "complaint", mg_unsub: "unsubscribed"}
        assert {mailbox: reason for mailbox, (reason, _) in suppressions.items()} == {
            a.lower(): r for a, r in expected.items()}
        assert {source for _, source in suppressions.values()} == {"provider webhook"}
        kinds = {(mailbox, kind) for mailbox, kind, source, _ in bounces}
        assert (ses_soft.lower(), "soft") in kinds and (sg_blocked.lower(), "soft") in kinds
        assert (other.lower(), "soft") in kinds  # the retried request, once
        assert {report.split(":")[0] for *_, report in bounces} == {"ses", "postmark", "sendgrid", "mailgun"}
        assert len(bounces) == len({report for *_, report in bounces})  # each event once

        before = len(relay.accepted)
        assert send(data, "--month", "2019-04").returncode == 0
        got = {rcpt for rcpts, _ in relay.accepted[before:] for rcpt in rcpts}
        assert got == subscribed(data / "members.csv") - set(expected)


def test_routes_answer_404_unless_configured_and_a_bad_secret_stops_the_server(tmp_path):
    keys = Keys(tmp_path / "secrets")
    data = workspace(tmp_path)
    with serving(data) as (port, _):
        for provider in ("ses", "postmark", "sendgrid", "mailgun"):
            status, _, body = request(port, "POST", "/webhooks/" + provider, body=b"{}")
            assert status == 404, provider
    keys.postmark_file.chmod(0o644)
    with open(data / "coalition.yaml", "a", encoding="utf-8") as handle:
        handle.write(keys.settings())
    import subprocess
    from conftest import DIGEST
    from test_send import SECRET
    import os
    result = subprocess.run([str(DIGEST), "serve", "--port", "0", "--data", str(data), "--templates",
                             str(ROOT / "templates")], capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, DIGEST_UNSUBSCRIBE_SECRET=SECRET))
    assert result.returncode == 1, result.stderr
    assert re.search(r"coalition\.yaml:\d+:\d+: error: mail\.webhooks\.postmark\.password_file \S+ can be read by "
                     r"others \(mode 644\); chmod 600 it", result.stderr), result.stderr
