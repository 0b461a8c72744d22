#!/usr/bin/env python3
"""Register (or remove) the Tsuribari native-messaging host for the current user.

Thunderbird finds a native host through a JSON manifest in a per-user place
that differs per OS; the manifest points at a launcher that starts
`<repo>/.venv/bin/tsuribari host`. `--home`/`--prefix`/`--platform` let tests
generate every OS's files into a scratch folder.

    python3 manifest/install_host.py install   [--platform linux|darwin|win32] [--home DIR] [--prefix DIR]
    python3 manifest/install_host.py uninstall [same options]
    python3 manifest/install_host.py status    [same options]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from pathlib import Path

HOST_NAME = "tsuribari"
ADDON_ID = "tsuribari@tsuribari.dev"
REG_KEY = rf"Software\Mozilla\NativeMessagingHosts\{HOST_NAME}"
REPO = Path(__file__).resolve().parent.parent


def plan(platform: str, home: Path, prefix: Path | None, repo: Path) -> dict:
    """Every path the installer writes, for one platform."""
    if platform == "linux":
        manifest_dir = home / ".mozilla" / "native-messaging-hosts"
        prefix = prefix or home / ".local" / "share" / "tsuribari"
        launcher = prefix / "tsuribari-host"
        exe = repo / ".venv" / "bin" / "tsuribari"
    elif platform == "darwin":
        # Thunderbird on macOS reads ~/Library/Mozilla, not ~/Library/Application Support/Mozilla.
        manifest_dir = home / "Library" / "Mozilla" / "NativeMessagingHosts"
        prefix = prefix or home / "Library" / "Application Support" / "Tsuribari"
        launcher = prefix / "tsuribari-host"
        exe = repo / ".venv" / "bin" / "tsuribari"
    elif platform == "win32":
        # Windows has no manifest folder: the registry points at the manifest file.
        prefix = prefix or home / "AppData" / "Local" / "Tsuribari"
        manifest_dir = prefix
        launcher = prefix / "tsuribari-host.bat"
        exe = repo / ".venv" / "Scripts" / "tsuribari.exe"
    else:
        raise SystemExit(f"unknown platform {platform!r} (linux, darwin, win32)")
    return {
        "platform": platform,
        "manifest": manifest_dir / f"{HOST_NAME}.json",
        "launcher": launcher,
        "exe": exe,
        "regfile": prefix / f"{HOST_NAME}.reg" if platform == "win32" else None,
    }


def launcher_text(p: dict) -> str:
    exe = p["exe"]
    if p["platform"] == "win32":
        # Thunderbird passes the manifest path and add-on id as arguments; the
        # host does not need them, so they are not forwarded.
        # goto rather than a ( ) block: a path like "Program Files (x86)" would end the block early.
        return (
            "@echo off\r\n"
            f'if exist "{exe}" goto run\r\n'
            f'echo Tsuribari is not installed: run "make install" in {REPO} 1>&2\r\n'
            "exit /b 1\r\n"
            ":run\r\n"
            f'"{exe}" host\r\n'
        )
    q = shlex.quote(str(exe))
    hint = shlex.quote(f"Tsuribari is not installed: run 'make install' in {REPO}")
    return (
        "#!/bin/sh\n"
        "# Started by Thunderbird (native messaging). Logs go to stderr, never stdout.\n"
        f"if [ ! -x {q} ]; then\n"
        f"  echo {hint} >&2\n"
        "  exit 1\n"
        "fi\n"
        f"exec {q} host\n"
    )


def manifest_json(p: dict) -> str:
    return json.dumps(
        {
            "name": HOST_NAME,
            "description": "Tsuribari phishing analyser (native host)",
            "path": str(p["launcher"]),
            "type": "stdio",
            "allowed_extensions": [ADDON_ID],
        },
        indent=2,
    ) + "\n"


def regfile_text(p: dict) -> str:
    path = str(p["manifest"]).replace("\\", "\\\\")
    return (
        "Windows Registry Editor Version 5.00\r\n\r\n"
        f"[HKEY_CURRENT_USER\\{REG_KEY}]\r\n"
        f'@="{path}"\r\n'
    )


def install(p: dict) -> None:
    for key in ("manifest", "launcher"):
        p[key].parent.mkdir(parents=True, exist_ok=True)
    newline = "" if p["platform"] == "win32" else None
    with open(p["launcher"], "w", encoding="utf-8", newline=newline) as fh:
        fh.write(launcher_text(p))
    if p["platform"] != "win32":
        os.chmod(p["launcher"], 0o755)
    p["manifest"].write_text(manifest_json(p), encoding="utf-8")
    if p["regfile"]:
        with open(p["regfile"], "w", encoding="utf-8", newline="") as fh:
            fh.write(regfile_text(p))
        if sys.platform == "win32":
            import winreg

            with winreg.CreateKey(winreg.HKEY_CURRENT_USER, REG_KEY) as k:
                winreg.SetValueEx(k, "", 0, winreg.REG_SZ, str(p["manifest"]))
    print(f"installed native host '{HOST_NAME}' for {ADDON_ID}:")
    print(f"  manifest: {p['manifest']}")
    print(f"  launcher: {p['launcher']} -> {p['exe']} host")
    if not p["exe"].exists():
        print(f"  warning: {p['exe']} does not exist yet (run 'make venv')", file=sys.stderr)


def uninstall(p: dict) -> None:
    for key in ("manifest", "launcher", "regfile"):
        f = p[key]
        if f and f.exists():
            f.unlink()
            print(f"removed {f}")
    if p["platform"] == "win32" and sys.platform == "win32":
        import winreg

        try:
            winreg.DeleteKey(winreg.HKEY_CURRENT_USER, REG_KEY)
            print(rf"removed HKCU\{REG_KEY}")
        except FileNotFoundError:
            pass
    # Leave the prefix folder only if something else lives there.
    try:
        p["launcher"].parent.rmdir()
    except OSError:
        pass


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["install", "uninstall", "status"])
    default_platform = {"win32": "win32", "darwin": "darwin"}.get(sys.platform, "linux")
    ap.add_argument("--platform", choices=["linux", "darwin", "win32"], default=default_platform)
    ap.add_argument("--home", type=Path, default=Path.home(), help="user home (default: yours)")
    ap.add_argument("--prefix", type=Path, help="where the launcher goes")
    ap.add_argument("--repo", type=Path, default=REPO, help="checkout whose .venv runs the host")
    a = ap.parse_args(argv)
    p = plan(a.platform, a.home.resolve(), a.prefix.resolve() if a.prefix else None, a.repo.resolve())
    if a.action == "install":
        install(p)
    elif a.action == "uninstall":
        uninstall(p)
    else:
        for k in ("manifest", "launcher", "regfile"):
            if p[k]:
                print(f"{k}: {p[k]} ({'present' if p[k].exists() else 'missing'})")
        return 0 if p["manifest"].exists() else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
