"""An SMTP relay written for the tests, speaking the protocol itself so
that it can misbehave where aiosmtpd cannot: text injected after the 220 to
STARTTLS, a reply to the final dot that comes late or never, an outage of
4xx replies, and connections reset (TCP RST) at chosen steps.

It records every message whose data arrived whole (`received`) and every
message it answered with 250 (`accepted`): a member who appears twice in
`received` got two copies.

    with FaultRelay(folder, dot_delay=4) as relay:
        ...
        relay.accepted_counts()
"""

import asyncio
import socket
import ssl
import struct
import threading
import time
from collections import Counter

from relay import PASSWORD, USER, free_port, make_certificate


class FaultRelay:
    """A relay on 127.0.0.1 in a thread of its own.

    - `tls`: offer STARTTLS (with a throw-away certificate), and require it.
    - `inject_after_starttls`: bytes sent in clear right after the 220 to
      STARTTLS, in the same write (what a man in the middle would add).
    - `dot_delay`: seconds before answering the final dot; None never answers.
    - `outage_until`: answer 451 to MAIL until this many seconds after start.
    - `reset`: {step: connections} where step is "greeting", "mail" or
      "data", and connections a set of connection numbers (1, 2, ...) to
      reset with a TCP RST at that step.
    - `per_connection`: after this many messages on a connection, answer
      the next MAIL with 421 and close (as large providers do).
    - `refuse`: {address: reply} answered at RCPT instead of 250.
    - `dot_fault`: what to answer the final dot with instead of 250 (the
      message still counts as received, and as accepted: the relay may well
      have queued it): "garbled" (a line that is no reply), "overlong" (a
      250 line of 5,000 characters), "codeless" (text without a code),
      "badcode" (`2500 ok`), "close" (hang up without a word), "reset" (a
      TCP RST after reading the whole message).
    - `dot_fault_every`: apply `dot_fault` to every n-th message only.
    - `pipelining`: offer PIPELINING; `reorder`: then answer MAIL, RCPT
      and DATA, sent together, in reverse order (354 first).
    - `storm`: answer every MAIL with 421 and hang up.
    - `max_sessions`: greet a connection beyond this many open at once with
      `421 4.7.0 Error: too many connections` and close it (Postfix's
      anvil says so). `sessions_seen` records, for each connection, when it
      came and how many were open with it; `first_refusal` when the first
      was refused. A session counts as open until its QUIT or its end.
    - `per_second`: answer MAIL beyond this many messages a second (over
      the last second) with `454 4.7.0 Throttling failure: Maximum
      sending rate exceeded.`, as Amazon SES does; `throttled` counts them.
    - `carried` lists, for each connection that ended, the messages it
      carried (answered 250).
    """

    def __init__(self, folder=None, tls=True, inject_after_starttls=None, dot_delay=0.0, outage_until=0.0,
                 reset=None, per_connection=None, refuse=None, dot_fault=None, dot_fault_every=1,
                 pipelining=False, reorder=False, storm=False, max_sessions=None, per_second=None):
        self.port = free_port()
        self.tls = tls
        self.inject = inject_after_starttls
        self.dot_delay = dot_delay
        self.outage_until = outage_until
        self.reset = reset or {}
        self.per_connection = per_connection
        self.refuse = refuse or {}
        self.dot_fault = dot_fault
        self.dot_fault_every = dot_fault_every
        self.pipelining = pipelining
        self.reorder = reorder
        self.storm = storm
        self.max_sessions = max_sessions
        self.per_second = per_second
        self.open_sessions = 0
        self.sessions_seen = []  # (monotonic time, sessions open with this one), one a connection
        self.first_refusal = None
        self.refused_sessions = 0
        self.mail_times = []  # when each MAIL was taken (monotonic), for per_second
        self.throttled = 0
        self.carried = []
        self.accepted_times = []  # when each message was taken (monotonic)
        self.dots = 0
        self.storm_times = []  # when each 421 of the storm was sent (monotonic)
        self.context = None
        self.certificate = None
        if tls:
            cert, key = make_certificate(folder)
            self.certificate = cert
            self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self.context.load_cert_chain(str(cert), str(key))
        self.lock = threading.Lock()
        self.received = []  # (recipients, bytes), every message whose data arrived whole
        self.accepted = []  # (recipients, bytes), those answered 250
        self.connections = 0
        self.logins = 0
        self.outage_refusals = 0
        self.started = None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server = None
        self.handlers = set()

    # -- life -----------------------------------------------------------
    def __enter__(self):
        self.thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start(), self.loop)
        future.result(10)
        return self

    def __exit__(self, *exc):
        asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    async def _start(self):
        self.started = time.monotonic()
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _stop(self):
        self.server.close()
        for task in list(self.handlers):
            task.cancel()
        await asyncio.sleep(0)

    def set(self, **settings):
        """Changes how the relay behaves from the next command on."""
        def change():
            for name, value in settings.items():
                setattr(self, name, value)
            if "outage_until" in settings:
                self.started = time.monotonic()
        self.loop.call_soon_threadsafe(change)
        time.sleep(0.05)

    def accepted_counts(self):
        with self.lock:
            return Counter(rcpt for rcpts, _ in self.accepted for rcpt in rcpts)

    def received_counts(self):
        with self.lock:
            return Counter(rcpt for rcpts, _ in self.received for rcpt in rcpts)

    # -- one connection ---------------------------------------------------
    async def _serve(self, reader, writer):
        task = asyncio.current_task()
        self.handlers.add(task)
        with self.lock:
            self.connections += 1
            number = self.connections
        try:
            await self._session(number, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, asyncio.CancelledError, OSError):
            pass
        finally:
            self.handlers.discard(task)
            try:
                writer.close()
            except Exception:
                pass

    def _reset(self, writer):
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    def _resets(self, step, number):
        return number in self.reset.get(step, ())

    async def _session(self, number, reader, writer):
        if self._resets("greeting", number):
            self._reset(writer)
            return
        with self.lock:
            now = time.monotonic()
            refuse = self.max_sessions is not None and self.open_sessions >= self.max_sessions
            self.sessions_seen.append((now, self.open_sessions + 1))
            if refuse:
                self.refused_sessions += 1
                if self.first_refusal is None:
                    self.first_refusal = now
            else:
                self.open_sessions += 1
        if refuse:
            writer.write(b"421 4.7.0 fault.relay.test Error: too many connections from 127.0.0.1\r\n")
            await writer.drain()
            return
        counted = {"messages": 0, "open": True}
        try:
            await self._conversation(number, reader, writer, counted)
        finally:
            with self.lock:
                if counted["open"]:
                    self.open_sessions -= 1
                self.carried.append(counted["messages"])

    def _quit(self, counted):
        with self.lock:
            if counted["open"]:
                counted["open"] = False
                self.open_sessions -= 1

    def _over_rate(self):
        """True when a MAIL now would pass `per_second` over the last second."""
        if self.per_second is None:
            return False
        with self.lock:
            now = time.monotonic()
            self.mail_times = [moment for moment in self.mail_times if now - moment < 1.0]
            if len(self.mail_times) >= self.per_second:
                self.throttled += 1
                return True
            self.mail_times.append(now)
            return False

    async def _conversation(self, number, reader, writer, counted):
        writer.write(b"220 fault.relay.test ESMTP\r\n")
        await writer.drain()
        secure = False
        authenticated = not self.tls
        sender, recipients = None, []
        messages = 0
        held = []
        while True:
            line = await reader.readline()
            if not line:
                return
            command = line.decode("latin-1").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                offers = ["fault.relay.test"]
                if self.tls and not secure:
                    offers.append("STARTTLS")
                if secure or not self.tls:
                    offers.append("AUTH PLAIN LOGIN")
                if self.pipelining:
                    offers.append("PIPELINING")
                reply = "".join("250-%s\r\n" % offer for offer in offers[:-1]) + "250 %s\r\n" % offers[-1]
                writer.write(reply.encode())
            elif verb == "STARTTLS" and self.tls and not secure:
                writer.write(b"220 2.0.0 Ready to start TLS\r\n" + (self.inject or b""))
                await writer.drain()
                await writer.start_tls(self.context)
                secure = True
                continue
            elif verb == "AUTH":
                if self.tls and not secure:
                    writer.write(b"530 5.7.0 Must issue a STARTTLS command first\r\n")
                else:
                    authenticated = await self._auth(command, reader, writer)
                    if authenticated:
                        with self.lock:
                            self.logins += 1
            elif verb == "MAIL":
                if not authenticated:
                    writer.write(b"530 5.7.0 Authentication required\r\n")
                elif self._resets("mail", number):
                    self._reset(writer)
                    return
                elif self.storm:
                    with self.lock:
                        self.storm_times.append(time.monotonic())
                    writer.write(b"421 4.3.2 Service shutting down, closing\r\n")
                    await writer.drain()
                    return
                elif self._over_rate():
                    writer.write(b"454 4.7.0 Throttling failure: Maximum sending rate exceeded.\r\n")
                elif self.per_connection is not None and messages >= self.per_connection:
                    writer.write(b"421 4.7.0 Too many messages on one connection, closing\r\n")
                    await writer.drain()
                    return
                elif time.monotonic() - self.started < self.outage_until:
                    with self.lock:
                        self.outage_refusals += 1
                    writer.write(b"451 4.3.2 System not accepting network messages, try again later\r\n")
                else:
                    sender, recipients = command[10:].strip("<> "), []
                    if self.reorder:
                        held = [b"250 2.1.0 Ok\r\n"]
                        continue
                    writer.write(b"250 2.1.0 Ok\r\n")
            elif verb == "RCPT":
                if sender is None:
                    writer.write(b"503 5.5.1 Need MAIL first\r\n")
                else:
                    address = command.split(":", 1)[1].strip().strip("<>")
                    if address in self.refuse:
                        writer.write(self.refuse[address].encode("utf-8") + b"\r\n")
                    else:
                        recipients.append(address)
                        if self.reorder:
                            held.append(b"250 2.1.5 Ok\r\n")
                            continue
                        writer.write(b"250 2.1.5 Ok\r\n")
            elif verb == "DATA":
                if not recipients:
                    writer.write(b"503 5.5.1 Need RCPT first\r\n")
                    continue
                if self.reorder:
                    # Pipelined replies in reverse order: 354 first.
                    writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n" + b"".join(reversed(held)))
                    await writer.drain()
                    held = []
                    continue
                writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                await writer.drain()
                data = await self._data(reader, writer, number)
                if data is None:
                    return
                with self.lock:
                    self.received.append((list(recipients), data))
                if self.dot_delay is None:
                    await asyncio.sleep(3600)  # never answers; the client gives up
                    return
                if self.dot_delay:
                    await asyncio.sleep(self.dot_delay)
                with self.lock:
                    self.accepted.append((list(recipients), data))
                    self.accepted_times.append(time.monotonic())
                    queued = len(self.accepted)
                    self.dots += 1
                    faulty = self.dot_fault is not None and self.dots % self.dot_fault_every == 0
                if faulty:
                    fault = self.dot_fault
                    if fault == "close":
                        return
                    if fault == "reset":
                        self._reset(writer)
                        return
                    writer.write({
                        "garbled": b"\x00\x01 what is this\r\n",
                        "overlong": b"250 " + b"x" * 5000 + b"\r\n",
                        "codeless": b"Ok: queued\r\n",
                        "badcode": b"2500 ok\r\n",
                    }[fault])
                    await writer.drain()
                    sender, recipients = None, []
                    continue
                writer.write(b"250 2.0.0 Ok: queued as F%06d\r\n" % queued)
                sender, recipients = None, []
                messages += 1
                counted["messages"] = messages
            elif verb == "RSET":
                sender, recipients = None, []
                writer.write(b"250 2.0.0 Ok\r\n")
            elif verb == "NOOP":
                writer.write(b"250 2.0.0 Ok\r\n")
            elif verb == "QUIT":
                self._quit(counted)
                writer.write(b"221 2.0.0 Bye\r\n")
                await writer.drain()
                return
            else:
                writer.write(b"502 5.5.2 Command not recognised\r\n")
            await writer.drain()

    async def _auth(self, command, reader, writer):
        import base64
        parts = command.split()
        if len(parts) >= 2 and parts[1].upper() == "PLAIN":
            token = parts[2] if len(parts) > 2 else None
            if token is None:
                writer.write(b"334 \r\n")
                await writer.drain()
                token = (await reader.readline()).decode().strip()
            fields = base64.b64decode(token).split(b"\0")
            ok = fields[1:] == [USER.encode(), PASSWORD.encode()]
        elif len(parts) >= 2 and parts[1].upper() == "LOGIN":
            writer.write(b"334 VXNlcm5hbWU6\r\n")
            await writer.drain()
            user = base64.b64decode((await reader.readline()).strip())
            writer.write(b"334 UGFzc3dvcmQ6\r\n")
            await writer.drain()
            password = base64.b64decode((await reader.readline()).strip())
            ok = (user, password) == (USER.encode(), PASSWORD.encode())
        else:
            writer.write(b"504 5.5.4 Unrecognized authentication type\r\n")
            return False
        writer.write(b"235 2.7.0 Authentication successful\r\n" if ok else b"535 5.7.8 Authentication failed\r\n")
        return ok

    async def _data(self, reader, writer, number):
        """The message up to the final dot, un-stuffed; None after a reset."""
        lines = []
        size = 0
        while True:
            line = await reader.readline()
            if not line:
                return None
            size += len(line)
            if self._resets("data", number) and size > 2000:
                self._reset(writer)
                return None
            if line == b".\r\n":
                return b"".join(lines)
            lines.append(line[1:] if line.startswith(b".") else line)
