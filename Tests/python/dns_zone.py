"""A DNS server on loopback for `digest mail check`'s tests: dnslib
answering from a table of records, over UDP and TCP on one port.

    with Zone({"_dmarc.example.org": [("TXT", "v=DMARC1; p=none")]}) as zone:
        ... digest mail check --dns 127.0.0.1:%d % zone.port

A name with no record of a type answers NOERROR with nothing (NODATA);
a name not in the table answers NXDOMAIN; names listed in `failing`
answer SERVFAIL. Long TXT values are split into 255-byte strings, as a
zone file would."""

import socket

from dnslib import AAAA, MX, QTYPE, RCODE, RR, TXT, A
from dnslib.server import BaseResolver, DNSServer


class _Resolver(BaseResolver):
    def __init__(self, records, failing):
        self.records = {name.lower().rstrip("."): values for name, values in records.items()}
        self.failing = {name.lower().rstrip(".") for name in failing}

    def resolve(self, request, handler):
        reply = request.reply()
        name = str(request.q.qname).lower().rstrip(".")
        kind = QTYPE[request.q.qtype]
        if name in self.failing:
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        if name not in self.records:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        for record_type, value in self.records[name]:
            if record_type != kind:
                continue
            if record_type == "TXT":
                data = value.encode()
                rdata = TXT([data[i:i + 255] for i in range(0, len(data), 255)] or [b""])
            elif record_type == "MX":
                preference, exchange = value
                rdata = MX(exchange, preference)
            elif record_type == "A":
                rdata = A(value)
            else:
                rdata = AAAA(value)
            reply.add_answer(RR(request.q.qname, QTYPE.reverse[record_type], rdata=rdata, ttl=60))
        return reply


class Zone:
    def __init__(self, records, failing=()):
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        resolver = _Resolver(records, failing)
        self.servers = [DNSServer(resolver, address="127.0.0.1", port=self.port),
                        DNSServer(resolver, address="127.0.0.1", port=self.port, tcp=True)]

    def __enter__(self):
        for server in self.servers:
            server.start_thread()
        return self

    def __exit__(self, *exc):
        for server in self.servers:
            server.stop()
