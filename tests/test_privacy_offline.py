"""Issue 6.5 (offline half): with --offline no socket is opened and nothing is written to disk.

Socket use is recorded (not just refused): code that swallows the refusal in a
try/except would otherwise pass unnoticed.
"""
from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hostile.generate import CASES  # noqa: E402

SEED = HERE / "fixtures" / "mail" / "kagoya-active-mail.eml"
INET = (socket.AF_INET, socket.AF_INET6)


@pytest.fixture
def mails(tmp_path) -> list[Path]:
    out = [SEED]
    for case in CASES:
        path = tmp_path / f"{case.name}.eml"
        path.write_bytes(case.build(0.01))
        out.append(path)
    return out


@pytest.fixture
def socket_log(monkeypatch) -> list[str]:
    log: list[str] = []

    def refuse(what):
        def guard(*args, **kwargs):
            log.append(f"{what}{args[1:2] if what.startswith('socket.') else args[:1]}")
            raise OSError(f"test: {what} refused (offline)")
        return guard

    real_init = socket.socket.__init__

    def init(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family in (-1, *INET):
            log.append(f"socket({family})")
            raise OSError("test: internet socket refused (offline)")
        real_init(self, family, type, proto, fileno)

    monkeypatch.setattr(socket.socket, "__init__", init)
    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        monkeypatch.setattr(socket, name, refuse(name))
    return log


@pytest.mark.timeout(120)
def test_cli_offline_opens_no_socket(mails, socket_log, capsys):
    from tsuribari.cli import main
    for path in mails:
        assert main(["analyze", str(path), "--offline", "--json"]) == 0, path.name
        assert json.loads(capsys.readouterr().out)["verdict"] in ("safe", "suspicious", "phishing")
        assert main(["analyze", str(path), "--offline", "--markdown", "--lang", "en"]) == 0
        capsys.readouterr()
    assert socket_log == []


@pytest.mark.timeout(120)
def test_host_offline_requests_open_no_socket(mails, socket_log, tmp_path):
    from tsuribari.host import Host
    host = Host(str(tmp_path / "missing.toml"))
    for path in [m for m in mails if m.stat().st_size]:     # the host refuses an empty message outright
        reply = host.handle(json.dumps({"id": 1, "type": "analyze", "raw_b64": base64.b64encode(path.read_bytes()).decode(),
                                        "options": {"offline": True, "markdown": True}}).encode())
        assert reply["ok"], reply
    assert host.handle(b'{"id": 2, "type": "ping"}')["ok"]
    assert socket_log == []


def test_the_guard_sees_a_connection_attempt(socket_log):
    # The test above is only as good as its guard: a plain lookup must be recorded.
    with pytest.raises(OSError):
        socket.getaddrinfo("example.org", 80)
    with pytest.raises(OSError):
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    assert len(socket_log) == 2


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.timeout(300)
def test_offline_runs_write_nothing_to_disk(mails, tmp_path):
    home, work, tmp = tmp_path / "home", tmp_path / "cwd", tmp_path / "tmp"
    for d in (home, work, tmp):
        d.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_DATA_HOME": str(home / ".local/share"), "XDG_STATE_HOME": str(home / ".local/state"), "TMPDIR": str(tmp),
           "PYTHONDONTWRITEBYTECODE": "1"}
    cli = [sys.executable, "-m", "tsuribari"]
    for path in mails[:12]:
        proc = subprocess.run(cli + ["analyze", str(path), "--offline", "--json"], env=env, cwd=work,
                              capture_output=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
    # The host too, as Thunderbird starts it, with the add-on's offline option.
    frames = b"".join(len(b).to_bytes(4, sys.byteorder) + b for b in (json.dumps(
        {"id": i, "type": "analyze", "raw_b64": base64.b64encode(p.read_bytes()).decode(), "options": {"offline": True}}).encode()
        for i, p in enumerate(mails[:6])))
    proc = subprocess.run(cli + ["host"], input=frames, env=env, cwd=work, capture_output=True, timeout=120)
    assert proc.returncode == 0
    assert (_files(home), _files(work), _files(tmp)) == ([], [], [])
