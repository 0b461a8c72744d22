"""Raw bytes of one mail → Facts. Never raises on bad input; every cut is a fact."""
from __future__ import annotations

import email
import email.parser
import email.utils
import email.policy
import re
from dataclasses import dataclass
from email.message import Message
from functools import lru_cache

from ..model import Attachment, Facts, Link
from .auth_headers import auth_results
from .charset import decode_bytes
from .headers import MAX_HEADER_CHARS, decode_header_value, first_address, parse_addresses
from .links import html_text_and_links, links_from_text, make_link, MAX_HTML_BYTES, MAX_LINKS
from .pdf import pdf_uris
from .received import MAX_RECEIVED_CHARS, find_boundary, parse_received, provider_chain_end, set_delays
from .sniff import sniff_type

MOZILLA_LINES = (b"x-mozilla-status:", b"x-mozilla-status2:", b"x-mozilla-keys:",
                 b"x-account-key:", b"x-uidl:", b"from - ")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 40_000_000       # bytes handed to the MIME parser
    max_headers: int = 2000
    max_hops: int = 100
    max_parts: int = 300
    max_depth: int = 30
    max_text_chars: int = 400_000     # decoded body text kept for the wording checks
    max_part_decode: int = 5_000_000  # bytes of one text part decoded


def strip_mozilla_lines(raw: bytes) -> bytes:
    """Drop Thunderbird's own bookkeeping lines (and an mbox 'From ' line) at the top."""
    pos = 0
    while pos < len(raw) and pos < 4096:
        end = raw.find(b"\n", pos)
        if end < 0:
            break
        line = raw[pos:end].lower()
        if any(line.startswith(p) for p in MOZILLA_LINES):
            pos = end + 1
            continue
        break
    return raw[pos:]


def normalise_newlines(raw: bytes) -> bytes:
    """CRLF and bare CR alike become LF."""
    # Dropping the CR of each CRLF first leaves only CRs that were bare; a CR that ends
    # up before an LF ("\r\r\n") was bare too. Two C-level replaces, no regex.
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _param(part: Message, name: str) -> str:
    try:
        value = part.get_param(name, header="content-type")
        if isinstance(value, tuple):
            value = email.utils.collapse_rfc2231_value(value)
        return decode_header_value(value) if value else ""
    except Exception:
        return ""


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
        # None means neither filename nor name is there: no second content-type parse.
        # A blank filename can still sit beside a name parameter, which is then used.
        if not name and name is not None:
            name = _param(part, "name")
    except Exception:
        name = _param(part, "name")
    return decode_header_value(name)[:300] if name else ""


def _headers_only(disposition: str | None, content_type: str | None) -> Message:
    msg = Message()
    if disposition is not None:
        msg["Content-Disposition"] = disposition
    if content_type is not None:
        msg["Content-Type"] = content_type
    return msg


# A part's file name and charset depend on its Content-Disposition and Content-Type values only,
# and those recur from mail to mail ('text/plain; charset="utf-8"'): the stdlib re-parses the
# parameters on every call, so the answers are kept per value pair (bounded caches).
@lru_cache(maxsize=2048)
def _filename_of(disposition: str | None, content_type: str | None) -> str:
    return _filename(_headers_only(disposition, content_type))


@lru_cache(maxsize=2048)
def _charset_of(content_type: str | None) -> str | None:
    return _headers_only(None, content_type).get_content_charset()


def _part_headers(part: Message) -> tuple[str | None, str | None] | None:
    """The part's first Content-Disposition and Content-Type values, None when either is not a
    plain string (compat32 hands raw 8-bit values back as Header objects: left to the stdlib)."""
    disposition, content_type = part.get("Content-Disposition"), part.get("Content-Type")
    if (disposition is None or type(disposition) is str) and (content_type is None or type(content_type) is str):
        return disposition, content_type
    return None


def _payload(part: Message, facts: Facts, limits: Limits) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception as exc:
        facts.problems.append(f"undecodable part ({type(exc).__name__})")
        return b""
    if data is None:
        return b""
    if len(data) > limits.max_part_decode and part.get_content_maintype() == "text":
        facts.limits_hit.append(f"text part cut at {limits.max_part_decode} bytes")
        data = data[: limits.max_part_decode]
    return data


RETURNED_TYPES = frozenset({"message/rfc822", "message/global", "text/rfc822-headers", "message/rfc822-headers",
                            "message/global-headers"})


