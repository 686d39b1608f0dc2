"""Signed webhook requests for the benchmark: one event each, a hard bounce
for each address in ADDRESSES (one a line), as SendGrid (ECDSA P-256) and
as SES through SNS (SignatureVersion 2, RSA-2048, a self-signed certificate
the benchmark places in the state's cache).

    python3 webhook_requests.py ADDRESSES OUT-FOLDER CERT-URL TOPIC

Writes OUT/sendgrid.key (the verification key), OUT/sendgrid.txt
(signature TAB timestamp TAB body, a line each), OUT/ses.txt (bodies) and
OUT/sns.pem (the certificate) with OUT/sns.hash (the SHA-256 of CERT-URL,
its name in the cache)."""

import base64
import datetime
import hashlib
import json
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID


def main():
    addresses = Path(sys.argv[1]).read_text().split()
    out = Path(sys.argv[2])
    cert_url, topic = sys.argv[3], sys.argv[4]
    signing = ec.generate_private_key(ec.SECP256R1())
    (out / "sendgrid.key").write_text(base64.b64encode(signing.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode())
    timestamp = "1700000000"
    with open(out / "sendgrid.txt", "w") as handle:
        for number, address in enumerate(addresses):
            body = json.dumps([{"email": address, "timestamp": 1700000000, "event": "bounce", "type": "bounce",
                                "status": "5.1.1", "reason": "550 unknown", "sg_event_id": "ev%d" % number}])
            signature = signing.sign(timestamp.encode() + body.encode(), ec.ECDSA(hashes.SHA256()))
            handle.write("%s\t%s\t%s\n" % (base64.b64encode(signature).decode(), timestamp, body))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.amazonaws.com")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    (out / "sns.hash").write_text(hashlib.sha256(cert_url.encode()).hexdigest())
    (out / "sns.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    with open(out / "ses.txt", "w") as handle:
        for number, address in enumerate(addresses):
            message = json.dumps({"notificationType": "Bounce", "bounce": {
                "bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": address, "status": "5.1.1"}]},
                "mail": {"messageId": "ses-%d" % number}})
            body = {"Type": "Notification", "MessageId": "sns-%d" % number, "TopicArn": topic, "Message": message,
                    "Timestamp": "2023-11-14T22:13:20.000Z", "SignatureVersion": "2", "SigningCertURL": cert_url}
            canonical = "".join("%s\n%s\n" % (field, body[field])
                                for field in ["Message", "MessageId", "Timestamp", "TopicArn", "Type"])
            body["Signature"] = base64.b64encode(key.sign(canonical.encode(), padding.PKCS1v15(),
                                                          hashes.SHA256())).decode()
            handle.write(json.dumps(body) + "\n")


if __name__ == "__main__":
    main()
