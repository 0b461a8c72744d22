"""A `tsuribari host` child process spoken to as Thunderbird does (4-byte native-endian length + JSON)."""
from __future__ import annotations

import base64
import json
import os
import struct
import subprocess
import time
from typing import Any


def frame(obj: Any) -> bytes:
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return struct.pack("=I", len(data)) + data


def analyze_request(raw: bytes, req_id: int = 1, offline: bool = True, lang: str = "ja") -> dict:
    return {"id": req_id, "type": "analyze", "raw_b64": base64.b64encode(raw).decode("ascii"),
            "options": {"lang": lang, "offline": offline}}


class HostProc:
    def __init__(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env)

    def send(self, obj: Any) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(obj if isinstance(obj, bytes) else frame(obj))
        self.proc.stdin.flush()

    def recv(self, timeout_s: float = 60.0) -> dict:
        assert self.proc.stdout is not None
        head = self.proc.stdout.read(4)
        if len(head) < 4:
            raise RuntimeError(f"host closed the stream (exit {self.proc.poll()})")
        (n,) = struct.unpack("=I", head)
        return json.loads(self.proc.stdout.read(n))

    def call(self, obj: Any) -> tuple[dict, float]:
        t0 = time.perf_counter()
        self.send(obj)
        reply = self.recv()
        return reply, (time.perf_counter() - t0) * 1000

    def status_kb(self, key: str) -> int:
        """VmRSS (resident now) or VmHWM (peak resident) of the host, in kB."""
        with open(f"/proc/{self.proc.pid}/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        return 0

    def close(self) -> None:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (subprocess.TimeoutExpired, BrokenPipeError, OSError):
            self.proc.kill()
            self.proc.wait(timeout=10)
        finally:
            if self.proc.stdout:
                self.proc.stdout.close()

    def __enter__(self) -> "HostProc":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def isolated_env(tmp: str) -> dict[str, str]:
    """The user's config and cache out of the way; bytecode as an installed host has it."""
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")
    env["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
