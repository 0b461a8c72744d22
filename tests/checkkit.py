"""Run the offline checks on a small mail with a small, explicit knowledge base."""
from __future__ import annotations

from tsuribari.checks import run_checks
from tsuribari.checks.context import build_context
from tsuribari.findings import default_catalog
from tsuribari.knowledge import Knowledge, _brand
from tsuribari.parse.message import parse_mail

BRANDS = [
    {"id": "kagoya", "label": {"ja": "カゴヤ・ジャパン", "en": "KAGOYA JAPAN"}, "names": ["Kagoya", "カゴヤ"],
     "official_domains": ["kagoya.jp", "kagoya.com", "kagoya.net"]},
    {"id": "amazon", "label": {"ja": "Amazon", "en": "Amazon"}, "names": ["Amazon", "アマゾン"],
     "official_domains": ["amazon.co.jp", "amazon.com", "amazon.jp"], "mail_domains": ["amazonses.com"]},
    {"id": "smbc_card", "label": {"ja": "三井住友カード", "en": "SMBC Card"}, "names": ["三井住友カード", "Vpass"],
     "names_strict": ["SMBC"], "official_domains": ["smbc-card.com", "vpass.ne.jp"]},
    {"id": "au", "label": {"ja": "au", "en": "au (KDDI)"}, "names": ["KDDI"], "names_strict": ["au"],
     "official_domains": ["au.com", "kddi.com"]},
]


def knowledge(**overrides) -> Knowledge:
    base = dict(
        brands=tuple(_brand(b) for b in BRANDS), shared_tenant=frozenset({"onmicrosoft.com"}),
        wording={"account_threat": {"ja": ("削除されます", "利用停止"), "en": ("will be suspended",)},
                 "deadline": {"ja": ("{n}日間", "{n}時間以内"), "en": ("within {n} hours",)}},
        shorteners=frozenset({"bit.ly"}), freemail=frozenset({"gmail.com"}),
        cloud_rdns={"cloudapp.azure.com": "Microsoft Azure", "compute.amazonaws.com": "Amazon EC2"},
        residential_rdns={"ocn.ne.jp": "OCN"}, mail_provider_rdns={"amazonses.com": "Amazon SES"},
        cloud_asn={8075: "Microsoft", 45102: "Alibaba"},
    )
    base.update(overrides)
    return Knowledge(**base)


def mail(headers: str, body: str = "hello", ctype: str = "text/plain") -> bytes:
    return (headers.strip() + f"\nMIME-Version: 1.0\nContent-Type: {ctype}; charset=utf-8\n\n{body}\n").encode()


def findings(raw: bytes, kb: Knowledge | None = None, trusted: frozenset[str] = frozenset()) -> dict:
    facts = parse_mail(raw)
    ctx = build_context(facts, kb or knowledge(), default_catalog(), trusted)
    return {f.id: f for f in run_checks(ctx)}
