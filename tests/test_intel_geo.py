"""Local IP knowledge: the default databases `make geoip` installs, and failure modes."""
from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from tsuribari.config import Config
from tsuribari.intel.asn_ranges import AsnRanges, build
from tsuribari.intel.geo import GeoDB, default_geoip_dir


@pytest.fixture(scope="module")
def geodb() -> GeoDB:
    # `make unit` runs `make geoip` first; a missing install must fail loudly, not skip.
    assert (default_geoip_dir() / "asn.ranges").is_file(), "run `make geoip`"
    db = GeoDB.from_config(Config())
    yield db
    db.close()


def test_seed_origin_is_microsoft_in_japan(geodb: GeoDB) -> None:
    info = geodb.lookup("74.226.196.215")
    assert info.asn == 8075
    assert "Microsoft" in info.org
    assert info.country == "JP"
    assert geodb.problems == []


def test_seed_link_host_is_alibaba_in_hong_kong(geodb: GeoDB) -> None:
    info = geodb.lookup("8.217.61.41")
    assert info.asn == 45102
    assert "Alibaba" in info.org
    assert info.country == "HK"


def test_sender_domain_host_is_in_japan(geodb: GeoDB) -> None:
    info = geodb.lookup("153.123.7.53")
    assert info.country == "JP" and info.asn


def test_ipv6_and_mapped(geodb: GeoDB) -> None:
    assert geodb.lookup("2001:4860:4860::8888").asn == 15169
    assert geodb.lookup("::ffff:74.226.196.215").asn == 8075


@pytest.mark.parametrize("ip", ["10.0.0.1", "127.0.0.1", "192.168.1.1", "fe80::1%eth0", "::1",
                                "not-an-ip", "", "999.1.1.1", "1.2.3.4\x00", "0.0.0.0"])
def test_non_global_or_garbage_gives_empty_info(geodb: GeoDB, ip: str) -> None:
    assert geodb.lookup(ip).empty


def test_missing_files_give_problems_not_exceptions(tmp_path: Path) -> None:
    cfg = Config()
    cfg.databases.geoip_asn = str(tmp_path / "nope.mmdb")
    cfg.databases.geoip_city = str(tmp_path / "nope-city.mmdb")
    db = GeoDB.from_config(cfg)
    assert db.lookup("8.217.61.41").empty
    assert any("not found" in p for p in db.problems)
    assert any("no IP database" in p for p in db.problems)


@pytest.mark.parametrize("content", [b"", b"garbage" * 100, b"\xab\xcd\xef" * 5000])
def test_corrupt_files_give_problems_not_exceptions(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "asn.ranges").write_bytes(content)
    (tmp_path / "city.mmdb").write_bytes(content)
    cfg = Config()
    cfg.databases.geoip_city = str(tmp_path / "city.mmdb")
    db = GeoDB.from_config(cfg, default_dir=tmp_path)
    assert db.lookup("74.226.196.215").empty
    assert len(db.problems) >= 2 and all("unreadable" in p or "no IP" in p for p in db.problems)


def test_user_city_file_replaces_default_but_asn_default_stays(tmp_path: Path) -> None:
    cfg = Config()
    cfg.databases.geoip_city = str(default_geoip_dir() / "country.mmdb")
    info = GeoDB.from_config(cfg).lookup("74.226.196.215")
    assert (info.asn, info.country, info.city) == (8075, "JP", "")


def test_range_table_build_and_lookup(tmp_path: Path) -> None:
    v4 = tmp_path / "v4.csv"
    v4.write_text('1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."\n'
                  "1.0.1.0,1.0.1.255,13335,\"Cloudflare, Inc.\"\n"   # adjacent: merged
                  "1.0.0.128,1.0.0.200,1,overlap dropped\n"
                  "bad,row\n"
                  "9.9.9.0,9.9.9.255,19281,Quad9 \u65e5\u672c\n", encoding="utf-8")
    v6 = tmp_path / "v6.csv"
    v6.write_text("2001:db8::,2001:db8::ffff,64500,Example v6\n", encoding="utf-8")
    out = tmp_path / "t.ranges"
    assert build(str(out), [str(v4), str(v6)]) == (2, 1)
    t = AsnRanges(str(out))
    assert t.lookup("1.0.1.7") == (13335, "Cloudflare, Inc.")
    assert t.lookup("1.0.0.150") == (13335, "Cloudflare, Inc.")
    assert t.lookup("9.9.9.9") == (19281, "Quad9 \u65e5\u672c")
    assert t.lookup("2001:db8::10") == (64500, "Example v6")
    assert t.lookup("2001:db8::1:0") is None
    assert t.lookup("0.0.0.1") is None and t.lookup("255.255.255.255") is None
    # a truncated copy is refused at open time, not misread
    cut = tmp_path / "cut.ranges"
    cut.write_bytes(out.read_bytes()[:-3])
    with pytest.raises(ValueError):
        AsnRanges(str(cut))


def test_every_default_range_start_is_sorted(geodb: GeoDB) -> None:
    t = AsnRanges(str(default_geoip_dir() / "asn.ranges"))
    starts = t._v4.starts
    sample = [starts[i] for i in range(0, len(starts), max(1, len(starts) // 1000))]
    assert sample == sorted(sample)
    assert int(ipaddress.ip_address("74.226.196.215")) >= starts[0]
