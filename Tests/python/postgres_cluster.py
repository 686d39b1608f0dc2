"""A private PostgreSQL for the tests, started with Tests/postgres/cluster
(initdb into a temporary folder as a user other than root, a free loopback
port): a real server, never a mock. It stops when the test process ends."""

import os
import subprocess
import uuid

from conftest import ROOT

SCRIPT = ROOT / "Tests" / "postgres" / "cluster"
PASSWORD = "digest-test-secret"


def own():
    """A cluster of its own, for a test that stops and starts the server;
    the test is skipped where PostgreSQL is not installed (CI requires it)."""
    import pytest
    try:
        return Cluster()
    except FileNotFoundError as missing:
        pytest.skip(str(missing))


class Cluster:
    def __init__(self):
        result = subprocess.run(["bash", str(SCRIPT), "start", str(os.getpid())], capture_output=True, text=True,
                                timeout=120)
        if result.returncode == 3:
            raise FileNotFoundError(result.stderr.strip())
        assert result.returncode == 0, result.stderr
        port, self.folder = result.stdout.split()
        self.port = int(port)

    def database(self):
        """A new, empty database: its address (TCP, the password asked)."""
        name = "t_" + uuid.uuid4().hex[:8]
        subprocess.run(["bash", str(SCRIPT), "createdb", self.folder, name], check=True, timeout=60)
        return "postgresql://digest@127.0.0.1:%d/%s" % (self.port, name)

    def ctl(self, *arguments):
        subprocess.run(["bash", str(SCRIPT), "ctl", self.folder, *arguments], check=True, timeout=120,
                       stdout=subprocess.DEVNULL)

    def psql(self, url, sql):
        """Runs `sql` in the database at `url`; its rows, tab-separated."""
        result = subprocess.run(["psql", url, "-AtF", "\t", "-c", sql], capture_output=True, text=True,
                                env=dict(os.environ, PGPASSWORD=PASSWORD), timeout=60)
        assert result.returncode == 0, result.stderr
        return [line.split("\t") for line in result.stdout.splitlines()]

    def stop(self):
        subprocess.run(["bash", str(SCRIPT), "stop", self.folder], timeout=60)
