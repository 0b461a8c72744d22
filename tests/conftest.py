"""Shared test helpers: paths, the seed sample, and the corpora when present."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from servers.fixtures import dns_env, dns_nameservers, dns_slow  # noqa: F401  (real DNS server on loopback)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MAIL = FIXTURES / "mail"
SHARED = ROOT.parent / "shared"
SEED = MAIL / "kagoya-active-mail.eml"


@pytest.fixture
def offline_config():
    from tsuribari.config import load
    return load(None, {"network": {"enabled": False}})


@pytest.fixture
def analyze_offline(offline_config):
    from tsuribari.analyze import Analyzer
    analyzer = Analyzer(offline_config)
    return analyzer.analyze


def mail_bytes(name: str) -> bytes:
    return (MAIL / name).read_bytes()
