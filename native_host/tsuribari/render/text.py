"""The human-readable report for a terminal (colour only when it is one)."""
from __future__ import annotations

from typing import Any

from .defang import defang, defang_text, plain

_COLOUR = {"phishing": "\033[1;31m", "suspicious": "\033[1;33m", "safe": "\033[1;32m"}
_RESET = "\033[0m"
_WORD = {"ja": {"phishing": "フィッシング", "suspicious": "不審", "safe": "安全"},
         "en": {"phishing": "PHISHING", "suspicious": "SUSPICIOUS", "safe": "SAFE"}}


def render_text(result: dict[str, Any], lang: str = "ja", colour: bool = False) -> str:
    lang = lang if lang in _WORD else "en"
    verdict = result["verdict"]
    head = f"{_WORD[lang][verdict]}  {result['score']}/100"
    if colour:
        head = f"{_COLOUR[verdict]}{head}{_RESET}"
    lines = [head, "", defang_text(plain(result["summary"][lang], 2000)), ""]
    for f in result["findings"]:
        lines.append(f"  [{f['weight']:+.1f}] {defang_text(plain(f['title'][lang], 300))}  ({f['id']})")
        lines.append(f"         {defang_text(plain(f['explanation'][lang], 600))}")
    facts = result["facts"]
    origin = facts.get("origin_index")
    if origin is not None and origin < len(facts.get("hops", [])):
        hop = facts["hops"][origin]
        where = ", ".join(str(x) for x in (hop.get("ip"), hop.get("rdns"), hop.get("org"),
                                            f"AS{hop['asn']}" if hop.get("asn") else "", hop.get("country")) if x)
        lines += ["", ("送信元: " if lang == "ja" else "Origin: ") + plain(where)]
    for link in facts.get("links", [])[:10]:
        lines.append(("リンク: " if lang == "ja" else "Link: ") + defang(plain(link["url"], 200)))
    for problem in (facts.get("problems", []) + facts.get("limits_hit", []))[:10]:
        lines.append(("注意: " if lang == "ja" else "Note: ") + plain(problem))
    lines.append(f"({result['elapsed_ms']} ms)")
    return "\n".join(lines) + "\n"
