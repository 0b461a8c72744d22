"""The one-paragraph conclusion an analyst would write, in ja and en."""
from __future__ import annotations

from ..model import Facts, Finding

_CLOSING = {
    "phishing": {"ja": "フィッシングと判断します。リンクを開かず、パスワードやカード情報を入力しないでください。",
                 "en": "This is phishing. Do not open the links and do not enter passwords or card details."},
    "suspicious": {"ja": "不審な点があります。リンクは開かず、差出人には別の手段（公式サイトや電話）で確認してください。",
                   "en": "This mail is suspicious. Do not use its links; check with the sender another way (official site, phone)."},
    "safe": {"ja": "目立った危険の兆候は見つかりませんでした。",
             "en": "No significant signs of danger were found."},
}


def _lead(facts: Facts, findings: list[Finding]) -> dict[str, str]:
    by_id = {f.id: f for f in findings}
    brand = by_id.get("brand.display_name_mismatch") or by_id.get("brand.content_mismatch")
    if brand:
        ev = brand.evidence
        label = ev.get("brand_label") or {}
        name, name_ja = label.get("en") or ev.get("brand", ""), label.get("ja") or ev.get("brand", "")
        return {"ja": f"このメールは「{facts.sender.from_.display or name_ja}」として届き、{name_ja}を名乗っていますが、"
                      f"差出人アドレスのドメイン {ev.get('sender_domain') or '?'} はその公式ドメインではありません。",
                "en": f"This mail poses as {name} (\"{facts.sender.from_.display or name}\"), but the sender's domain "
                      f"{ev.get('sender_domain') or '?'} is not one of its official domains."}
    sender = facts.sender.from_.address or "?"
    return {"ja": f"差出人は {sender} です。", "en": f"The sender is {sender}."}


def summarise(facts: Facts, findings: list[Finding], verdict: str) -> dict[str, str]:
    lead = _lead(facts, findings)
    reasons = [f for f in findings if f.weight > 0 and not f.id.startswith("brand.display_name")
               and f.id != "brand.content_mismatch"][:3]
    out = {}
    for lang in ("ja", "en"):
        parts = [lead[lang]]
        if reasons and verdict != "safe":
            titles = [r.title[lang] for r in reasons]
            parts.append(("さらに、" + "／".join(titles) + "。") if lang == "ja" else ("Also: " + "; ".join(titles) + "."))
        parts.append(_CLOSING[verdict][lang])
        out[lang] = " ".join(parts) if lang == "en" else "".join(parts)
    return out
