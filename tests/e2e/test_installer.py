"""manifest/install_host.py: the files it writes for Linux, macOS and
Windows (Linux is also exercised for real by every other e2e test)."""

import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INSTALLER = os.path.join(REPO, "manifest", "install_host.py")


def run(*args):
    return subprocess.run([sys.executable, INSTALLER, *args], check=True, capture_output=True, text=True)


def test_linux_files_launcher_runs_the_real_host(tmp_path):
    run("install", "--platform", "linux", "--home", str(tmp_path))
    manifest = tmp_path / ".mozilla" / "native-messaging-hosts" / "tsuribari.json"
    data = json.loads(manifest.read_text())
    assert data == {"name": "tsuribari", "description": data["description"], "path": data["path"],
                    "type": "stdio", "allowed_extensions": ["tsuribari@tsuribari.dev"]}
    launcher = data["path"]
    assert os.path.isabs(launcher) and os.access(launcher, os.X_OK)
    # The launcher speaks the native protocol: ping through it.
    import struct
    req = json.dumps({"id": 7, "type": "ping"}).encode()
    out = subprocess.run([launcher, str(manifest), "tsuribari@tsuribari.dev"], input=struct.pack("@I", len(req)) + req,
                         capture_output=True, timeout=60, env=dict(os.environ, HOME=str(tmp_path))).stdout
    reply = json.loads(out[4:4 + struct.unpack("@I", out[:4])[0]])
    assert reply["id"] == 7 and reply["ok"] and reply["result"]["version"]
    run("uninstall", "--platform", "linux", "--home", str(tmp_path))
    assert not manifest.exists() and not os.path.exists(launcher)


def test_macos_files(tmp_path):
    run("install", "--platform", "darwin", "--home", str(tmp_path))
    manifest = tmp_path / "Library" / "Mozilla" / "NativeMessagingHosts" / "tsuribari.json"
    data = json.loads(manifest.read_text())
    assert data["path"] == str(tmp_path / "Library" / "Application Support" / "Tsuribari" / "tsuribari-host")
    assert data["allowed_extensions"] == ["tsuribari@tsuribari.dev"]
    assert open(data["path"]).read().startswith("#!/bin/sh")
    run("uninstall", "--platform", "darwin", "--home", str(tmp_path))
    assert not manifest.exists()


def test_windows_files(tmp_path):
    run("install", "--platform", "win32", "--home", str(tmp_path))
    base = tmp_path / "AppData" / "Local" / "Tsuribari"
    data = json.loads((base / "tsuribari.json").read_text())
    assert data["path"].endswith("tsuribari-host.bat")
    bat = (base / "tsuribari-host.bat").read_bytes()
    assert bat.startswith(b"@echo off\r\n") and b"\\.venv\\Scripts\\tsuribari.exe\" host\r\n" in bat.replace(b"/", b"\\")
    reg = (base / "tsuribari.reg").read_text(encoding="utf-8")
    assert "[HKEY_CURRENT_USER\\Software\\Mozilla\\NativeMessagingHosts\\tsuribari]" in reg
    assert '@="' + str(base / "tsuribari.json").replace("\\", "\\\\") + '"' in reg
    run("uninstall", "--platform", "win32", "--home", str(tmp_path))
    assert not base.exists()
