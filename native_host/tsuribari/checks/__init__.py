"""All offline checks. Each is a pure function Context → list[Finding]."""
from __future__ import annotations

from ..model import Finding
from . import (attachments, auth, brand, brand_host, brand_unsigned, digest, from_form, links, obfuscation, route, scam,
               sender, sender_local, stuffing, subject_token, url_path, url_shape, wording)
from .context import Context

ALL_CHECKS = (brand.CHECKS + sender.CHECKS + route.CHECKS + auth.CHECKS + links.CHECKS + wording.CHECKS + attachments.CHECKS
              + url_shape.CHECKS + obfuscation.CHECKS + sender_local.CHECKS + scam.CHECKS + from_form.CHECKS
              + stuffing.CHECKS + brand_unsigned.CHECKS + subject_token.CHECKS + brand_host.CHECKS + url_path.CHECKS)


def run_checks(ctx: Context) -> list[Finding]:
    """Every check's findings; a check that fails on odd input is reported, not fatal."""
    out: list[Finding] = []
    for check in ALL_CHECKS:
        try:
            out.extend(check(ctx))
        except Exception as exc:  # one broken check must not cost the whole verdict
            ctx.facts.problems.append(f"check {check.__module__.rsplit('.', 1)[-1]}.{check.__name__} failed: {type(exc).__name__}")
    return digest.set_aside_in_digest(ctx, out)
