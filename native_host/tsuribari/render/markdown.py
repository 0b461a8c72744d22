"""The analyst-style write-up: each step with its evidence, URLs defanged."""
from __future__ import annotations

from typing import Any

from .defang import defang, defang_text, plain

_H = {
    "ja": {"title": "Tsuribari 解析レポート", "verdict": "判定", "summary": "結論", "findings": "根拠",
           "route": "配送経路", "links": "リンク", "auth": "送信ドメイン認証", "sender": "差出人",
           "lookups": "照会", "none": "なし", "origin": "← 送信元", "evidence": "証拠"},
    "en": {"title": "Tsuribari analysis report", "verdict": "Verdict", "summary": "Conclusion", "findings": "Evidence",
           "route": "Route", "links": "Links", "auth": "Sender authentication", "sender": "Sender",
           "lookups": "Lookups", "none": "none", "origin": "← origin", "evidence": "evidence"},
}
_LEVEL = {"ja": {"phishing": "フィッシング", "suspicious": "不審", "safe": "安全"},
          "en": {"phishing": "PHISHING", "suspicious": "SUSPICIOUS", "safe": "SAFE"}}


def _cell(value: Any) -> str:
    return plain(value, 200).replace("|", "\\|")


def _evidence_lines(evidence: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in list(evidence.items())[:12]:
        if isinstance(value, (list, dict)):
            value = str(value)[:400]
        lines.append(f"    - {key}: `{defang_text(plain(value, 400))}`")
    return lines


def render_markdown(result: dict[str, Any], lang: str = "ja") -> str:
    lang = lang if lang in _H else "en"
    h = _H[lang]
    facts = result.get("facts", {})
    sender = facts.get("sender", {})
    frm = sender.get("from", {})
    out = [f"# {h['title']}", "",
           f"**{h['verdict']}: {_LEVEL[lang].get(result['verdict'], result['verdict'])} ({result['score']}/100)**", "",
           f"## {h['summary']}", "", defang_text(plain(result["summary"][lang], 2000)), "",
           f"## {h['sender']}", "",
           f"- From: `{plain(frm.get('display', ''))}` <`{plain(frm.get('address', ''))}`>",
           f"- Subject: `{plain(sender.get('subject', ''))}`",
           f"- Return-Path: `{plain((sender.get('return_path') or {}).get('address', ''))}`",
           f"- Message-ID: `{plain(sender.get('message_id', ''))}`", "",
           f"## {h['findings']}", ""]
    for i, f in enumerate(result.get("findings", []), 1):
        out.append(f"{i}. **{defang_text(plain(f['title'][lang], 300))}** ({f['id']}, {f['weight']:+.1f})")
        out.append(f"    {defang_text(plain(f['explanation'][lang], 1000))}")
        out.extend(_evidence_lines(f.get("evidence", {})))
    out += ["", f"## {h['route']}", "", "| # | from (HELO / rDNS) | IP | AS / org | country | delay |", "|---|---|---|---|---|---|"]
    origin = facts.get("origin_index")
    for hop in facts.get("hops", [])[:30]:
        mark = f" {h['origin']}" if hop.get("index") == origin else ""
        asn = f"AS{hop['asn']} {hop.get('org', '')}" if hop.get("asn") else hop.get("org", "")
        out.append(f"| {hop['index']}{mark} | {_cell(hop.get('helo'))} / {_cell(hop.get('rdns'))} | {_cell(hop.get('ip'))} | "
                   f"{_cell(asn)} | {_cell(hop.get('country'))} | {'' if hop.get('delay_s') is None else hop['delay_s']} |")
    out += ["", f"## {h['links']}", ""]
    links = facts.get("links", [])
    if not links:
        out.append(h["none"])
    for link in links[:30]:
        text = f" — \"{_cell(link['text'])}\"" if link.get("text") else ""
        out.append(f"- `{defang(plain(link['url'], 300))}` ({_cell(link.get('registrable') or link.get('host'))}){text}")
    out += ["", f"## {h['auth']}", ""]
    auth = facts.get("auth", [])
    if not auth:
        out.append(h["none"])
    for a in auth[:20]:
        out.append(f"- {a['method']}={a['result']} {_cell(a.get('domain'))} ({_cell(a.get('source'))}, trusted={a.get('trusted')})")
    lookups = result.get("lookups", [])
    if lookups:
        out += ["", f"## {h['lookups']}", ""]
        for lk in lookups[:40]:
            out.append(f"- {lk.get('kind')} {defang(plain(lk.get('target', ''), 200))}: {lk.get('status')} ({lk.get('ms', 0):.0f} ms)")
    return "\n".join(out) + "\n"
