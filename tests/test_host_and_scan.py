"""The native-messaging host as Thunderbird drives it, and `scan` over dirs, mbox and Maildir."""
from __future__ import annotations

import base64
import json
import mailbox
import struct
import subprocess
import sys

from conftest import ROOT, SEED


class HostProcess:
    def __init__(self):
        # Thunderbird passes the manifest path and the add-on id as arguments.
        self.proc = subprocess.Popen([sys.executable, "-m", "tsuribari", "/x/tsuribari.json", "tsuribari@tsuribari.dev"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)

    def send(self, obj) -> None:
        data = json.dumps(obj).encode()
        self.proc.stdin.write(struct.pack("=I", len(data)) + data)
        self.proc.stdin.flush()

    def receive(self) -> dict:
        (n,) = struct.unpack("=I", self.proc.stdout.read(4))
        assert n < 1024 * 1024
        return json.loads(self.proc.stdout.read(n))

    def close(self) -> int:
        self.proc.stdin.close()
        return self.proc.wait(timeout=30)


def test_ping_then_many_analyses_on_one_connection():
    host = HostProcess()
    try:
        host.send({"id": 1, "type": "ping"})
        pong = host.receive()
        assert pong["ok"] and pong["id"] == 1 and pong["result"]["version"]
        raw_b64 = base64.b64encode(SEED.read_bytes()).decode()
        for i in range(2, 5):   # pipelined: all sent before any reply is read
            host.send({"id": i, "type": "analyze", "raw_b64": raw_b64, "options": {"lang": "en", "offline": True, "markdown": i == 4}})
        replies = [host.receive() for _ in range(3)]
        assert [r["id"] for r in replies] == [2, 3, 4]
        assert all(r["ok"] and r["result"]["verdict"] == "phishing" for r in replies)
        assert "hxxp://sgogoj[.]com" in replies[2]["result"]["markdown"]
        host.send({"id": 5, "type": "analyze", "raw_b64": "%%%"})
        bad = host.receive()
        assert bad == {"id": 5, "ok": False, "error": {"code": "bad_base64", "message": "raw_b64 is not valid base64"}}
    finally:
        assert host.close() == 0


def _scan(*paths: str) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "tsuribari", "scan", "--offline", "--jsonl", *paths],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_scan_directory_mbox_and_maildir(tmp_path):
    seed = SEED.read_bytes()
    (tmp_path / "dir" / "sub").mkdir(parents=True)
    (tmp_path / "dir" / "sub" / "a.eml").write_bytes(seed)
    (tmp_path / "dir" / "b.eml").write_bytes(b"From: x@y.example\nSubject: hi\n\nhello\n")
    box = mailbox.mbox(tmp_path / "box.mbox")
    box.add(seed)
    box.add(b"From: x@y.example\nSubject: hi\n\nhello\n")
    box.flush()
    md = mailbox.Maildir(tmp_path / "md")
    md.add(seed)
    results = _scan(str(tmp_path / "dir"), str(tmp_path / "box.mbox"), str(tmp_path / "md"), str(tmp_path / "missing.eml"))
    by_source = {r["source"]: r for r in results}
    assert by_source[str(tmp_path / "dir" / "sub" / "a.eml")]["verdict"] == "phishing"
    assert by_source[str(tmp_path / "dir" / "b.eml")]["verdict"] == "safe"
    assert by_source[f"{tmp_path / 'box.mbox'}#0"]["verdict"] == "phishing"
    assert by_source[f"{tmp_path / 'box.mbox'}#1"]["verdict"] == "safe"
    assert [r["verdict"] for r in results if r["source"].startswith(str(tmp_path / "md") + "#")] == ["phishing"]
    assert "error" in by_source[str(tmp_path / "missing.eml")]


def test_scan_with_two_jobs_gives_the_same_verdicts(tmp_path):
    for i in range(6):
        (tmp_path / f"{i}.eml").write_bytes(SEED.read_bytes() if i % 2 else b"From: a@b.example\n\nhi\n")
    proc = subprocess.run([sys.executable, "-m", "tsuribari", "scan", "--offline", "--jsonl", "--jobs", "2", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    verdicts = [json.loads(l)["verdict"] for l in proc.stdout.splitlines()]
    assert verdicts == ["safe", "phishing"] * 3
