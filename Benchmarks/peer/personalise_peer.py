"""The Python peer of the personal-digest benchmark: Jinja2 and the email
package making the same messages as `PersonalDigest`, one member at a time.

It is given the work Coalition Digest does once (the templates with each
member's places marked, the "From your country" blocks, the shared
headers; exported by `digest-bench export-peer`), and for each member it
renders both templates with Jinja2, builds the message with the email
package (text, HTML, the calendar invitation; To, Message-ID,
List-Unsubscribe and List-Unsubscribe-Post of their own) and takes its
bytes, checksummed with zlib.crc32 and not written.

Prints: messages bytes checksum seconds (the loop only, without start-up).
"""

import base64
import csv
import hashlib
import hmac
import json
import sys
import time
import zlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from jinja2 import Environment

folder, members_path, limit = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
shared = json.loads((folder / "shared.json").read_text(encoding="utf-8"))
text_template = Environment(autoescape=False).from_string((folder / "digest.txt.j2").read_text(encoding="utf-8"))
html_template = Environment(autoescape=True).from_string((folder / "digest.html.j2").read_text(encoding="utf-8"))
secret = b"a benchmark secret of some length"
sender_name, sender = parseaddr(shared["from"])

with open(members_path, newline="", encoding="utf-8") as handle:
    members = [row for row in csv.DictReader(handle) if row["status"] == "subscribed"][:limit]

start = time.perf_counter()
total = checksum = 0
for member in members:
    address = member["email"]
    token = base64.urlsafe_b64encode(
        hmac.new(secret, b"unsubscribe\0" + address.encode(), hashlib.sha256).digest()[:16]).decode().rstrip("=")
    tag = hmac.new(secret, b"message-id\0" + address.encode(), hashlib.sha256).hexdigest()[:16]
    block = shared["blocks"].get(member["country"])
    greeting = "Dear %s," % member["name"] if member["name"] else "Dear friends,"
    text = text_template.render(greeting=greeting, country_news=block["text"] if block else "", token=token)
    html = html_template.render(greeting=greeting, country_news=block["html"] if block else "", token=token)
    message = EmailMessage()
    message["From"] = Address(sender_name, addr_spec=sender)
    message["To"] = Address(member["name"], addr_spec=address)
    message["Subject"] = shared["subject"]
    message["Message-ID"] = "<digest-%s.%s.justice-for-all@justiceforall2030.org>" % (shared["month"], tag)
    message["List-Unsubscribe"] = "<%s?m=%s>" % (shared["unsubscribe"], token)
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    if shared["ics"]:
        message.add_attachment(shared["ics"].encode(), maintype="text", subtype="calendar", filename="next-call.ics")
    data = message.as_bytes()
    total += len(data)
    checksum = zlib.crc32(data, checksum)
print(len(members), total, "%08x" % checksum, "%.3f" % (time.perf_counter() - start))
