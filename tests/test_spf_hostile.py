"""Hostile SPF records and macro strings: the evaluator answers with a result
code, never an exception, and in time linear in the record's length."""
from __future__ import annotations

import asyncio
import time

from hypothesis import given, settings, strategies as st

from servers.zone_resolver import ZoneResolver
from tsuribari.intel import spf_macro
from tsuribari.intel.spf import check_spf
from tsuribari.intel.spf_record import SpfSyntaxError, parse

RESULTS = {"pass", "fail", "softfail", "neutral", "none", "temperror", "permerror"}
TERMS = st.sampled_from(["a", "mx", "ptr", "all", "-all", "~all", "include:%{d}.x.example", "exists:%{i}.%{l}.e.example",
                         "a:%{ir}.%{v}._spf.%{d2}", "redirect=%{o}", "exp=%{h}", "ip4:1.2.3.0/24", "ip6:::1/0",
                         "a//0", "mx/33", "%{", "%%", "%_", "=x", "x=%{z}", "a:" + "b" * 80 + ".example"])


@settings(max_examples=300, deadline=None)
@given(st.lists(TERMS | st.text(min_size=0, max_size=30), max_size=25))
def test_random_records_always_give_a_result_code(terms):
    record = "v=spf1 " + " ".join(terms)
    zone = {"example.com": [{"TXT": record}], "x.example.com": [{"TXT": record}]}
    res = asyncio.run(check_spf("192.0.2.1", "example.com", "helo.example.com", ZoneResolver(zone),
                                sender="user+tag@example.com"))
    assert res.result in RESULTS
    assert res.dns_lookups <= 11 and res.void_lookups <= 3


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_macro_expansion_only_raises_macro_error(text):
    ctx = spf_macro.MacroContext(sender="a@b.example", local="a", sender_domain="b.example",
                                 domain="b.example", ip=__import__("ipaddress").ip_address("192.0.2.1"),
                                 helo="h.example")
    for exp in (False, True):
        try:
            spf_macro.expand(text, ctx, exp=exp)
        except spf_macro.MacroError:
            pass
    spf_macro.valid_domain_spec(text)


def test_huge_records_are_linear():
    for n in (1_000, 4_000):
        record = "v=spf1 " + " ".join(["ip4:1.2.3.4"] * 100) + " " + "%" * n
        t0 = time.perf_counter()
        try:
            parse(record)
        except SpfSyntaxError:
            pass
        assert time.perf_counter() - t0 < 0.2
    long_name = "a:" + "%{d}." * 2000 + "example.com"
    t0 = time.perf_counter()
    try:
        parse("v=spf1 " + long_name)
    except SpfSyntaxError:
        pass
    assert time.perf_counter() - t0 < 0.5


def test_expansion_output_is_bounded():
    # %{d} repeated: the query name is cut from the left to 253 characters (RFC 7208 §7.3)
    ctx = spf_macro.MacroContext(sender="a@b.example", local="a", sender_domain="b.example", domain="b" * 60 + ".example",
                                 ip=__import__("ipaddress").ip_address("192.0.2.1"), helo="h")
    name = spf_macro.expand_domain("%{d}." * 50 + "example.com", ctx)
    assert len(name) <= 253 and name.endswith("example.com") and not name.startswith(".")
    t0 = time.perf_counter()
    try:
        spf_macro.expand_domain("%{d}." * 1600 + "example.com", ctx)
    except spf_macro.MacroError:
        pass
    assert time.perf_counter() - t0 < 0.1
