"""Advance-fee and windfall scams: a stranger's mail about a very large sum of money.

An analyst reading "I wish to donate US$ 2.500.000 to you" or "£1,963,920.00 GBP from my late
husband's estate" does not need a link to judge it: ordinary mail to a private person does not
offer six- or seven-figure sums, and the scam (419, inheritance, donation, "fund transfer",
crypto "withdrawal") works by getting a reply or a small fee first. The sum alone is only a hint
— business newsletters quote revenues and funding rounds — so on its own it counts only when it
is put to the reader (a second-person word or a word of getting money — you, claim, withdraw,
あなた, 受け取り — within a sentence's reach of it), and it becomes strong when the writer is on a free mailbox (or wants the answer at one), or when the
text speaks of inheritance, donation or a fund to transfer.

Amounts are found by one regex with bounded repetitions on bounded, folded text (see
tests/test_regex_linear.py): a currency sign, code or word next to a number written with
`.`/`,`/space thousands separators, or "N million / milhões / millones / Millionen / milioni",
or Japanese 万/億 with 円/ドル. Yen and won need ten million (¥10,000,000), other currencies
100,000: ¥120,000 is an ordinary invoice.
"""
from __future__ import annotations

import re
from typing import Iterator

from ..model import Finding
from .context import Context
from .wording import CURRENCY_MARKERS, CURRENCY_MARKERS_JA, markers_found, phrases_in

MAX_SCAN = 60_000
LARGE = 100_000
LARGE_SMALL_UNIT = 10_000_000          # yen, won: about a hundredth of a dollar or euro
SMALL_UNITS = {"¥", "jpy", "yen", "円", "₩", "krw"}

_CUR_PRE = r"us\$|u\$s|r\$|a\$|c\$|[$£€¥₹₦₩]|\b(?:usd|eur|gbp|jpy|chf|cad|aud|brl|usdt|usdc)\b"
_CUR_POST = (r"[$£€¥]|\b(?:usd|eur|gbp|jpy|chf|cad|aud|brl|usdt|usdc|dollars?|dólares|dolares|dollari|euros?|"
             r"pounds?|libras?|sterling|reais|yen|francs?)\b")
# Thousands-separated (1.234.567,00 / 1,234,567.00 / 1 234 567) or a plain run of digits.
_NUM = r"\d{1,3}(?:[., ]\d{3}){1,5}(?:[.,]\d{1,2})?(?!\d)|\d{1,15}(?:[.,]\d{1,3})?(?!\d)"
_SCALE = (r"millions?|millionen|milhões|milhão|millones|millón|milioni|milione|mio\.?|mln|billions?|bilhões|"
          r"milliarden?|mil millones|m|bn|k")
# An amount is kept only with its currency, written before it (pre) or after it (post): the two
# branches say so, so that the engine itself passes over the many plain numbers of a text (a
# table of figures once cost thousands of discarded matches). The lookahead names every way a
# match can start (a digit, a currency sign, a currency prefix's first two characters), so the
# engine leaves most positions at once. A number starts where a digit run starts: trying every
# digit of "20240315" again cost more than all the rest (and a tail of a longer run is no amount).
_AFTER_NUM = rf"(?: ?(?P<{{scale}}>{_SCALE})\b)?"
_MONEY = re.compile(
    rf"(?=[\d$£€¥₹₦₩]|u[s$]|r\$|a[$u]|c[$ah]|eu|gb|jp|br)"
    rf"(?:(?P<pre>{_CUR_PRE}) ?(?P<num>{_NUM}){_AFTER_NUM.format(scale='scale')}(?: ?(?:de |of )?(?P<post>{_CUR_POST}))?"
    rf"|(?<!\d)(?P<num2>{_NUM}){_AFTER_NUM.format(scale='scale2')} ?(?:de |of )?(?P<post2>{_CUR_POST}))")
# Japanese: 250万ドル, 1億円, 百万ドル, 5,000万円.
# The lookahead and (?<!\d) leave every position but the start of a number at once.
_MONEY_JA = re.compile(r"(?=[\d一二三四五六七八九十百千])(?P<num>(?<!\d)\d{1,6}(?:,\d{3}){0,3}|[一二三四五六七八九十百千]{1,6})"
                       r"(?P<unit>万|億|兆)?(?P<cur>円|ドル|ユーロ|ポンド)")
