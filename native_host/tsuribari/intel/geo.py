"""Local IP knowledge: ASN, organisation, country and city, with no network.

Sources, first that answers wins:
- the user's own files (`[databases] geoip_asn`, `geoip_city`): MaxMind
  GeoLite2/GeoIP2 ASN, City or Country .mmdb, read with geoip2; any other
  .mmdb (e.g. ip-location-db's own schema) is read raw with maxminddb;
- the default set that `make geoip` installs into `default_geoip_dir()`:
  `asn.ranges` (see asn_ranges.py), `country.mmdb` (GeoFeed + RIR whois,
  operator-declared country) and `city-ipv4/6.mmdb` (DB-IP Lite city).

A missing or corrupt file never raises: the lookup answers what the other
files know and `GeoDB.problems` says what is wrong. Files are opened on
first use, so a run that never looks up an IP pays nothing.
"""
from __future__ import annotations

import ipaddress
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config
from ..parse.domains import is_public_ip


def default_geoip_dir() -> Path:
    """Where `make geoip` puts the default databases: <venv>/share/tsuribari/geoip.

    TSURIBARI_GEOIP_DIR overrides it (a packaged install may keep the data
    elsewhere); sys.prefix is the virtual environment the host runs in.
    """
    env = os.environ.get("TSURIBARI_GEOIP_DIR")
    return Path(env) if env else Path(sys.prefix) / "share" / "tsuribari" / "geoip"


@dataclass
class GeoInfo:
    asn: int | None = None
    org: str = ""
    country: str = ""         # ISO 3166-1 alpha-2
    city: str = ""
    sources: list[str] = field(default_factory=list)   # which files answered

    @property
    def empty(self) -> bool:
        return self.asn is None and not self.org and not self.country and not self.city


def _clean(value: Any, limit: int = 200) -> str:
    """Database strings end up in the panel: plain text, bounded."""
    if not isinstance(value, str):
        return ""
    if value.isprintable():            # nearly always: no character-by-character copy
        return value[:limit]
    return "".join(ch for ch in value if ch.isprintable())[:limit]


class _Source:
    """One database file, opened lazily; `kind` is asn | geo."""

    def __init__(self, path: Path, kind: str, label: str) -> None:
        self.path, self.kind, self.label = path, kind, label
        self.name = path.name          # named in every answer: pathlib works it out on each call
        self._reader: Any = None
        self._schema = ""          # asn-ranges | maxmind-asn | maxmind-city | maxmind-country | raw
        self._failed = False

    def open(self, problems: list[str]) -> bool:
        if self._reader is not None:
            return True
        if self._failed:
            return False
        try:
            if self.path.suffix == ".ranges":
                from .asn_ranges import AsnRanges
                self._reader, self._schema = AsnRanges(str(self.path)), "asn-ranges"
            else:
                self._open_mmdb()
        except FileNotFoundError:
            self._failed = True
            problems.append(f"{self.label} database {self.path} not found")
        except Exception as exc:  # corrupt files raise many types; none may escape
            self._failed = True
            problems.append(f"{self.label} database {self.path} unreadable: {type(exc).__name__}: {exc}"[:300])
        return self._reader is not None

    def _open_mmdb(self) -> None:
        import geoip2.database
        import maxminddb
        if not self.path.is_file():
            raise FileNotFoundError(str(self.path))
        reader = geoip2.database.Reader(str(self.path))
        dbtype = reader.metadata().database_type or ""
        if dbtype == "GeoLite2-ASN":
            self._reader, self._schema = reader, "maxmind-asn"
        elif "City" in dbtype and ("GeoIP2" in dbtype or "GeoLite2" in dbtype):
            self._reader, self._schema = reader, "maxmind-city"
        elif "Country" in dbtype and ("GeoIP2" in dbtype or "GeoLite2" in dbtype):
            self._reader, self._schema = reader, "maxmind-country"
        else:
            # Not a MaxMind schema (ip-location-db, DB-IP Lite...): read raw records.
            reader.close()
            self._reader, self._schema = maxminddb.open_database(str(self.path)), "raw"

    def get(self, ip: str) -> dict[str, Any]:
        """Normalised {asn, org, country, city}; {} when unknown."""
        r, s = self._reader, self._schema
        try:
            if s == "asn-ranges":
                hit = r.lookup(ip)
                return {"asn": hit[0], "org": hit[1]} if hit else {}
            if s == "maxmind-asn":
                a = r.asn(ip)
                return {"asn": a.autonomous_system_number, "org": a.autonomous_system_organization}
            if s == "maxmind-city":
                c = r.city(ip)
                return {"country": c.country.iso_code or c.registered_country.iso_code, "city": c.city.name}
            if s == "maxmind-country":
                c = r.country(ip)
                return {"country": c.country.iso_code or c.registered_country.iso_code}
            rec = r.get(ip)
            return _from_raw(rec) if isinstance(rec, dict) else {}
        except Exception:  # AddressNotFoundError, ValueError on odd input, corrupt tree
            return {}

    def close(self) -> None:
        if self._reader is not None:
            try:
                self._reader.close()
            except Exception:
                pass
            self._reader = None


