"""Issue 6.7: broken configuration, databases and cache degrade the analysis, never stop it.

Each case runs the real CLI: exit 0, a verdict on stdout, and the problem said
in words (stderr for configuration, the result's problems / the report's
"Note:" lines for databases and the cache). Network cases use a resolver on
127.0.0.1 where nothing listens and RDAP off, so nothing leaves the machine.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parent / "fixtures" / "mail" / "kagoya-active-mail.eml"
LOOPBACK_NET = '[network]\nenabled = true\nrdap = false\nnameservers = ["127.0.0.1:9"]\nbudget_s = 1.0\ndns_timeout_s = 0.3\n'
NOBODY = 65534
SETPRIV = shutil.which("setpriv") or ""
needs_root = pytest.mark.skipif(os.geteuid() != 0 or not SETPRIV, reason="needs root and setpriv to run as another user")


@pytest.fixture
def box():
    """A world-readable scratch dir (pytest's tmp_path is root-only, and some cases run as nobody)."""
    path = Path(tempfile.mkdtemp(prefix="tsuribari-cfg-"))
    path.chmod(0o755)
    (path / "home").mkdir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def run(box: Path, *args: str, as_nobody: bool = False, text_report: bool = False) -> tuple[dict | str, str]:
    home = box / "home"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_DATA_HOME": str(home / ".local/share")}
    # setpriv (util-linux) rather than a preexec setuid: the latter cannot exec a pyenv python under /root.
    prefix = [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] if as_nobody else []
    fmt = ["--lang", "en"] if text_report else ["--json"]
    proc = subprocess.run([*prefix, sys.executable, "-m", "tsuribari", "analyze", str(SEED), *fmt, *args],
                          env=env, capture_output=True, text=True, timeout=120, cwd=box)
    assert proc.returncode == 0, proc.stderr[-2000:]
    if text_report:
        assert "PHISHING" in proc.stdout or "SUSPICIOUS" in proc.stdout
        return proc.stdout, proc.stderr
    result = json.loads(proc.stdout)
    assert result["verdict"] in ("suspicious", "phishing")
    return result, proc.stderr


def write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


@pytest.mark.timeout(120)
def test_invalid_toml_given_on_the_command_line(box):
    cfg = write(box / "bad.toml", "this is [not toml\n[network\n")
    result, err = run(box, "--offline", "--config", str(cfg))
    assert "not valid TOML" in err and str(cfg) in err and "defaults used" in err
    assert result["verdict"] == "phishing"


@pytest.mark.timeout(120)
def test_invalid_toml_in_the_users_config_dir(box):
    cfg = write(box / "home" / ".config" / "tsuribari" / "config.toml", "[analysis]\nlang = \n")
    result, err = run(box, "--offline")
    assert "not valid TOML" in err and str(cfg) in err


@pytest.mark.timeout(120)
def test_wrong_types_and_unknown_keys_are_named_and_ignored(box):
    cfg = write(box / "typed.toml", '[network]\nenabled = "yes"\n[analysis]\nlang = 5\nphishing_threshold = "high"\n[nope]\nx = 1\n')
    result, err = run(box, "--offline", "--config", str(cfg))
    for word in ("network.enabled: wrong type", "analysis.lang: wrong type", "analysis.phishing_threshold: wrong type",
                 "nope: unknown key"):
        assert word in err, err
    assert result["lookups"] == []      # "yes" did not switch the network on


@pytest.mark.timeout(120)
def test_config_path_that_is_a_directory_or_missing(box):
    (box / "dir.toml").mkdir()
    result, err = run(box, "--offline", "--config", str(box / "dir.toml"))
    assert "cannot be read" in err
    result, err = run(box, "--offline", "--config", str(box / "absent.toml"))
    assert "not found" in err


@needs_root
@pytest.mark.timeout(120)
def test_unreadable_config_file(box):
    cfg = write(box / "secret.toml", "[analysis]\nlang = \"en\"\n", mode=0o600)   # root's; nobody cannot read it
    result, err = run(box, "--offline", "--config", str(cfg), as_nobody=True)
    assert "cannot be read" in err and "defaults used" in err


@needs_root
@pytest.mark.timeout(120)
def test_read_only_config_and_cache_dirs(box):
    # HOME and everything under it belong to root: for nobody the whole tree is read-only.
    write(box / "home" / ".config" / "tsuribari" / "config.toml", LOOPBACK_NET)
    result, err = run(box, as_nobody=True)
    assert err == ""                      # the config was read; nothing needed writing to say so
    assert any("lookup cache" in p and "memory-only" in p for p in result["facts"]["problems"]), result["facts"]["problems"]
    assert not (box / "home" / ".cache").exists()


@pytest.mark.timeout(120)
def test_missing_database_files_are_named(box):
    cfg = write(box / "db.toml", '[databases]\ngeoip_asn = "/nonexistent/asn.mmdb"\ngeoip_city = "/nonexistent/city.mmdb"\n')
    result, _ = run(box, "--offline", "--config", str(cfg))
    problems = " | ".join(result["facts"]["problems"])
    assert "/nonexistent/asn.mmdb not found" in problems and "/nonexistent/city.mmdb not found" in problems
    report, _ = run(box, "--offline", "--config", str(cfg), text_report=True)
    assert "Note: ASN database /nonexistent/asn.mmdb not found" in report


@pytest.mark.timeout(120)
def test_corrupt_database_file_is_named(box):
    bad = box / "asn.mmdb"
    bad.write_bytes(os.urandom(4096))
    cfg = write(box / "db.toml", f'[databases]\ngeoip_asn = "{bad}"\n')
    result, _ = run(box, "--offline", "--config", str(cfg))
    assert any(str(bad) in p and "unreadable" in p for p in result["facts"]["problems"]), result["facts"]["problems"]


@pytest.mark.timeout(120)
def test_corrupt_cache_file(box):
    cache = box / "lookups.sqlite"
    cache.write_bytes(b"SQLite format 3\x00" + os.urandom(8000))
    cfg = write(box / "net.toml", LOOPBACK_NET + f'[cache]\npath = "{cache}"\n')
    result, _ = run(box, "--config", str(cfg))
    assert any(str(cache) in p and "memory-only" in p for p in result["facts"]["problems"]), result["facts"]["problems"]
    assert result["lookups"] and all(l["status"] != "ok" for l in result["lookups"])   # the network was tried, on loopback


@pytest.mark.timeout(120)
def test_locked_cache_file(box):
    cache = box / "lookups.sqlite"
    holder = sqlite3.connect(cache)
    holder.execute("CREATE TABLE t (x)")
    holder.commit()
    holder.execute("BEGIN EXCLUSIVE")      # another Thunderbird/CLI process in the middle of a write
    try:
        cfg = write(box / "net.toml", LOOPBACK_NET + f'[cache]\npath = "{cache}"\n')
        result, _ = run(box, "--config", str(cfg))
        assert any(str(cache) in p for p in result["facts"]["problems"]), result["facts"]["problems"]
    finally:
        holder.rollback()
        holder.close()
