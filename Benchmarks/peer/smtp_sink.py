"""A fast SMTP sink on loopback for the send benchmark.

aiosmtpd, the relay of the tests, reads the data line by line in Python
and takes a few milliseconds a message; this sink reads whatever arrives,
finds the end of the data with bytes.find, and answers at once, so the
benchmark measures the sender. It offers PIPELINING and answers each
command of a pipelined group in order. It counts messages, bytes and the
reads that held MAIL, RCPT and DATA at once, and prints them when stopped
(SIGTERM).

python3 smtp_sink.py PORT [REJECTED-ADDRESS]   (that address gets 550 at RCPT)

With SINK_FIRST=PATH in the environment, the time (seconds since 1970) the
first message's data ended is written to PATH: the benchmark's "first
message" figure.

With SINK_DELAY=SECONDS, every reply (the greeting, and each group of
replies to what one read brought) is written that long after it was due,
in order: a relay a network's distance away (0.025 for a provider 25 ms off).
"""

import asyncio
import os
import signal
import sys
import time

REPLIES = {b"EHLO": b"250-sink.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 10000000\r\n",
           b"HELO": b"250 sink.test\r\n", b"MAIL": b"250 2.1.0 Ok\r\n", b"RCPT": b"250 2.1.5 Ok\r\n",
           b"RSET": b"250 2.0.0 Ok\r\n", b"NOOP": b"250 2.0.0 Ok\r\n", b"DATA": b"354 End data with <CR><LF>.<CR><LF>\r\n"}
count = 0
size = 0
pipelined = 0  # reads that held MAIL, RCPT and DATA together
resets = 0
rejected = sys.argv[2].encode() if len(sys.argv) > 2 else None
delay = float(os.environ.get("SINK_DELAY", "0"))


class Sink(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        self.in_data = False
        self.recipients = 0
        self.later = []  # replies waiting for their delay, oldest first; None closes
        self.reply(b"220 sink.test ESMTP\r\n")

    def reply(self, data, close=False):
        """Writes `data` now, or after the delay, in order."""
        if not delay:
            self.transport.write(data)
            if close:
                self.transport.close()
            return
        self.later.append((data, close))
        asyncio.get_running_loop().call_later(delay, self.flush_one)

    def flush_one(self):
        data, close = self.later.pop(0)
        if self.transport.is_closing():
            return
        self.transport.write(data)
        if close:
            self.transport.close()

    def data_received(self, data):
        global count, size, pipelined, resets
        self.buffer += data
        out = []
        verbs = set()
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    break
                size += end
                count += 1
                if count == 1 and os.environ.get("SINK_FIRST"):
                    with open(os.environ["SINK_FIRST"], "w") as stamp:
                        stamp.write("%.6f" % time.time())
                self.buffer = self.buffer[end + 5:]
                self.in_data = False
                out.append(b"250 2.0.0 Ok: queued as S%d\r\n" % count)
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                break
            line, self.buffer = self.buffer[:end], self.buffer[end + 2:]
            verb = line[:4].upper()
            verbs.add(verb)
            if verb == b"QUIT":
                out.append(b"221 2.0.0 Bye\r\n")
                self.reply(b"".join(out), close=True)
                return
            if verb in (b"MAIL", b"RSET"):
                self.recipients = 0
                resets += verb == b"RSET"
            if verb == b"RCPT" and rejected and rejected in line:
                out.append(b"550 5.1.1 Recipient address rejected\r\n")
                continue
            if verb == b"RCPT":
                self.recipients += 1
            if verb == b"DATA" and self.recipients == 0:
                out.append(b"554 5.5.1 No valid recipients\r\n")
                continue
            out.append(REPLIES.get(verb, b"502 5.5.2 Not implemented\r\n"))
            if verb == b"DATA":
                self.in_data = True
        if {b"MAIL", b"RCPT", b"DATA"} <= verbs:
            pipelined += 1
        if out:
            self.reply(b"".join(out))


async def main(port):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Sink, "127.0.0.1", port)
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    print("listening on 127.0.0.1:%d" % port, flush=True)
    async with server:
        await stop
    print(count, size, pipelined, resets, flush=True)


asyncio.run(main(int(sys.argv[1])))