def _from_raw(rec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    asn = rec.get("autonomous_system_number")
    if isinstance(asn, int) and not isinstance(asn, bool):
        out["asn"] = asn
    org = rec.get("autonomous_system_organization")
    if isinstance(org, str):
        out["org"] = org
    cc = rec.get("country_code")
    if not isinstance(cc, str):
        country = rec.get("country")
        cc = country.get("iso_code") if isinstance(country, dict) else None
    if isinstance(cc, str):
        out["country"] = cc
    city = rec.get("city")
    if isinstance(city, dict):
        names = city.get("names")
        city = names.get("en") if isinstance(names, dict) else None
    if isinstance(city, str):
        out["city"] = city
    return out


class GeoDB:
    """ASN/org/country/city for an IP from local files only. Thread-safe."""

    def __init__(self, asn_paths: list[Path], geo_paths: list[Path]) -> None:
        self._asn = [_Source(p, "asn", "ASN") for p in asn_paths]
        self._geo = [_Source(p, "geo", "country/city") for p in geo_paths]
        self._lock = threading.Lock()
        self._opened = False
        self.problems: list[str] = []

    @classmethod
    def from_config(cls, config: Config | None = None, default_dir: Path | None = None) -> "GeoDB":
        """The user's files when configured (each replaces its default), else the defaults."""
        base = default_dir or default_geoip_dir()
        db = config.databases if config is not None else None
        asn_paths = [Path(db.geoip_asn).expanduser()] if db and db.geoip_asn else [base / "asn.ranges"]
        if db and db.geoip_city:
            geo_paths = [Path(db.geoip_city).expanduser()]
        else:
            geo_paths = [base / "country.mmdb", base / "city-ipv4.mmdb", base / "city-ipv6.mmdb"]
        return cls(asn_paths, geo_paths)

    def _open_all(self) -> None:
        with self._lock:
            if self._opened:
                return
            problems: list[str] = []
            for src in self._asn + self._geo:
                # The default city files are optional (GEOIP_CITY=0): their absence is no problem.
                optional = src.name.startswith("city-") and src.path.parent == default_geoip_dir()
                src.open([] if optional else problems)
            if not any(s._reader is not None for s in self._asn + self._geo):
                problems.append("no IP database available: run `make geoip` or set [databases] geoip_asn/geoip_city")
            self.problems = problems
            self._opened = True

    def lookup(self, ip: str) -> GeoInfo:
        info = GeoInfo()
        try:
            addr = ipaddress.ip_address(ip.strip().split("%", 1)[0])
        except (ValueError, AttributeError):
            return info
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
            addr = addr.ipv4_mapped
        # That is addr.is_global, asked mostly of is_public_ip (is_global and not multicast,
        # memoised; the pipeline has just asked it about this very address): is_global walks the
        # reserved-range tables on every call.
        if not (is_public_ip(addr) or (addr.is_multicast and addr.is_global)):
            return info  # private, loopback, documentation...: no database knows them
        self._open_all()
        text = str(addr)
        for src in self._asn:
            hit = src.get(text) if src._reader is not None else {}
            if hit.get("asn") or hit.get("org"):
                asn = hit.get("asn")
                info.asn = asn if isinstance(asn, int) and not isinstance(asn, bool) and asn > 0 else None
                info.org = _clean(hit.get("org"))
                info.sources.append(src.name)
                break
        for src in self._geo:
            hit = src.get(text) if src._reader is not None else {}
            if not hit:
                continue
            country = _clean(hit.get("country"), 2).upper()
            city = _clean(hit.get("city"), 100)
            if not info.country and country:
                info.country = country
                info.sources.append(src.name)
            # A city only where its database agrees on the country: "Tokyo, HK" would mislead.
            if not info.city and city and country == info.country:
                info.city = city
                if src.name not in info.sources:
                    info.sources.append(src.name)
            if info.country and info.city:
                break
        return info

    def close(self) -> None:
        with self._lock:
            for src in self._asn + self._geo:
                src.close()
            self._opened = False