def _walk(msg: Message, limits: Limits, facts: Facts):
    """Leaf parts, each with whether it belongs to a message returned inside a delivery or
    feedback report (multipart/report): that message is what someone else sent, not the report."""
    stack = [(msg, 0, False)]
    count = 0
    while stack:
        part, depth, returned = stack.pop()
        count += 1
        if count > limits.max_parts:
            facts.limits_hit.append(f"more than {limits.max_parts} MIME parts; the rest skipped")
            return
        if part.is_multipart():
            if depth >= limits.max_depth:
                facts.limits_hit.append(f"MIME nesting deeper than {limits.max_depth}; inner parts skipped")
                continue
            children = part.get_payload()
            if isinstance(children, list):
                report = part.get_content_type() == "multipart/report"
                stack.extend((child, depth + 1, returned or (report and child.get_content_type() in RETURNED_TYPES))
                             for child in reversed(children) if isinstance(child, Message))
            continue
        yield part, returned


_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#[0-9]{2,6}|#x[0-9a-fA-F]{2,5});")


def _unescape_entities(text: str) -> str:
    """Plain text written with HTML entities ('est&atilde;o bloqueados'): bulk tools paste HTML-escaped
    text into the plain part, and the wording checks must read the words, not the escapes."""
    if len(_ENTITY.findall(text[:20000])) < 3:
        return text
    import html
    return html.unescape(text)


def _add_text(facts: Facts, texts: list[str], text: str, limits: Limits) -> None:
    used = sum(len(t) for t in texts)
    room = limits.max_text_chars - used
    if room <= 0:
        return
    if len(text) > room:
        facts.limits_hit.append(f"body text cut at {limits.max_text_chars} characters")
    texts.append(text[:room])


def _body(msg: Message, facts: Facts, limits: Limits) -> None:
    texts: list[str] = []
    links: list[Link] = []
    for part, returned in _walk(msg, limits, facts):
        ctype = part.get_content_type()
        values = _part_headers(part)
        disposition_value = values[0] if values else part.get("Content-Disposition")
        disposition = str(disposition_value or "").split(";", 1)[0].strip().lower()
        filename = _filename_of(*values) if values else _filename(part)
        data = _payload(part, facts, limits)
        is_text_body = ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename
        if is_text_body:
            charset = _charset_of(values[1]) if values else part.get_content_charset()
            text, codec, replaced = decode_bytes(data, charset)
            if replaced:
                facts.problems.append(f"{ctype} part not valid in its charset ({codec}); characters replaced")
            if ctype == "text/html":
                facts.html_present = True
                visible, html_links, counts = html_text_and_links(text)
                if counts["cut"]:
                    facts.limits_hit.append(f"HTML cut at {MAX_HTML_BYTES} characters before parsing")
                links.extend(html_links)
                # Plain URLs written as text inside HTML are links to a reader too.
                html_urls = {h.url for h in html_links[:200]}
                links.extend(l for l in links_from_text(visible, "html-text") if l.url not in html_urls)
                text = visible
            else:
                text = _unescape_entities(text)
                links.extend(links_from_text(text, "text"))
            if returned:
                facts.returned_message = True
            else:
                _add_text(facts, texts, text, limits)
            continue
        if ctype.startswith("multipart/"):
            continue
        att = Attachment(filename=filename, declared_type=ctype, size=len(data), sniffed_type=sniff_type(data, filename))
        if att.sniffed_type == "text/html" or ctype == "text/html":
            html, _, _ = decode_bytes(data[:2_000_000], part.get_content_charset())
            _, att_links, counts = html_text_and_links(html)
            att.has_form = counts["forms"] > 0 or counts["password_inputs"] > 0
            att.has_script = counts["scripts"] > 0
            for link in att_links:
                link.source = "attachment"
            links.extend(att_links)
        elif att.sniffed_type == "application/pdf":
            links.extend(link for link in (make_link(uri, "", "attachment") for uri in pdf_uris(data)) if link)
        facts.attachments.append(att)
    if len(links) > MAX_LINKS:
        facts.limits_hit.append(f"more than {MAX_LINKS} links; the rest ignored")
        links = links[:MAX_LINKS]
    facts.links = links
    facts.text = "\n".join(texts)


