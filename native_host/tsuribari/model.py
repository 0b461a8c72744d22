"""The facts a mail yields and the findings checks draw from them.

Everything here is plain data: the parser fills Facts, intel adds Intel,
checks read both and return Findings. `to_json()` turns any of them into
the JSON contract documented in the README.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Address:
    display: str = ""
    address: str = ""
    domain: str = ""          # lower-case, IDNA-decoded where possible
    registrable: str = ""     # registrable domain via the Public Suffix List


@dataclass
class Sender:
    from_: Address = field(default_factory=Address)
    sender: Address | None = None
    reply_to: list[Address] = field(default_factory=list)
    return_path: Address | None = None
    message_id: str = ""
    message_id_domain: str = ""
    x_mailer: str = ""
    to: list[Address] = field(default_factory=list)
    subject: str = ""
    date: str = ""
    from_count: int = 1       # RFC 5322 allows one From mailbox; more is a trick


@dataclass
class Hop:
    index: int = 0            # 0 = newest (top) Received line
    raw: str = ""
    helo: str = ""
    rdns: str = ""
    ip: str = ""
    by: str = ""
    by_ip: str = ""           # the receiving host's own address, when the MTA writes it
    protocol: str = ""
    id: str = ""
    timestamp: str = ""       # ISO 8601 UTC, empty when unparseable
    delay_s: float | None = None   # seconds between this hop and the next (newer) one
    internal: bool = False    # loopback/private or inside the recipient's provider
    asn: int | None = None
    org: str = ""
    country: str = ""
    city: str = ""
    hosting: str = ""         # "cloud:<provider>", "residential", ... when known


@dataclass
class AuthResult:
    method: str = ""          # spf, dkim, dmarc, arc
    result: str = ""          # pass, fail, softfail, neutral, none, temperror, permerror
    domain: str = ""          # smtp.mailfrom / header.d / header.from
    source: str = ""          # "Authentication-Results@<authserv-id>", "Received-SPF", "computed"
    trusted: bool = False     # added at the recipient's boundary
    detail: str = ""
    ip: str = ""              # the client address an SPF result was computed for, when written


@dataclass
class Link:
    url: str = ""
    text: str = ""            # visible text of an <a>, empty for plain-text links
    host: str = ""            # as written (may be punycode or IP literal)
    host_unicode: str = ""
    registrable: str = ""
    scheme: str = ""
    path: str = ""
    query: str = ""
    source: str = ""          # "text", "html-a", "html-form", "html-img", "attachment"
    is_ip: bool = False


@dataclass
class Attachment:
    filename: str = ""
    declared_type: str = ""
    sniffed_type: str = ""
    size: int = 0
    has_form: bool = False
    has_script: bool = False


@dataclass
class Facts:
    sender: Sender = field(default_factory=Sender)
    hops: list[Hop] = field(default_factory=list)
    boundary_index: int | None = None   # hop where the mail entered the recipient's provider
    origin_index: int | None = None     # first external hop (the one before the boundary)
    auth: list[AuthResult] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    text: str = ""                      # decoded text of the body (plain + HTML-as-text), bounded
    html_present: bool = False
    recipients: list[str] = field(default_factory=list)  # addresses the mail was delivered to
    limits_hit: list[str] = field(default_factory=list)  # what the parser cut, as facts
    problems: list[str] = field(default_factory=list)    # undecodable parts, broken headers
    dkim_signatures: list[dict[str, str]] = field(default_factory=list)  # tags of each signature
    raw_size: int = 0
    # A delivery/feedback report's returned message: its words are someone else's, so they are set
    # aside (not read by the wording and brand checks); its links are still checked.
    returned_message: bool = False

    @property
    def origin(self) -> Hop | None:
        if self.origin_index is None or not (0 <= self.origin_index < len(self.hops)):
            return None
        return self.hops[self.origin_index]


@dataclass
class Finding:
    id: str                   # stable, e.g. "brand.sender_mismatch"
    weight: float             # contribution to the score; from data/weights.json
    title: dict[str, str]     # {"ja": ..., "en": ...}
    explanation: dict[str, str]
    evidence: dict[str, Any] = field(default_factory=dict)
    category: str = ""        # sender, route, auth, link, wording, attachment, intel


@dataclass
class Lookup:
    kind: str                 # dns, rdap, safebrowsing, ...
    target: str
    status: str               # ok, nxdomain, timeout, error, skipped, cached
    ms: float = 0.0
    detail: str = ""


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[tuple[str, str], ...] | None] = {}
# Per dataclass whose fields are all declared scalars and none renamed: the field names in order.
_SCALAR_TYPES = frozenset({"str", "int", "float", "bool", "int | None", "float | None", "str | None"})
_PLAIN_KEYS: dict[type, tuple[str, ...] | None] = {}


def to_json(obj: Any) -> Any:
    """Dataclasses to JSON-ready dicts; `from_` is spelled `from` outside."""
    cls = type(obj)
    if cls in _SCALARS:
        return obj
    try:
        names = _FIELD_NAMES[cls]
    except KeyError:   # once per class: its fields (or None when it is no dataclass instance)
        names = plain = None
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            fields = dataclasses.fields(obj)
            names = tuple(("from" if f.name == "from_" else f.name, f.name) for f in fields)
            if all(f.name != "from_" and str(f.type) in _SCALAR_TYPES for f in fields):
                plain = tuple(f.name for f in fields)
        _FIELD_NAMES[cls] = names
        _PLAIN_KEYS[cls] = plain
    # Scalars are most values: taken as they are here, without a call each.
    if names is not None:
        # A link, hop or address holds scalars only: its __dict__, when it has exactly the fields
        # in their order (dataclass __init__ sets them so), is the answer, copied in C.
        keys = _PLAIN_KEYS[cls]
        values = getattr(obj, "__dict__", None)
        if keys is not None and values is not None and tuple(values) == keys \
                and _SCALARS.issuperset(map(type, values.values())):
            return values.copy()
        return {key: v if type(v) in _SCALARS else to_json(v)
                for key, name in names for v in (getattr(obj, name),)}
    if isinstance(obj, dict):
        return {str(k): v if type(v) in _SCALARS else to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [v if type(v) in _SCALARS else to_json(v) for v in obj]
    return obj
