"""Fixtures shared by the Python checks."""

import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIGEST = ROOT / ".build" / "debug" / "digest"


@pytest.fixture(scope="module")
def server():
    """The real `digest preview` on a free loopback port: (process, port)."""
    process = subprocess.Popen([str(DIGEST), "preview", "--port", "0"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # The preview's own line comes first and alone: Hummingbird's start-up
    # log line (with its timestamp) is not printed beside it.
    line = process.stderr.readline()
    match = re.match(r"Previews at http://127\.0\.0\.1:(\d+)/ \(Ctrl-C to stop\)\n$", line)
    assert match, line
    port = int(match.group(1))
    # Printed once listening: the very first connection succeeds, with no retry.
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    yield process, port
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def every_month(tmp_path_factory):
    """Every sample month rendered in every language (text, HTML, JSON and
    the workbook), once for the session: the folder `render --out` wrote."""
    out = tmp_path_factory.mktemp("every-month")
    result = subprocess.run(
        [str(DIGEST), "render", "--all", "--all-languages", "--format", "text,html,json,xlsx", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def postgres():
    """A private PostgreSQL (postgres_cluster.Cluster), one a module; each
    test makes its own database with `postgres.database()`."""
    from postgres_cluster import Cluster
    try:
        cluster = Cluster()
    except FileNotFoundError as missing:
        pytest.skip(str(missing))
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (launched with executable_path,
    so Playwright downloads no browser of its own)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Debian's chromium is not installed")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield launched
        launched.close()


# `.ci/run` sets DIGEST_REQUIRE_ORACLES=1: there a test skipped because an
# independent reader or a real server (Java for the Nu checker, Chromium,
# Postfix, LibreOffice, flufl.bounce, curl) is missing fails the run, so a
# CI machine without one cannot pass without checking. On a developer's
# machine the skips stay skips, each with its reason.
def pytest_sessionfinish(session, exitstatus):
    import os
    if os.environ.get("DIGEST_REQUIRE_ORACLES") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        for report in skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            reporter.write_line(f"oracle missing (DIGEST_REQUIRE_ORACLES=1): {report.nodeid}: {reason}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
