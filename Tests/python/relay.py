"""A real SMTP relay for the send tests: aiosmtpd on a loopback port.

It offers STARTTLS (with a throw-away certificate the tests make with
openssl) and AUTH PLAIN/LOGIN, records every message it accepts, and can
misbehave on purpose, from a seed:

- `transient`: the share of messages answered 421 or 451 instead of 250
  (421 also closes the connection, as RFC 5321 says it must);
- `drop`: the share of messages whose connection is closed after the data,
  before any reply: the sender never sees a 250;
- `reject`: addresses answered 550 at RCPT.

A message counts as delivered only when this relay answered its data with
250, which is what the sender's ledger relies on.

Run as a program it is a quiet sink for the benchmark:
`python3 relay.py --port 2525` (no TLS, no AUTH, no faults).
"""

import argparse
import asyncio
import random
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "digest"
PASSWORD = "relay-password-for-tests"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificate(folder):
    """A self-signed certificate for localhost and 127.0.0.1: (cert, key)."""
    cert, key = Path(folder) / "relay-cert.pem", Path(folder) / "relay-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True)
    return cert, key


class Handler:
    def __init__(self, seed=0, transient=0.0, drop=0.0, reject=()):
        self.random = random.Random(seed)
        self.transient = transient
        self.drop = drop
        self.reject = {address.lower() for address in reject}
        self.lock = threading.Lock()
        self.accepted = []  # (recipients, bytes)
        self.refusals = 0
        self.drops = 0
        self.logins = 0
        self.per_session = {}  # id(session): messages accepted on that connection
        self.sessions = []  # the sessions themselves, so that no id is reused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            roll = self.random.random()
            if roll < self.drop:
                self.drops += 1
                server.transport.close()
                return "451 4.3.0 never seen: the connection is already closed"
            if roll < self.drop + self.transient:
                self.refusals += 1
                if self.random.random() < 0.5:
                    asyncio.get_running_loop().call_soon(server.transport.close)
                    return "421 4.3.2 Service shutting down, try again later"
                return "451 4.3.0 Temporary local problem, try again later"
            self.accepted.append((list(envelope.rcpt_tos), envelope.content))
            number = len(self.accepted)
            # Messages each connection carried (its Session object lives as
            # long as the connection).
            key = id(session)
            if key not in self.per_session:
                self.sessions.append(session)
            self.per_session[key] = self.per_session.get(key, 0) + 1
        return "250 2.0.0 Ok: queued as M%06d" % number

    def messages(self):
        with self.lock:
            return list(self.accepted)


class Relay:
    """A running relay: `with Relay(...) as relay:`."""

    def __init__(self, folder=None, tls=True, auth=True, port=None, implicit_tls=False, only_login=False, **faults):
        self.handler = Handler(**faults)
        self.port = port or free_port()
        self.certificate = None
        options = {}
        if tls:
            cert, key = make_certificate(folder)
            self.certificate = cert
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(cert), str(key))
            if implicit_tls:
                options.update(ssl_context=context)  # TLS from the first byte, as on port 465
            else:
                options.update(tls_context=context, require_starttls=True)
        if auth:
            # aiosmtpd counts only STARTTLS as TLS for AUTH; with TLS from the
            # first byte the whole connection is encrypted anyway.
            options.update(authenticator=self._authenticate, auth_required=True,
                           auth_require_tls=tls and not implicit_tls)
            if only_login:
                options.update(auth_exclude_mechanism=["PLAIN"])
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                     server_hostname="relay.test", data_size_limit=10_000_000, **options)

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode()
              and auth_data.password == PASSWORD.encode())
        if ok:
            self.handler.logins += 1
        return AuthResult(success=ok, handled=False)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def messages(self):
        return self.handler.messages()


def main():
    parser = argparse.ArgumentParser(description="A quiet SMTP sink on loopback for the benchmark.")
    parser.add_argument("--port", type=int, required=True)
    arguments = parser.parse_args()
    with Relay(tls=False, auth=False, port=arguments.port) as relay:
        print("listening on 127.0.0.1:%d" % relay.port, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