_KANJI = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_POS = {"十": 10, "百": 100, "千": 1000}
_SCALES = {"k": 1e3, "m": 1e6, "mio": 1e6, "mio.": 1e6, "mln": 1e6, "bn": 1e9, "mil millones": 1e9}
MAX_AMOUNTS = 5
# An amount is kept only with its currency, so a text with none of the currency markers
# (wording.CURRENCY_MARKERS; two mails in three) needs neither regex.


def _number(text: str, scaled: bool) -> float | None:
    """'2.500.000' → 2500000; '150.500,00' → 150500; '1,5' with a scale word → 1.5; '6.9' → 6.9."""
    digits = text.replace(" ", "")
    groups = re.split(r"[.,]", digits)
    if len(groups) == 1:
        return float(digits)
    last = groups[-1]
    if len(groups) == 2 and (len(last) != 3 or scaled):
        return float(groups[0] + "." + last)              # a decimal fraction: 6.9, 1,5 million
    if len(last) in (1, 2):                               # 150.500,00 / 1,963,920.00: cents at the end
        return float("".join(groups[:-1]) + "." + last)
    return float("".join(groups))


def _scale(word: str | None) -> float:
    if not word:
        return 1.0
    if word in _SCALES:
        return _SCALES[word]
    if word.startswith(("bil", "milliard")):
        return 1e9
    return 1e6                                            # million(s), milhões, millones, Millionen, milioni


def _kanji_number(text: str) -> int:
    total, digit = 0, 0
    for ch in text:
        if ch in _KANJI:
            digit = _KANJI[ch]
        else:
            total += (digit or 1) * _KANJI_POS[ch]
            digit = 0
    return total + digit


# No _MONEY match is longer than this (pre 4 + space + number 26 + scale 13 + post 12 = 56): every
# repetition in it is bounded.
MAX_MONEY = 64
MAX_MARKER_SPOTS = 64


def _money_near_markers(text: str, markers) -> Iterator[re.Match[str]]:
    """What _MONEY.finditer(text) yields, reading only around the currency markers. Every match holds
    one of the markers (each currency alternative contains one), so it starts at most MAX_MONEY
    before one; from such a start the engine reads at most MAX_MONEY + 1 characters, so an end
    position past that sees the same text as the whole string (pos keeps the look-behinds
    reading before it). A long text with a few '$' once cost a regex step per character."""
    spots = []
    for marker in markers:
        at = text.find(marker)
        while at >= 0:
            spots.append(at)
            if len(spots) > MAX_MARKER_SPOTS:
                yield from _MONEY.finditer(text)
                return
            at = text.find(marker, at + 1)
    spots.sort()
    spans: list[list[int]] = []
    for at in spots:                       # starts worth trying: [at - MAX_MONEY, at]
        if spans and at - MAX_MONEY <= spans[-1][1] + 1:
            spans[-1][1] = at
        else:
            spans.append([max(0, at - MAX_MONEY), at])
    pos, size = 0, len(text)
    for first, last in spans:
        pos = max(pos, first)
        while pos <= last:
            m = _MONEY.search(text, pos, min(size, last + MAX_MONEY + 2))
            if m is None or m.start() > last:
                break
            yield m
            pos = m.end()


