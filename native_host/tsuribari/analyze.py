"""The pipeline: parse → facts → (intel) → checks → verdict → result dict (the JSON contract)."""
from __future__ import annotations

import time
from typing import Any

from .checks import run_checks
from .checks.context import build_context
from .checks.route import cloud_provider
from .config import Config
from .findings import Catalog, default_catalog
from .knowledge import Knowledge, default_knowledge
from .model import Facts, Finding, to_json
from .parse.domains import parse_ip, is_public_ip
from .parse.message import parse_mail
from .render.summary import summarise
from .verdict import Scale, dedupe, default_scale, level, score


class Analyzer:
    """Holds what is expensive to load (knowledge, texts, databases) across many mails."""

    def __init__(self, config: Config, knowledge: Knowledge | None = None, catalog: Catalog | None = None,
                 scale: Scale | None = None):
        self.config = config
        self.kb = knowledge or default_knowledge()
        self.catalog = catalog or default_catalog()
        self.scale = scale or default_scale()
        self._geo = None
        self._geo_memo: dict[str, tuple] = {}   # hop IP → (asn, org, country, city); relays recur

    def with_config(self, config: Config) -> "Analyzer":
        """Same loaded knowledge and databases, other settings (per-request options)."""
        other = Analyzer(config, self.kb, self.catalog, self.scale)
        other._geo = self._geo
        other._geo_memo = self._geo_memo
        return other

    @property
    def geo(self):
        if self._geo is None:
            from .intel.geo import GeoDB
            self._geo = GeoDB.from_config(self.config)
        return self._geo

    def _enrich_hops(self, facts: Facts, ctx) -> None:
        """Local database facts for each public hop IP: owner, AS number, country, hosting type."""
        for hop in facts.hops[:60]:
            ip = parse_ip(hop.ip)
            if not is_public_ip(ip):
                continue
            known = self._geo_memo.get(hop.ip)
            if known is None:
                try:
                    info = self.geo.lookup(hop.ip)
                except Exception as exc:   # a broken database must not cost the verdict
                    facts.problems.append(f"IP database lookup failed ({type(exc).__name__})")
                    return
                if len(self._geo_memo) >= 50_000:
                    self._geo_memo.clear()
                known = self._geo_memo[hop.ip] = (info.asn, info.org, info.country, info.city)
            hop.asn, hop.org, hop.country, hop.city = known
            provider = cloud_provider(ctx, hop)
            if provider:
                hop.hosting = f"cloud:{provider}"
        # A configured database that is missing or corrupt must be said, not just leave owners blank.
        if self._geo is not None:
            facts.problems.extend(p for p in self._geo.problems[:5] if p not in facts.problems)

    def _intel(self, facts: Facts, raw: bytes) -> tuple[list[Finding], list[dict[str, Any]], dict[str, Any]]:
        if self.config.offline:
            return [], [], {}
        from .intel.gather import run_intel
        from .intel.findings import intel_findings
        intel = run_intel(facts, raw, self.config)
        facts.problems.extend(p for p in intel.problems[:20] if p not in facts.problems)
        return intel_findings(facts, intel), to_json(intel.lookups), to_json(intel)

    def analyze(self, raw: bytes, markdown_lang: str | None = None) -> dict[str, Any]:
        started = time.perf_counter()
        facts = parse_mail(raw)
        trusted = frozenset(d.lower() for d in self.config.analysis.trusted_domains)
        ctx = build_context(facts, self.kb, self.catalog, trusted)
        self._enrich_hops(facts, ctx)
        findings = run_checks(ctx)
        lookups: list[dict[str, Any]] = []
        intel_json: dict[str, Any] = {}
        try:
            extra, lookups, intel_json = self._intel(facts, raw)
            findings.extend(extra)
        except Exception as exc:   # the network layer failing leaves the offline verdict
            facts.problems.append(f"network analysis failed ({type(exc).__name__}: {str(exc)[:200]})")
        findings = dedupe(findings)
        value = score(findings, self.scale)
        verdict = level(value, self.scale, self.config.analysis.suspicious_threshold,
                        self.config.analysis.phishing_threshold, findings)
        facts_json = to_json(facts)
        facts_json.pop("text", None)
        result: dict[str, Any] = {
            "verdict": verdict,
            "score": value,
            "summary": summarise(facts, findings, verdict),
            "findings": to_json(findings),
            "facts": facts_json,
            "intel": intel_json,
            "lookups": lookups,
            "config_problems": list(self.config.problems),
            "elapsed_ms": 0.0,
        }
        if markdown_lang:
            from .render.markdown import render_markdown
            result["markdown"] = render_markdown(result, markdown_lang)
        result["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return result
