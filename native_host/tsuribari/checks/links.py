"""Where the links really lead, judged from the URL alone (nothing is fetched)."""
from __future__ import annotations

import base64
import re
from urllib.parse import unquote

from ..model import Finding, Link
from ..parse.domains import registrable_domain, within
from .context import Context

# Spelled out without re.I, which matches exactly the same strings (checked over every code point)
# but makes re fold the whole \u00a0-\uffff range at compile time: 11-20 ms of the host's cold start.
_HOSTLIKE = re.compile(r"(?:[hH][tT][tT][pP][sS\u017f]?://)?((?:[a-zA-Z0-9\u00a0-\uffff-]{1,63}\.){1,8}"
                       r"[a-zA-Z\u00a0-\uffff]{2,24})(?:[/:?#\s]|$)")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")


def _link_ev(link: Link) -> dict:
    return {"url": link.url[:400], "text": link.text[:200], "host": link.host, "registrable": link.registrable}


def _distinct(links: list[Link]) -> list[Link]:
    seen, out = set(), []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out


def _redirect_or_mail_domains(kb) -> frozenset[str]:
    """Every brand's redirect and mail domains in one set: one lookup, not a walk over every brand."""
    return frozenset().union(*(b.redirect_domains | b.mail_domains for b in kb.brands))


def text_names_other_host(ctx: Context) -> list[Finding]:
    """The visible text shows one address, the link goes to another domain."""
    hits = []
    for link in ctx.facts.links:
        if link.source != "html-a" or not link.text or not link.registrable:
            continue
        m = _HOSTLIKE.search(link.text.strip()[:300])
        if not m:
            continue
        shown = registrable_domain(m.group(1))
        if shown and shown != link.registrable and not within(link.host, ctx.kb.shorteners):
            if ctx.sender_registrable and link.registrable == ctx.sender_registrable:
                continue   # a sender's own click-tracker showing its destination
            if link.registrable in ctx.kb.derived("links.redirect_or_mail", _redirect_or_mail_domains):
                continue
            hits.append((link, shown))
        if len(hits) >= 5:
            break
    if not hits:
        return []
    link, shown = hits[0]
    return [ctx.make("link.text_host_mismatch",
                     {"links": [{**_link_ev(l), "shown_domain": s} for l, s in hits]},
                     shown=shown, real=link.registrable)]


def ip_literal_hosts(ctx: Context) -> list[Finding]:
    hits = _distinct([l for l in ctx.facts.links if l.is_ip and l.source != "html-img"])
    if not hits:
        return []
    return [ctx.make("link.ip_host", {"links": [_link_ev(l) for l in hits[:5]]}, ip=hits[0].host)]


def shorteners(ctx: Context) -> list[Finding]:
    hits = _distinct([l for l in ctx.facts.links if l.host and within(l.host, ctx.kb.shorteners)])
    if not hits:
        return []
    return [ctx.make("link.shortener", {"links": [_link_ev(l) for l in hits[:5]]}, host=hits[0].host)]


def punycode_hosts(ctx: Context) -> list[Finding]:
    hits = _distinct([l for l in ctx.facts.links if "xn--" in l.host])
    if not hits:
        return []
    return [ctx.make("link.punycode", {"links": [{**_link_ev(l), "unicode": l.host_unicode} for l in hits[:5]]},
                     host=hits[0].host, unicode=hits[0].host_unicode)]


def _recipient_forms(address: str) -> set[str]:
    address = address.lower()
    forms = {address, address.replace("@", "%40")}
    for enc in (base64.b64encode, base64.urlsafe_b64encode):
        forms.add(enc(address.encode()).decode().rstrip("=").lower())
    return {f for f in forms if len(f) >= 6}


def recipient_in_link(ctx: Context) -> list[Finding]:
    """The link carries the reader's own address: a page that greets the victim by name."""
    recipients = [r for r in ctx.facts.recipients if "@" in r][:10]
    if not recipients:
        return []
    forms = {f: r for r in recipients for f in _recipient_forms(r)}
    for link in ctx.facts.links:
        haystack = (link.path + "?" + link.query + "#" + link.url.split("#", 1)[-1]).lower()
        decoded = unquote(haystack)
        for form, recipient in forms.items():
            if form in haystack or form in decoded:
                if ctx.sender_registrable and link.registrable == ctx.sender_registrable:
                    continue   # the sender's own unsubscribe/account links legitimately name the reader
                return [ctx.make("link.recipient_in_url", {**_link_ev(link), "recipient": recipient},
                                 recipient=recipient, registrable=link.registrable or link.host or link.url[:80])]
    return []


def credential_words(ctx: Context) -> list[Finding]:
    words = set(ctx.kb.credential_words)
    for link in ctx.facts.links:
        if not link.registrable or link.registrable == ctx.sender_registrable:
            continue
        if link.registrable in ctx.kb.brand_domains:
            continue
        sub = link.host[: -len(link.registrable)] if link.host.endswith(link.registrable) else ""
        tokens = set(_WORD_SPLIT.split((sub + " " + link.path).lower()))
        found = sorted(tokens & words)
        if found:
            return [ctx.make("link.credential_words", {**_link_ev(link), "words": found[:5]},
                             words=", ".join(found[:3]), registrable=link.registrable)]
    return []


def form_or_script_url(ctx: Context) -> list[Finding]:
    out = []
    forms = [l for l in ctx.facts.links if l.source == "html-form"]
    if forms:
        out.append(ctx.make("link.form_in_mail", {"actions": [l.url[:300] for l in forms[:5]]},
                            action=forms[0].host or forms[0].url[:60]))
    scripted = [l for l in ctx.facts.links if l.scheme in ("javascript", "data", "vbscript")]
    if scripted:
        out.append(ctx.make("link.script_url", {"urls": [l.url[:120] for l in scripted[:5]]}, scheme=scripted[0].scheme))
    return out


def unrelated_link_domains(ctx: Context) -> list[Finding]:
    """Every link leads away from the sender's domain and from any brand the mail names."""
    # An IP-address link leads away from every domain too (a bank's own mail never links to a bare IP).
    links = [l for l in ctx.facts.links if (l.registrable or (l.is_ip and l.host))
             and l.source in ("text", "html-a", "html-text")]
    if not links or not ctx.sender_registrable:
        return []
    brands = ctx.claimed_brands()
    allowed = {ctx.sender_registrable}
    for b in brands:
        allowed |= b.trusted_domains
    own = [l for l in links if l.registrable in allowed]
    if own:
        return []
    domains = sorted({l.registrable or l.host for l in links})[:10]
    return [ctx.make("link.unrelated_domains", {"sender_domain": ctx.sender_registrable, "link_domains": domains},
                     domain=ctx.sender_registrable, links=", ".join(domains[:3]))]


CHECKS = (text_names_other_host, ip_literal_hosts, shorteners, punycode_hosts, recipient_in_link,
          credential_words, form_or_script_url, unrelated_link_domains)
