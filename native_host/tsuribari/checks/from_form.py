"""A From header that holds no usable sender address.

Every mail system writes From as `local@domain.tld`. Bulk scams hand-write it so that the reader
sees a brand but no real sender exists: `Europa Park,(<service@stayfriends.de>)` (the address sits
in a comment; the mailbox is the bare word 'Europa'), `"Gillette" <"no-reply@Gillette.nl">` (a
quoted local part with no domain after it), `support@𝗰𝗽.𝗻𝗹` (a domain spelled in mathematical
letters that only look like 'cp.nl'), `contato@correios` (no top-level domain). Besides putting
words in the reader's mind, a domain that does not exist cannot fail SPF/DKIM/DMARC alignment,
so the filters that check the sender's domain have nothing to check.

Not counted: an empty From (sender.no_from_address says that), the system mailboxes that mail
servers themselves write without a domain (MAILER-DAEMON, postmaster, root — bounces and cron
mail), and a From equal to the recipient's own address (self-addressed mail is judged by the
other checks; an anonymised corpus also writes the recipient there).
"""
from __future__ import annotations

import re
import unicodedata

from ..model import Finding
from .context import Context

# A host name: letters/digits/hyphens, two labels or more, a letter TLD (or an A-label).
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,40}(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})")
SYSTEM_LOCALS = frozenset({"mailer-daemon", "postmaster", "root", "daemon", "cron", "nobody", "logwatch",
                           "www-data", "apache", "nginx", "system", "anacron"})


def _problem(address: str) -> str:
    """Why `address` is no usable mailbox ('' when it is one)."""
    if "@" not in address:
        return "no_at"
    local, _, domain = address.rpartition("@")
    if '"' in address or "@" in local:
        return "quoted"
    if unicodedata.normalize("NFKC", domain) != domain:
        return "styled_domain"
    try:
        host = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return "bad_domain"
    if not _HOST.fullmatch(host.rstrip(".")[:300]):
        return "bad_domain"
    return ""


def malformed_from(ctx: Context) -> list[Finding]:
    s = ctx.facts.sender
    address = s.from_.address.strip()
    if not address or s.from_count > 1:
        return []
    local = address.rpartition("@")[0] if "@" in address else address
    if local.strip('"').lower() in SYSTEM_LOCALS:
        return []
    if address.lower() in {r.lower() for r in ctx.facts.recipients[:50]}:
        return []
    problem = _problem(address)
    if not problem:
        return []
    reasons = {
        "no_at": ("「@」もドメインもない", "has no '@' and no domain"),
        "quoted": ("引用符の中に「@」を含み、実際のドメインがない", "puts an '@' inside quotes, with no real domain after it"),
        "styled_domain": ("ドメインが通常の英字に似た別の文字（飾り文字など）で書かれている",
                          "spells its domain in look-alike (styled) characters"),
        "bad_domain": ("ドメインが実在しうるホスト名の形をしていない", "has a domain that is no valid host name"),
    }[problem]
    return [ctx.make("sender.malformed_from", {"address": address[:200], "display_name": s.from_.display[:200],
                                                "problem": problem},
                     address=address[:100], reason_ja=reasons[0], reason_en=reasons[1])]


CHECKS = (malformed_from,)
