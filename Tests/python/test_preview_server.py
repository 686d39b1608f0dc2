"""The staff preview as a network server: it answers only its own address,
and no client can hold it with idle, slow or unending connections.

Runs the real `digest preview` on a free loopback port (port 0), reading the
port from the line it prints once listening (the `server` fixture, conftest.py).
"""

import re
import socket
import time
from pathlib import Path

IDLE_LIMIT = 10       # BoundedChannel.Limits.idle
CONNECTION_LIMIT = 64  # BoundedChannel.Limits.connections


def request(port, raw, timeout=5.0):
    """Sends raw bytes; returns (response bytes, closed-by-server)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(raw)
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                return data, False
            if not chunk:
                return data, True
            data += chunk
        return data, False


def status(response):
    return int(response.split(b" ", 2)[1])


def test_only_its_own_host_is_answered(server):
    _, port = server
    for host in [f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"]:
        response, _ = request(port, f"GET /version HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert status(response) == 200, host
    for host in ["evil.example", f"evil.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}",
                 f"127.0.0.1.evil.example:{port}"]:
        response, _ = request(port, f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert status(response) == 421, host
        assert b"Justice For All" not in response
    response, _ = request(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert status(response) == 421


def test_http_1_0_is_closed_after_the_response(server):
    _, port = server
    start = time.monotonic()
    response, closed = request(port, f"GET /version HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    assert status(response) == 200
    assert closed and time.monotonic() - start < 3


def test_keep_alive_serves_several_requests_on_one_connection(server):
    _, port = server
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        for _ in range(3):
            s.sendall(f"GET /version HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            data = b""
            while b"\r\n\r\n" not in data:
                data += s.recv(4096)
            head, body = data.split(b"\r\n\r\n", 1)
            length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
            while len(body) < length:
                body += s.recv(4096)
            assert status(head) == 200


def test_idle_and_slow_connections_are_closed(server):
    _, port = server
    idle = socket.create_connection(("127.0.0.1", port))
    slow = socket.create_connection(("127.0.0.1", port))
    slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:")
    started = time.monotonic()
    closed = {}
    for s in (idle, slow):
        s.settimeout(0.5)
    while time.monotonic() - started < IDLE_LIMIT + 8 and len(closed) < 2:
        # The slow client keeps sending a byte now and then, never finishing its headers.
        if "slow" not in closed:
            try:
                slow.sendall(b"1")
            except OSError:
                closed["slow"] = time.monotonic() - started
        for name, s in (("idle", idle), ("slow", slow)):
            if name in closed:
                continue
            try:
                if s.recv(4096) == b"":
                    closed[name] = time.monotonic() - started
            except socket.timeout:
                pass
            except OSError:
                closed[name] = time.monotonic() - started
    idle.close()
    slow.close()
    assert set(closed) == {"idle", "slow"}, closed
    assert all(IDLE_LIMIT - 1 <= seconds <= IDLE_LIMIT + 4 for seconds in closed.values()), closed


def resident_kib(pid):
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", text).group(1))


PER_CLIENT_LIMIT = 16  # BoundedChannel.Limits.perClient


def connect_from(address, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(5)
    sock.bind((address, 0))
    sock.connect(("127.0.0.1", port))
    return sock


def fate(sock):
    """'open' (nothing to read yet), 'busy' (answered 503, then closed) or 'closed'."""
    sock.settimeout(0.05)
    try:
        data = sock.recv(4096)
    except socket.timeout:
        return "open"
    except OSError:
        return "closed"
    if data.startswith(b"HTTP/1.1 503 ") and b"Retry-After: 1\r\n" in data:
        return "busy"
    return "closed" if data == b"" else repr(data[:40])


def test_one_address_gets_its_share_and_the_rest_a_503_and_memory_stays_small(server):
    """Four times the connection limit from one address: 16 held, every
    other one answered 503 with Retry-After (never accepted and dropped)."""
    process, port = server
    held = []
    try:
        for _ in range(CONNECTION_LIMIT * 4):
            held.append(connect_from("127.0.0.1", port))
        time.sleep(1)
        fates = [fate(s) for s in held]
        assert fates.count("open") == PER_CLIENT_LIMIT, fates
        assert fates.count("busy") == CONNECTION_LIMIT * 4 - PER_CLIENT_LIMIT, set(fates)
        assert resident_kib(process.pid) < 200 * 1024
    finally:
        for s in held:
            s.close()
    time.sleep(1)
    # Once they are gone, the server answers again.
    response, _ = request(port, f"GET /version HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    assert status(response) == 200


def test_a_full_server_stops_accepting_and_serves_the_next_once_one_closes(server):
    """64 connections from four addresses fill the server; a 65th from a
    fifth address waits unanswered (back-pressure: not accepted, not
    dropped) and is served as soon as one of the 64 closes."""
    _, port = server
    held = []
    try:
        for index in range(CONNECTION_LIMIT):
            held.append(connect_from(f"127.0.0.{2 + index // PER_CLIENT_LIMIT}", port))
        time.sleep(0.5)
        assert [fate(s) for s in held].count("open") == CONNECTION_LIMIT
        waiting = connect_from("127.0.0.9", port)
        waiting.sendall(f"GET /version HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        waiting.settimeout(1.5)
        try:
            early = waiting.recv(4096)
        except socket.timeout:
            early = None
        assert early is None, early  # neither answered nor closed while the server is full
        held.pop().close()
        waiting.settimeout(5)
        data = b""
        while True:
            chunk = waiting.recv(4096)
            if not chunk:
                break
            data += chunk
        assert status(data) == 200, data[:80]
        waiting.close()
    finally:
        for s in held:
            s.close()
