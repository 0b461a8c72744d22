"""What every check reads: the facts plus a few things derived from them once."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Catalog
from ..knowledge import Brand, Knowledge
from ..model import Facts, Finding
from ..parse.domains import registrable_domain, within
from ..parse.normalise import fold
from .brand_match import MAX_BODY_SCAN, BrandClaim, NameTable, brand_claims
from .substrings import JointSubstrings


SYSTEM_MAILBOXES = frozenset({"postmaster", "mailer-daemon", "hostmaster", "abuse"})


@dataclass
class Context:
    facts: Facts
    kb: Knowledge
    catalog: Catalog
    trusted_domains: frozenset[str] = frozenset()
    claims: list[BrandClaim] = field(default_factory=list)
    folded_text: str = ""     # subject + body, folded for phrase matching
    memo: dict = field(default_factory=dict)    # what several checks derive from one text, once

    @property
    def sender_domain(self) -> str:
        return self.facts.sender.from_.domain

    @property
    def sender_registrable(self) -> str:
        return self.facts.sender.from_.registrable or self.facts.sender.from_.domain

    def claimed_brands(self, where: tuple[str, ...] | None = None) -> list[Brand]:
        seen: dict[str, Brand] = {}
        for claim in self.claims:
            if where is None or claim.where in where:
                seen.setdefault(claim.brand.id, claim.brand)
        return list(seen.values())

    def sender_is_brand(self, brand: Brand) -> bool:
        """The From domain is the brand's own (or its group's): mail services (e.g. Amazon SES)
        and free mailboxes (carrier mail a brand also runs) send for anyone, so they are no proof."""
        reg = self.sender_registrable
        if not reg or reg in self.kb.shared_tenant:
            return False
        if reg in self.kb.freemail and not self._provider_system_address():
            return False
        if brand.generic:
            # Webmail software: only the recipient's own provider may speak as it.
            return any(reg == registrable_domain(r.rsplit("@", 1)[-1]) for r in self.facts.recipients)
        return within(self.sender_domain, self.kb.group_official(brand))

    def _provider_system_address(self) -> bool:
        """postmaster@outlook.com, feedback@arf.mail.yahoo.com: a free-mail provider's own system
        mail. Users get mailboxes at the bare domain and can never register the RFC 2142 role
        names, so these addresses speak for the provider itself."""
        frm = self.facts.sender.from_
        local = frm.address.rsplit("@", 1)[0].lower()
        return local in SYSTEM_MAILBOXES or (bool(frm.domain) and frm.domain != self.sender_registrable)

    def make(self, finding_id: str, evidence: dict | None = None, **params) -> Finding:
        return self.catalog.make(finding_id, evidence, **params)


def build_context(facts: Facts, kb: Knowledge, catalog: Catalog, trusted: frozenset[str] = frozenset()) -> Context:
    ctx = Context(facts=facts, kb=kb, catalog=catalog, trusted_domains=trusted)
    s = facts.sender
    body = fold(facts.text[:MAX_BODY_SCAN])
    subject = fold(s.subject)
    ctx.folded_text = subject + "\n" + body
    body_hits = None
    # The brand names are looked for in body[:MAX_BODY_SCAN].lower(), the wording phrases in
    # folded_text, which ends with that very text when the casefolded body is its own lower case
    # (always so in ASCII): one pass then finds both (wording.phrases_in reads ctx.memo).
    if len(body) <= MAX_BODY_SCAN and (body.isascii() or body.lower() == body):
        ctx.memo[("phrases", ctx.folded_text)], body_hits = \
            kb.derived("context.body_scan", _body_scan).scan(ctx.folded_text, len(subject) + 1)
    # Case is kept where ambiguous short names ("au") must match exactly.
    ctx.claims = brand_claims(kb, fold(s.from_.display, casefold=False), fold(s.subject, casefold=False), body, body_hits)
    return ctx


def _body_scan(kb: Knowledge) -> JointSubstrings:
    from .wording import PhraseTable   # here: wording imports this module
    return JointSubstrings(kb.derived("wording.phrases", PhraseTable).substrings,
                           kb.derived("brand_match.names", NameTable).names)
