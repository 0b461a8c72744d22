"""The knowledge data files parse, follow their schema and stay consistent.

Data only: brands.json, wording.json, hosting.json, shorteners.txt, freemail.txt.
The JPCERT coverage test reads ../shared/corpora and skips when it is absent.
"""
from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "native_host" / "tsuribari" / "data"
JPCERT_COUNTS = ROOT.parent / "shared" / "corpora" / "urls" / "jpcert_brand_counts.csv"

CATEGORIES = {"bank", "card", "ecommerce", "carrier", "logistics", "government", "hosting", "mail",
              "payment", "crypto", "social", "utility", "transport", "other"}
WORDING_GROUPS = {"account_threat", "deadline", "credential_request", "payment_problem", "urgency",
                  "prize_scam", "delivery_problem", "mailbox_admin"}
OTHER_LANGS = {"pt", "es", "de", "fr", "nl", "it"}
BRAND_KEYS = {"id", "label", "category", "group", "generic", "names", "names_strict", "jpcert",
              "official_domains", "mail_domains", "redirect_domains", "notes"}
LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
DOMAIN = re.compile(rf"^(?:{LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{2,59}})$")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")


def load_json(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def lines(name: str) -> list[str]:
    out = []
    for raw in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def fold(s: str) -> str:
    return unicodedata.normalize("NFKC", s).casefold().strip()


@pytest.fixture(scope="module")
def brands_doc():
    return load_json("brands.json")


@pytest.fixture(scope="module")
def brands(brands_doc):
    return brands_doc["brands"]


def psl():
    mod = pytest.importorskip("publicsuffixlist")
    return mod.PublicSuffixList(only_icann=True)


# --- every file parses --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["brands.json", "wording.json", "hosting.json"])
def test_json_files_parse(name):
    assert isinstance(load_json(name), dict)


@pytest.mark.parametrize("name", ["shorteners.txt", "freemail.txt"])
def test_list_files_are_unique_lowercase_domains(name):
    entries = lines(name)
    assert len(entries) >= 20
    bad = [e for e in entries if e != e.lower() or not DOMAIN.match(e)]
    assert not bad, f"not a lower-case domain in {name}: {bad}"
    dupes = sorted({e for e in entries if entries.count(e) > 1})
    assert not dupes, f"duplicates in {name}: {dupes}"


# --- brands.json ----------------------------------------------------------------------------------

def test_brand_schema(brands_doc, brands):
    assert brands_doc["version"] == 1
    assert len(brands) >= 100
    ids = [b["id"] for b in brands]
    assert len(ids) == len(set(ids)), "duplicate brand ids"
    for b in brands:
        where = b.get("id")
        assert set(b) <= BRAND_KEYS, f"{where}: unknown keys {set(b) - BRAND_KEYS}"
        assert re.fullmatch(r"[a-z0-9_]+", b["id"]), where
        assert b["label"]["ja"].strip() and b["label"]["en"].strip(), where
        assert b["category"] in CATEGORIES, where
        for key in ("names", "names_strict", "jpcert", "official_domains", "mail_domains", "redirect_domains"):
            assert isinstance(b[key], list) and all(isinstance(x, str) for x in b[key]), f"{where}.{key}"
            assert len(b[key]) == len(set(b[key])), f"{where}.{key} has duplicates"
        assert b["names"] or b["names_strict"], f"{where}: no name at all"
        if "group" in b:
            assert re.fullmatch(r"[a-z0-9_]+", b["group"]), where
        if "generic" in b:
            assert b["generic"] is True, where
        if not b["official_domains"]:
            assert b.get("generic") or b.get("notes"), f"{where}: no official domain and no note saying why"


def test_names_are_safe_to_match(brands):
    for b in brands:
        for n in b["names"]:
            assert n == n.strip() and len(fold(n)) >= 2, (b["id"], n)
            if not JAPANESE.search(n):
                letters = re.sub(r"[^0-9a-z]", "", fold(n))
                assert len(letters) >= 4, f"{b['id']}: short Latin name {n!r} belongs in names_strict"
        for n in b["names_strict"]:
            assert n == n.strip() and len(n) >= 2, (b["id"], n)


def test_no_name_shared_between_brands(brands):
    owner: dict[str, str] = {}
    clashes = []
    for b in brands:
        for n in set(fold(x) for x in b["names"] + b["names_strict"]):
            if n in owner and owner[n] != b["id"]:
                clashes.append((n, owner[n], b["id"]))
            owner[n] = b["id"]
    assert not clashes, clashes


def test_jpcert_strings_belong_to_one_brand(brands):
    seen: dict[str, str] = {}
    for b in brands:
        for s in b["jpcert"]:
            assert s not in seen, f"{s!r} mapped to {seen[s]} and {b['id']}"
            seen[s] = b["id"]


def _all_domains(brands):
    for b in brands:
        for key in ("official_domains", "mail_domains", "redirect_domains"):
            for d in b[key]:
                yield b, key, d


def test_brand_domains_look_registrable(brands):
    bad = [(b["id"], key, d) for b, key, d in _all_domains(brands) if d != d.lower() or not DOMAIN.match(d)]
    assert not bad, bad


def test_brand_domains_are_registrable_per_psl(brands):
    """Each domain is its own registrable domain, unless the brand's notes explain the suffix match."""
    p = psl()
    odd = []
    for b, key, d in _all_domains(brands):
        if p.privatesuffix(d) == d:
            continue
        if key == "official_domains" and "suffix" in b.get("notes", ""):
            continue  # e.g. metro.tokyo.lg.jp, gov.uk: documented host-suffix entries
        odd.append((b["id"], key, d))
    assert not odd, odd


def test_shared_tenant_domains_are_not_brand_proof(brands_doc, brands):
    shared = brands_doc["shared_tenant_domains"]
    assert len(shared) == len(set(shared))
    assert all(DOMAIN.match(d) for d in shared), [d for d in shared if not DOMAIN.match(d)]
    for must in ("onmicrosoft.com", "sharepoint.com", "cloudapp.azure.com", "amazonaws.com"):
        assert must in shared
    clash = [(b["id"], d) for b, key, d in _all_domains(brands) if key == "official_domains" and d in set(shared)]
    assert not clash, clash


def test_seed_brand_present(brands):
    kagoya = next(b for b in brands if b["id"] == "kagoya")
    assert {"kagoya.jp", "kagoya.com"} <= set(kagoya["official_domains"])
    assert "aica-interior.co.jp" not in kagoya["official_domains"]
    assert any(fold(n) == "カゴヤ" for n in kagoya["names"])


def _jpcert_counts() -> dict[str, int]:
    if not JPCERT_COUNTS.exists():
        pytest.skip("../shared/corpora is absent")
    with JPCERT_COUNTS.open(encoding="utf-8", newline="") as fh:
        return {row["brand"]: int(row["url_count"]) for row in csv.DictReader(fh)}


def test_every_frequent_jpcert_brand_is_mapped(brands):
    counts = _jpcert_counts()
    mapped = {s for b in brands for s in b["jpcert"]}
    frequent = sorted(s for s, n in counts.items() if n >= 100)
    top50 = sorted(counts, key=lambda s: -counts[s])[:50]
    missing = [s for s in sorted(set(frequent) | set(top50)) if s not in mapped]
    assert not missing, f"JPCERT brands without a catalog entry: {missing}"
    unknown = sorted(s for s in mapped if s not in counts)
    assert not unknown, f"jpcert strings that are not in the JPCERT list: {unknown}"
    covered = sum(n for s, n in counts.items() if s in mapped)
    assert covered / sum(counts.values()) >= 0.98


# --- wording.json ---------------------------------------------------------------------------------

def test_wording_groups():
    doc = load_json("wording.json")
    groups = doc["groups"]
    assert WORDING_GROUPS <= set(groups)
    for name, entry in groups.items():
        # ja and en in every group; the European languages of the scams the honeypots collect may follow.
        assert {"ja", "en"} <= set(entry) <= {"ja", "en"} | OTHER_LANGS, name
        for lang in entry:
            phrases = entry[lang]
            low = 10 if lang in ("ja", "en") else 5
            assert low <= len(phrases) <= 80, (name, lang, len(phrases))
            folded = [fold(p) for p in phrases]
            assert len(folded) == len(set(folded)), f"{name}.{lang} has duplicates"
            for p in phrases:
                assert isinstance(p, str) and p == p.strip(), (name, p)
                assert len(p.replace("{n}", "0")) >= 2, f"phrase too short: {p!r}"
                # {n} is the only template token; everything else is literal text
                assert "{" not in p.replace("{n}", "") and "}" not in p.replace("{n}", ""), p
                if lang == "ja":
                    assert JAPANESE.search(p), f"{name}.ja: {p!r} has no Japanese"
                else:
                    assert not JAPANESE.search(p), f"{name}.{lang}: {p!r} has Japanese"


# --- hosting.json ---------------------------------------------------------------------------------

def test_hosting_sections():
    doc = load_json("hosting.json")
    suffix_sections = ("cloud", "shared_hosting", "residential", "mail_providers")
    for section in suffix_sections:
        table = doc[section]
        assert table, section
        for suffix, provider in table.items():
            assert suffix == suffix.lower() and DOMAIN.match(suffix), (section, suffix)
            assert isinstance(provider, str) and provider.strip(), (section, suffix)
    for a in suffix_sections:
        for b in suffix_sections:
            if a < b:
                both = set(doc[a]) & set(doc[b])
                assert not both, (a, b, both)
    for section in ("cloud_asn", "residential_asn"):
        for asn, name in doc[section].items():
            assert asn.isdigit() and 0 < int(asn) < 4_294_967_296, (section, asn)
            assert name.strip(), (section, asn)
    assert not set(doc["cloud_asn"]) & set(doc["residential_asn"])
    # the seed case: its origin is on Azure
    assert doc["cloud"]["cloudapp.azure.com"].startswith("Microsoft")
    assert doc["cloud_asn"]["8075"] == "Microsoft"


def test_freemail_and_shorteners_do_not_overlap():
    assert not set(lines("freemail.txt")) & set(lines("shorteners.txt"))