def large_sums(text: str, present: set[str] | None = None) -> list[str]:
    """The large amounts of money the text names, as written (at most MAX_AMOUNTS). present: the
    currency markers occurring in the text, when a scan already found them (None: look here)."""
    found: list[str] = []
    if present is None:
        present = {m for m in CURRENCY_MARKERS + CURRENCY_MARKERS_JA if m in text}
    latin_markers = [m for m in CURRENCY_MARKERS if m in present]
    latin = _money_near_markers(text, latin_markers) if latin_markers else ()
    for m in latin:
        pre = m.group("pre")
        num, scale, post = (m.group("num", "scale", "post") if pre else m.group("num2", "scale2", "post2"))
        if scale in ("m", "k", "bn") and not pre:        # '5 m' of cable, '12k' followers
            continue
        try:
            value = _number(num, bool(scale)) * _scale(scale)
        except ValueError:
            continue
        unit = (pre or post or "").strip()
        if value >= (LARGE_SMALL_UNIT if unit in SMALL_UNITS else LARGE):
            found.append(m.group(0).strip())
            if len(found) >= MAX_AMOUNTS:
                return found
    japanese = _MONEY_JA.finditer(text) if any(m in present for m in CURRENCY_MARKERS_JA) else ()
    for m in japanese:
        num = m.group("num")
        value = float(num.replace(",", "")) if num[0].isdigit() else float(_kanji_number(num))
        value *= {"万": 1e4, "億": 1e8, "兆": 1e12}.get(m.group("unit") or "", 1)
        if value >= (LARGE_SMALL_UNIT if m.group("cur") == "円" else LARGE):
            found.append(m.group(0))
            if len(found) >= MAX_AMOUNTS:
                break
    return found


# Words that put a sum to the reader rather than report it (folded text: lower case).
_TO_READER = re.compile(r"\b(?:you|your|yours|you're|you've|claim|receive|withdraw|win|won|earn|bonus|reward|payout|get)\b"
                        r"|あなた|お客様|受け取|受取|当選|出金|獲得|還元")
READER_REACH = 100


def _put_to_reader(text: str, amounts: list[str]) -> list[str]:
    out = []
    for amount in amounts:
        at = text.find(amount)
        if at >= 0 and _TO_READER.search(text, max(0, at - READER_REACH), at + len(amount) + READER_REACH):
            out.append(amount)
    return out


def _freemail_contact(ctx: Context) -> str:
    """The free mailbox the writer uses or wants the answer at ('' when none)."""
    freemail = ctx.kb.freemail
    frm = ctx.facts.sender.from_
    if (frm.registrable or frm.domain) in freemail:
        return frm.address
    for addr in ctx.facts.sender.reply_to[:10]:
        if (addr.registrable or addr.domain) in freemail and addr.address.lower() != frm.address.lower():
            return addr.address
    return ""


def large_sum(ctx: Context) -> list[Finding]:
    text = ctx.folded_text[:MAX_SCAN]
    # The phrase scan covers the whole folded text: a marker past MAX_SCAN only costs a scan that finds nothing.
    amounts = large_sums(text, markers_found(ctx, ctx.folded_text))
    if not amounts:
        return []
    shown = "、".join(amounts[:3])
    contact = _freemail_contact(ctx)
    windfall = phrases_in(ctx, "advance_fee", text, limit=3)
    if contact or windfall:
        why = {"amounts": amounts, "freemail": contact, "phrases": windfall}
        because_ja = (f"フリーメール（{contact}）" if contact else "") + ("・" if contact and windfall else "") + \
                     ("「" + "」「".join(windfall) + "」" if windfall else "")
        because_en = (f"a free mailbox ({contact})" if contact else "") + (" and " if contact and windfall else "") + \
                     ("the words '" + "', '".join(windfall) + "'" if windfall else "")
        return [ctx.make("scam.advance_fee", why, amounts=shown, because_ja=because_ja, because_en=because_en)]
    offered = _put_to_reader(text, amounts)
    if not offered:
        return []
    return [ctx.make("scam.large_sum", {"amounts": offered}, amounts="、".join(offered[:3]))]


MIN_EXTORTION = 3


def extortion(ctx: Context) -> list[Finding]:
    """'I have full access to your device … recorded a video of you … pay in Bitcoin': sextortion.
    One such phrase can occur in a security newsletter; three together tell the blackmail story."""
    text = ctx.folded_text[:MAX_SCAN]
    found = phrases_in(ctx, "extortion", text, limit=8)
    if len(found) < MIN_EXTORTION:
        return []
    return [ctx.make("scam.extortion", {"phrases": found}, phrases="「" + "」「".join(found[:4]) + "」")]


CHECKS = (large_sum, extortion)
