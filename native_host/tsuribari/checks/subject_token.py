"""A subject carrying a string no person would type: `Resgate Pendente-KyUc64SxDq`.

Bulk senders append a machine-made token (upper case, lower case and digits in alternation) to
every copy of a campaign, so that no two copies are alike and filters that count duplicate
subjects or hash them never see the same mail twice. People's subjects, shops' order numbers
(`#5746259`) and product names (`iPhone15Pro`, `MacBookPro16`) do not look like that: a product
name is a few capitalised words and a number, a reference number is digits or one case. The
token must switch between upper case, lower case and digits at least seven times.
"""
from __future__ import annotations

import re

from ..model import Finding
from .context import Context

_TOKEN = re.compile(r"[A-Za-z0-9]{8,64}")
_RUN = re.compile(r"[a-z]+|[A-Z]+|[0-9]+")
MIN_RUNS = 8


def _machine_made(token: str) -> bool:
    if token.isalpha() or token.isdigit() or token.islower() or token.isupper():
        return False
    return len(_RUN.findall(token)) >= MIN_RUNS


def random_subject_token(ctx: Context) -> list[Finding]:
    subject = ctx.facts.sender.subject[:500]
    for m in _TOKEN.finditer(subject):
        token = m.group(0)
        if _machine_made(token) and any(c.isdigit() for c in token):
            return [ctx.make("text.subject_random_token", {"token": token, "subject": subject[:200]}, token=token)]
    return []


CHECKS = (random_subject_token,)
