"""A private Postfix instance on loopback for the tests: Debian's own
Postfix (apt-get install postfix), with its configuration, queue and
mailboxes in a temporary folder, so nothing of the machine's mail setup is
used or changed.

It accepts mail on 127.0.0.1:PORT for two virtual domains:

- ``lists.test``: ``bounces@lists.test`` is a Maildir (``+`` extensions
  delivered to it, as VERP needs);
- ``members.test``: the mailboxes named in ``mailboxes`` exist (Maildirs);
  any other address is accepted at RCPT (``smtpd_reject_unlisted_recipient
  = no``) and then fails at delivery, so Postfix's bounce daemon writes a
  real RFC 3464 delivery report to the envelope sender.

Postfix must be started as root (its master drops privileges); the tests
skip when that or Postfix is missing.
"""

import os
import pathlib
import pwd
import shutil
import socket
import subprocess
import tempfile
import time

POSTFIX = "/usr/sbin/postfix"

MASTER_CF = """\
{port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


def available():
    """Why a private Postfix cannot run here, or None."""
    if not os.path.exists(POSTFIX):
        return "Postfix is not installed (apt-get install postfix)"
    if os.geteuid() != 0:
        return "Postfix's master must be started as root"
    try:
        pwd.getpwnam("postfix")
    except KeyError:
        return "there is no postfix user"
    return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostfixInstance:
    """Starts on enter, stops on exit. ``maildir(address)`` is the Maildir
    an address of ours is delivered to."""

    def __init__(self, mailboxes=()):
        # Postfix's own processes run as the postfix user, who must reach
        # every folder on the way: pytest's tmp_path is its owner's alone.
        self.root = pathlib.Path(tempfile.mkdtemp(prefix="digest-postfix-"))
        os.chmod(self.root, 0o755)
        self.port = free_port()
        self.mailboxes = list(mailboxes)
        self.config = self.root / "postfix"
        self.mail = self.root / "mail"

    def maildir(self, address):
        local, domain = address.split("@")
        return self.mail / domain / local

    def __enter__(self):
        for folder in ("queue", "data"):
            (self.config / folder).mkdir(parents=True, exist_ok=True)
        self.mail.mkdir(parents=True, exist_ok=True)
        postfix = pwd.getpwnam("postfix")
        os.chown(self.mail, postfix.pw_uid, postfix.pw_gid)
        os.chown(self.config / "data", postfix.pw_uid, postfix.pw_gid)
        entries = ["bounces@lists.test lists.test/bounces/"]
        entries += [f"{address} {address.split('@')[1]}/{address.split('@')[0]}/" for address in self.mailboxes]
        (self.config / "vmailbox").write_text("\n".join(entries) + "\n")
        (self.config / "main.cf").write_text(
            f"""\
compatibility_level = 3.6
queue_directory = {self.config / 'queue'}
data_directory = {self.config / 'data'}
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.lists.test
mydomain = lists.test
myorigin = lists.test
mydestination =
mynetworks = 127.0.0.0/8
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
smtp_dns_support_level = disabled
relay_domains =
local_transport = error:5.1.2 no local delivery here
virtual_mailbox_domains = lists.test, members.test
virtual_mailbox_base = {self.mail}
virtual_mailbox_maps = texthash:{self.config / 'vmailbox'}
virtual_uid_maps = static:{postfix.pw_uid}
virtual_gid_maps = static:{postfix.pw_gid}
virtual_minimum_uid = 1
recipient_delimiter = +
smtpd_reject_unlisted_recipient = no
smtpd_recipient_restrictions = permit_mynetworks, reject
maillog_file = {self.config / 'maillog'}
maillog_file_prefixes = {self.root}
bounce_queue_lifetime = 0
maximal_queue_lifetime = 1h
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
"""
        )
        (self.config / "master.cf").write_text(MASTER_CF.format(port=f"127.0.0.1:{self.port}"))
        run = subprocess.run(
            [POSTFIX, "-c", str(self.config), "start"], capture_output=True, text=True, timeout=60
        )
        if run.returncode != 0:
            raise RuntimeError(f"postfix start: {run.stdout}{run.stderr}{self.log()}")
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                    if connection.recv(100).startswith(b"220"):
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"postfix did not answer on port {self.port}: {self.log()}")

    def __exit__(self, *exc):
        subprocess.run([POSTFIX, "-c", str(self.config), "stop"], capture_output=True, timeout=60)
        # The master waits for its children; give it a moment, then tidy.
        time.sleep(0.5)
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self):
        path = self.config / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""

    def messages(self, address):
        """The files delivered to the Maildir of ``address``."""
        maildir = self.maildir(address)
        return sorted((maildir / "new").glob("*")) + sorted((maildir / "cur").glob("*"))

    def wait_for(self, address, count, timeout=60):
        """Waits until ``count`` messages are in the Maildir of ``address``."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.messages(address)
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(
            f"{len(self.messages(address))} of {count} messages reached {address}\n{self.log()[-4000:]}"
        )
