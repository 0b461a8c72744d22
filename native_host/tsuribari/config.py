"""Configuration: defaults, overlaid by a TOML file, overlaid by options.

Every key is documented in the README ("Configuration"). A broken file
never stops an analysis: the error is kept in `Config.problems` and the
defaults stand.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def user_config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "tsuribari"


def user_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "tsuribari"


def user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tsuribari"


@dataclass
class NetworkConfig:
    enabled: bool = True            # master switch; --offline sets it to False
    dns: bool = True                # SPF/DKIM/DMARC records, A/MX/PTR of mail-derived names
    rdap: bool = True               # domain and IP registration data
    budget_s: float = 3.0           # whole-analysis budget for lookups
    dns_timeout_s: float = 1.5
    http_timeout_s: float = 2.5
    nameservers: list[str] = field(default_factory=list)   # "host:port"; empty = system resolver
    max_response_bytes: int = 1_000_000


@dataclass
class EndpointsConfig:
    # Where each service is asked; tests and private mirrors point these elsewhere.
    rdap_bootstrap_dns: str = ""     # empty = the IANA bootstrap file shipped in data/
    rdap_bootstrap_ip: str = ""
    rdap_domain_base: str = ""       # when set, every domain RDAP query goes here
    rdap_ip_base: str = ""           # when set, every IP RDAP query goes here
    safebrowsing: str = "https://safebrowsing.googleapis.com/v4/threatMatches:find"
    urlhaus: str = "https://urlhaus-api.abuse.ch/v1/"
    phishtank_feed: str = "http://data.phishtank.com/data/online-valid.json"
    openphish_feed: str = "https://openphish.com/feed.txt"


@dataclass
class ReputationConfig:
    safebrowsing: bool = False
    safebrowsing_key: str = ""
    urlhaus: bool = False
    urlhaus_key: str = ""
    phishtank: bool = False
    openphish: bool = False
    dnsbl: bool = False
    dnsbl_zones_domain: list[str] = field(default_factory=lambda: ["dbl.spamhaus.org", "multi.surbl.org"])
    dnsbl_zones_ip: list[str] = field(default_factory=lambda: ["zen.spamhaus.org"])
    spamhaus_dqs_key: str = ""


@dataclass
class DatabasesConfig:
    geoip_city: str = ""     # empty = the default database installed by `make install`
    geoip_asn: str = ""


@dataclass
class CacheConfig:
    path: str = ""           # empty = <user cache dir>/lookups.sqlite
    max_entries: int = 50_000
    default_ttl_s: int = 3600


@dataclass
class AnalysisConfig:
    lang: str = "ja"
    trusted_domains: list[str] = field(default_factory=list)
    suspicious_threshold: float | None = None   # None = the calibrated value
    phishing_threshold: float | None = None


@dataclass
class Config:
    network: NetworkConfig = field(default_factory=NetworkConfig)
    endpoints: EndpointsConfig = field(default_factory=EndpointsConfig)
    reputation: ReputationConfig = field(default_factory=ReputationConfig)
    databases: DatabasesConfig = field(default_factory=DatabasesConfig)
    cache: CacheConfig = field(default_factory=CacheConfig)
    analysis: AnalysisConfig = field(default_factory=AnalysisConfig)
    problems: list[str] = field(default_factory=list)
    source: str = ""

    @property
    def offline(self) -> bool:
        return not self.network.enabled


def _overlay(obj: Any, table: dict[str, Any], where: str, problems: list[str]) -> None:
    fields = {f.name: f for f in dataclasses.fields(obj)}
    for key, value in table.items():
        f = fields.get(key)
        if f is None or key in ("problems", "source"):
            problems.append(f"{where}{key}: unknown key, ignored")
            continue
        current = getattr(obj, key)
        if dataclasses.is_dataclass(current):
            if isinstance(value, dict):
                _overlay(current, value, f"{where}{key}.", problems)
            else:
                problems.append(f"{where}{key}: expected a table, ignored")
            continue
        if _type_fits(current, value, f):
            setattr(obj, key, float(value) if isinstance(current, float) and not isinstance(value, bool) else value)
        else:
            problems.append(f"{where}{key}: wrong type {type(value).__name__}, ignored")


def _type_fits(current: Any, value: Any, f: dataclasses.Field) -> bool:
    if current is None or "None" in str(f.type):
        return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))
    if isinstance(current, bool):
        return isinstance(value, bool)
    if isinstance(current, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(current, str):
        return isinstance(value, str)
    if isinstance(current, list):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return False


def load(path: str | os.PathLike[str] | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Defaults, then the TOML file (the given one, or the user's if it exists), then overrides."""
    cfg = Config()
    file = Path(path) if path else user_config_dir() / "config.toml"
    if path or file.exists():
        cfg.source = str(file)
        try:
            with open(file, "rb") as fh:
                table = tomllib.load(fh)
            _overlay(cfg, table, "", cfg.problems)
        except FileNotFoundError:
            cfg.problems.append(f"config file {file} not found; defaults used")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            cfg.problems.append(f"config file {file} is not valid TOML ({exc}); defaults used")
        except OSError as exc:
            cfg.problems.append(f"config file {file} cannot be read ({exc.strerror}); defaults used")
    if overrides:
        _overlay(cfg, overrides, "", cfg.problems)
    return cfg
