"""A private dovecot IMAP server on 127.0.0.1 for one test session."""

import imaplib
import os
import shutil
import subprocess

from util import free_port, wait_port

USER, PASSWORD = "tester", "secret"


class Dovecot:
    def __init__(self, root: str, logdir: str):
        self.root, self.logdir = root, logdir
        self.port = free_port()
        self.proc = None

    def start(self) -> None:
        mail = os.path.join(self.root, "mail")
        os.makedirs(os.path.join(self.root, "run"), exist_ok=True)
        os.makedirs(mail, exist_ok=True)
        # Mail processes run as nobody: the tree must be reachable and theirs.
        for d in (os.path.dirname(self.root), self.root):
            os.chmod(d, 0o755)
        shutil.chown(mail, "nobody", "nogroup")
        with open(os.path.join(self.root, "passwd"), "w") as fh:
            fh.write(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        conf = os.path.join(self.root, "dovecot.conf")
        with open(conf, "w") as fh:
            fh.write(f"""base_dir = {self.root}/run
instance_name = tsuribari-e2e-{self.port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {self.logdir}/dovecot.log
mail_location = maildir:{mail}/%u/Maildir
first_valid_uid = 1
namespace inbox {{
  inbox = yes
  separator = /
  # SPECIAL-USE tells Thunderbird which folder is Junk, as real providers do.
  mailbox Junk {{
    special_use = \\Junk
    auto = subscribe
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={mail}/%u
}}
""")
        self.proc = subprocess.Popen(["dovecot", "-F", "-c", conf],
                                     stdout=open(os.path.join(self.logdir, "dovecot.out"), "w"),
                                     stderr=subprocess.STDOUT)
        wait_port(self.port, 15, self.proc)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def client(self) -> imaplib.IMAP4:
        c = imaplib.IMAP4("127.0.0.1", self.port)
        c.login(USER, PASSWORD)
        return c

    def deliver(self, raw: bytes, mailbox: str = "INBOX") -> None:
        c = self.client()
        try:
            typ, data = c.append(mailbox, None, None, raw)
            assert typ == "OK", data
        finally:
            c.logout()

    def flags(self, mailbox: str = "INBOX") -> dict:
        """Message-ID -> IMAP flags/keywords as the server stores them."""
        c = self.client()
        try:
            c.select(mailbox, readonly=True)
            typ, data = c.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
            out = {}
            for item in data:
                if isinstance(item, tuple):
                    meta, hdr = item
                    mid = hdr.decode(errors="replace").split("<", 1)[-1].split(">", 1)[0]
                    out[mid] = meta.decode().split("FLAGS (", 1)[1].split(")", 1)[0].split()
            return out
        finally:
            c.logout()
