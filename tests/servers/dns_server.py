"""A real DNS server (Debian's unbound) on 127.0.0.1:<free port> serving the
test zones in tests/servers/zones/.

Why unbound: it runs unprivileged-style in the foreground from one config
file, serves zone files as authoritative `auth-zone`s, and can produce every
fault the tests need without a second process:
  * timeout  - `local-zone: <name> deny` drops the query, no answer at all;
  * SERVFAIL - a zone served only "for upstream" under a DNSSEC trust anchor
               it cannot satisfy: the answer is bogus, so SERVFAIL at once;
  * REFUSED  - `local-zone: "." refuse` for everything not served here;
  * TC/TCP   - a TXT larger than the client's EDNS buffer is truncated over
               UDP and must be fetched again over TCP.

Run by itself (`python tests/servers/dns_server.py`) it serves until Ctrl-C
and prints its address, for manual use with `dig -p`.
"""
from __future__ import annotations

import base64
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ZONES_DIR = Path(__file__).resolve().parent / "zones"
SERVFAIL_ZONE = "servfail.jp"
TIMEOUT_NAMES = ("slow.dns-faults.jp",)
# A DS record no key in servfail.jp matches: validation of that zone fails.
_BOGUS_DS = "12345 8 2 49FD46E6C4B45C55D4AC49FD46E6C4B45C55D4AC49FD46E6C4B45C55D4AC1234"


def _die_with_parent() -> None:
    """Runs in the child before exec: ask Linux to SIGTERM unbound when the
    process that started it dies, so a killed test run leaves no server behind.
    (Linux ties this to the starting thread: start servers from the main thread.)"""
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)     # PR_SET_PDEATHSIG
    except Exception:
        pass


def ensure_unbound() -> str:
    """Path of the unbound binary, installing the Debian package if missing."""
    path = shutil.which("unbound") or ("/usr/sbin/unbound" if Path("/usr/sbin/unbound").exists() else None)
    if path:
        return path
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "unbound"],
                   check=True, env=env, capture_output=True)
    path = shutil.which("unbound") or "/usr/sbin/unbound"
    if not Path(path).exists():
        raise RuntimeError("unbound could not be installed")
    return path


def free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (DNS needs both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port")


def dkim_txt(public_key_der: bytes) -> str:
    """Zone-file TXT data for a DKIM RSA key, split in 250-byte strings."""
    value = "v=DKIM1; k=rsa; p=" + base64.b64encode(public_key_der).decode("ascii")
    return " ".join(f'"{value[i:i + 250]}"' for i in range(0, len(value), 250))


@dataclass
class DnsServer:
    """Start with `start()`, stop with `stop()`; `address` is "127.0.0.1:<port>"."""
    replacements: dict[str, str] = field(default_factory=dict)   # "@@NAME@@" → zone text
    extra_zones: dict[str, str] = field(default_factory=dict)    # origin → zone file text
    zones: dict[str, str] | None = None      # serve exactly these instead of tests/servers/zones
    timeout_names: tuple[str, ...] = TIMEOUT_NAMES
    transparent_names: tuple[str, ...] = ()  # names unbound's built-in local zones must not shadow
    ready_query: tuple[str, str] = ("aica-interior.co.jp", "A")
    host: str = "127.0.0.1"
    port: int = 0
    workdir: Path | None = None
    proc: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _zones(self) -> dict[str, str]:
        if self.zones is not None:
            return dict(self.zones)
        zones = {}
        for path in sorted(ZONES_DIR.glob("*.zone")):
            text = path.read_text(encoding="utf-8")
            for key, value in self.replacements.items():
                text = text.replace(key, value)
            zones[path.name[: -len(".zone")]] = text
        zones.update(self.extra_zones)
        return zones

    @staticmethod
    def _zonefile(origin: str) -> str:
        return "root.zone" if origin == "." else f"{origin}.zone"

    def _config(self, zones: dict[str, str]) -> str:
        lines = [
            "server:",
            f"  interface: {self.host}@{self.port}",
            f"  port: {self.port}",
            "  do-daemonize: no",
            '  username: ""',
            '  chroot: ""',
            f'  directory: "{self.workdir}"',
            '  pidfile: ""',
            "  use-syslog: no",
            '  logfile: ""',
            "  verbosity: 0",
            "  do-ip6: no",
            "  num-threads: 1",
            "  so-reuseport: no",
            "  access-control: 127.0.0.0/8 allow",
            # Test data uses private and documentation ranges, whose reverse
            # zones unbound would otherwise answer itself (RFC 6303).
            "  unblock-lan-zones: yes",
            "  insecure-lan-zones: yes",
        ]
        if SERVFAIL_ZONE in zones:
            # validator first: only the SERVFAIL zone has a trust anchor.
            lines += ['  module-config: "validator iterator"',
                      f'  trust-anchor: "{SERVFAIL_ZONE}. DS {_BOGUS_DS}"']
        else:
            lines.append('  module-config: "iterator"')
        if "." not in zones:
            lines.append('  local-zone: "." refuse')
        for origin in zones:
            if origin != ".":
                lines.append(f'  local-zone: "{origin}." transparent')
        for name in self.transparent_names:
            lines.append(f'  local-zone: "{name}." transparent')
        for name in self.timeout_names:
            lines.append(f'  local-zone: "{name}." deny')
        lines += ["remote-control:", "  control-enable: no"]
        for origin in zones:
            downstream = origin != SERVFAIL_ZONE
            lines += [
                "auth-zone:",
                f'  name: "{origin.rstrip(".")}."',
                f'  zonefile: "{self._zonefile(origin)}"',
                f"  for-downstream: {'yes' if downstream else 'no'}",
                f"  for-upstream: {'no' if downstream else 'yes'}",
                "  fallback-enabled: no",
            ]
        return "\n".join(lines) + "\n"

    def start(self, timeout_s: float = 10.0) -> "DnsServer":
        binary = ensure_unbound()
        self.workdir = Path(tempfile.mkdtemp(prefix="tsuribari-dns-"))
        self.port = self.port or free_port()
        zones = self._zones()
        for origin, text in zones.items():
            (self.workdir / self._zonefile(origin)).write_text(text, encoding="utf-8")
        conf = self.workdir / "unbound.conf"
        conf.write_text(self._config(zones), encoding="utf-8")
        log = open(self.workdir / "unbound.log", "wb")
        self.proc = subprocess.Popen([binary, "-d", "-p", "-c", str(conf)], stdout=log, stderr=log,
                                     stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        log.close()
        self._wait_ready(timeout_s)
        return self

    def _wait_ready(self, timeout_s: float) -> None:
        import dns.message
        import dns.query
        import dns.rcode
        deadline = time.monotonic() + timeout_s
        query = dns.message.make_query(*self.ready_query)
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"unbound exited: {self.log()}")
            try:
                reply = dns.query.udp(query, self.host, port=self.port, timeout=0.2)
                if reply.rcode() == dns.rcode.NOERROR and reply.answer:
                    return
            except Exception:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"unbound did not answer within {timeout_s}s: {self.log()}")

    def log(self) -> str:
        if self.workdir is None or not (self.workdir / "unbound.log").exists():
            return ""
        return (self.workdir / "unbound.log").read_text(errors="replace")[-2000:]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    server = DnsServer(replacements={"@@DKIM_S2026@@": '"v=DKIM1; p="', "@@DKIM_WEAK@@": '"v=DKIM1; p="'}).start()
    print(f"serving on {server.address}", flush=True)
    try:
        while server.proc is not None and server.proc.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        sys.exit(0)