def _headers(msg: Message, facts: Facts, limits: Limits) -> None:
    items = list(msg.raw_items())
    if len(items) > limits.max_headers:
        facts.limits_hit.append(f"more than {limits.max_headers} header fields; the rest ignored")
        items = items[: limits.max_headers]
    # decode_header_value keeps the first MAX_HEADER_CHARS of a value; say so when that bites.
    if any(len(str(value)) > MAX_HEADER_CHARS for _, value in items):
        facts.limits_hit.append(f"header field longer than {MAX_HEADER_CHARS} characters cut")
    names = [str(name).lower() for name, _ in items]   # lowered once, for auth_results too
    get_all: dict[str, list[str]] = {}
    for name, (_, value) in zip(names, items):
        get_all.setdefault(name, []).append(value)

    def one(name: str) -> str:
        values = get_all.get(name)
        return decode_header_value(values[0]) if values else ""

    def raw(name: str) -> str:
        # Address headers go to parse_addresses undecoded: it decodes display names only.
        values = get_all.get(name)
        return str(values[0]) if values else ""

    s = facts.sender
    from_values = get_all.get("from", [])
    from_found = parse_addresses(raw("from"))   # parsed once: the first address and the count
    s.from_ = from_found[0] if from_found else first_address(raw("from"))
    s.from_count = len(from_found) + max(0, len(from_values) - 1)
    if get_all.get("sender"):
        s.sender = first_address(raw("sender"))
    s.reply_to = parse_addresses(raw("reply-to"))[:20]
    if get_all.get("return-path"):
        s.return_path = first_address(raw("return-path"))
    s.message_id = one("message-id")[:300]
    mid = s.message_id.strip("<> ")
    s.message_id_domain = mid.rsplit("@", 1)[1].strip("<> ").lower()[:255] if "@" in mid else ""
    s.x_mailer = (one("x-mailer") or one("user-agent"))[:200]
    s.to = parse_addresses(raw("to"))[:50]
    s.subject = one("subject")[:1000]
    s.date = one("date")[:100]
    for name in ("delivered-to", "x-original-to", "envelope-to"):
        for value in get_all.get(name, [])[:10]:
            for addr in parse_addresses(str(value)):
                if addr.address and addr.address not in facts.recipients:
                    facts.recipients.append(addr.address)
    for addr in s.to:
        if addr.address and addr.address not in facts.recipients:
            facts.recipients.append(addr.address)

    received = get_all.get("received", [])
    if len(received) > limits.max_hops:
        facts.limits_hit.append(f"more than {limits.max_hops} Received lines; older ones ignored")
        received = received[: limits.max_hops]
    facts.hops = [parse_received(decode_header_value(v), i) for i, v in enumerate(received)]
    if any(len(h.raw) >= MAX_RECEIVED_CHARS for h in facts.hops):   # parse_received keeps the start only
        facts.limits_hit.append(f"Received line longer than {MAX_RECEIVED_CHARS} characters cut")
    set_delays(facts.hops)
    facts.boundary_index = find_boundary(facts.hops)
    facts.origin_index = facts.boundary_index
    # With no external hop (a mail between two tenants of one provider), results added above
    # the provider's own run of Received lines were still written by the provider.
    trust_index = facts.boundary_index if facts.boundary_index is not None else provider_chain_end(facts.hops)
    facts.auth = auth_results(items, trust_index, names)
    for value in get_all.get("dkim-signature", [])[:20]:
        facts.dkim_signatures.append(_tag_list(decode_header_value(value)))


_WS_RUN = re.compile(r"\s+")


def _tag_list(value: str) -> dict[str, str]:
    tags = {}
    for item in value.split(";")[:40]:
        key, sep, val = item.partition("=")
        if sep and key.strip() in ("d", "s", "a", "i", "l", "x", "t", "c"):
            tags[key.strip()] = _WS_RUN.sub("", val)[:255]
    return tags


def _parse_bytes(data: bytes) -> Message:
    """What email.message_from_bytes(data, policy=compat32) returns, ~4% sooner: that reads
    its input 8 KB at a time; the feed parser builds the same tree from any chunking, and
    64 KB feeds keep its line buffer small on huge mails."""
    parser = email.parser.BytesFeedParser(policy=email.policy.compat32)
    for start in range(0, len(data), _FEED_BYTES):
        parser.feed(data[start:start + _FEED_BYTES])
    return parser.close()


_FEED_BYTES = 65536


def parse_mail(raw: bytes, limits: Limits = Limits()) -> Facts:
    facts = Facts(raw_size=len(raw))
    data = normalise_newlines(strip_mozilla_lines(raw))
    if len(data) > limits.max_bytes:
        facts.limits_hit.append(f"message larger than {limits.max_bytes} bytes; the rest not parsed")
        data = data[: limits.max_bytes]
    if b"\x00" in data[:65536]:
        facts.problems.append("NUL bytes in the message")
    try:
        msg = _parse_bytes(data)
    except RecursionError:
        # The stdlib parser recurses once per multipart level (~900 levels crash it):
        # keep the headers, which carry sender, route and auth, and say the body was lost.
        facts.limits_hit.append("MIME nesting too deep for the parser; body not analysed")
        try:
            msg = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(data)
        except Exception as exc:
            facts.problems.append(f"message could not be parsed ({type(exc).__name__})")
            return facts
        _headers(msg, facts, limits)
        return facts
    except Exception as exc:  # the stdlib parser is lenient, but be sure
        facts.problems.append(f"message could not be parsed ({type(exc).__name__})")
        return facts
    for defect in (msg.defects or [])[:5]:
        facts.problems.append(f"MIME defect: {type(defect).__name__}")
    for step in (_headers, _body):
        try:
            step(msg, facts, limits)
        except Exception as exc:  # keep what was gathered; the rest becomes a fact
            facts.problems.append(f"{step.__name__.strip('_')} could not be fully read ({type(exc).__name__})")
    return facts
