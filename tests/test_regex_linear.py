"""Issue 6.3: every regular expression Tsuribari applies to mail text runs in linear time.

The patterns are collected, not listed by hand: module-level compiled patterns
of every tsuribari module, inline `re.search(r"...")`-style calls found in the
source, and the wording templates built from the phrase data. A new dynamic
regex fails `test_every_regex_call_site_is_audited` until it is added here.

For each pattern the adversarial inputs are long runs of the characters it
(almost) matches — its literals, the ends of its character ranges, pairs of
them — plus the classic traps (`a.a.a.…`, `((((`, `=?=?`). The worst input at
n is re-run at 4n: linear work grows ~4×, quadratic 16×.
"""
from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
from pathlib import Path

import pytest

import tsuribari

PKG = Path(tsuribari.__file__).resolve().parent
CALLS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
FLAG_POS = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "findall": 2, "finditer": 2, "split": 3, "sub": 4, "subn": 4}
DYNAMIC_OK = {"checks/wording.py"}      # _template(): audited below through the phrase data
TRAPS = ["a.", "a-", "1.", "a.1", "-.", "@a", "a@", "((", "([", "[1", "1:", ":1", "::", "=?", "?=", "\\\"", "<a",
         "http://", "www.", "xn--", "0x", ". ", "a ", " (", "helo=", "from ", "; ", "\u3002", "ア", "\u200b", "%2"]
N, FACTOR = 4000, 4


def _patterns() -> list[tuple[str, re.Pattern]]:
    found: dict[tuple, tuple[str, re.Pattern]] = {}
    for info in pkgutil.walk_packages(tsuribari.__path__, "tsuribari."):
        if info.name.endswith("__main__"):    # importing it would run the CLI
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception:      # a module that cannot import is still audited from its source below
            continue
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[(value.pattern, value.flags)] = (f"{info.name}.{name}", value)
    for path, call, pattern in _source_calls()[0]:
        found.setdefault((pattern.pattern, pattern.flags), (f"{path}:{call}", pattern))
    from tsuribari.checks.wording import _template
    from tsuribari.knowledge import default_knowledge
    for group, entry in default_knowledge().wording.items():
        for phrase in [p for lang in entry.values() for p in lang if "{n}" in p]:
            found.setdefault((phrase, 0), (f"wording:{group}:{phrase}", _template(phrase)))
    return sorted(found.values(), key=lambda item: item[0])


def _source_calls():
    static, dynamic = [], []
    for file in sorted(PKG.rglob("*.py")):
        rel = file.relative_to(PKG).as_posix()
        tree = ast.parse(file.read_text(encoding="utf-8"))
        # Module-level `X = re.compile(f"...")` is audited through the module's attributes.
        top_level = {id(n.value) for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign))}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in CALLS and node.args):
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, (str, bytes))):
                if id(node) not in top_level:
                    dynamic.append(f"{rel}:{node.lineno}")
                continue
            flags_node = next((k.value for k in node.keywords if k.arg == "flags"), None)
            pos = FLAG_POS[node.func.attr]
            if flags_node is None and len(node.args) > pos:
                flags_node = node.args[pos]
            flags = eval(compile(ast.Expression(flags_node), rel, "eval"), {"re": re}) if flags_node else 0
            static.append((rel, node.lineno, re.compile(first.value, flags)))
    return static, dynamic


def _alphabet(pattern: re.Pattern) -> list[str]:
    """Characters the pattern cares about: literals, ends of ranges, class representatives."""
    import re._parser as sre   # type: ignore[import-not-found]
    chars: set[str] = set()
    cats = {"CATEGORY_DIGIT": "7", "CATEGORY_SPACE": " ", "CATEGORY_WORD": "a", "CATEGORY_NOT_DIGIT": "x",
            "CATEGORY_NOT_SPACE": "x", "CATEGORY_NOT_WORD": "."}

    def walk(items):
        for op, av in items:
            name = str(op)
            if name in ("LITERAL", "NOT_LITERAL"):
                chars.add(chr(av))
            elif name == "IN":
                for sub_op, sub_av in av:
                    if str(sub_op) == "LITERAL":
                        chars.add(chr(sub_av))
                    elif str(sub_op) == "RANGE":
                        chars.update((chr(sub_av[0]), chr(sub_av[1])))
                    elif str(sub_op) == "CATEGORY":
                        chars.add(cats.get(str(sub_av), "a"))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                walk(av[2])
            elif name == "SUBPATTERN":
                walk(av[-1])
            elif name == "BRANCH":
                for branch in av[1]:
                    walk(branch)
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(av[1])
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    walk(sre.parse(source, pattern.flags & ~re.LOCALE))
    return sorted(chars)[:40]


def _inputs(pattern: re.Pattern, n: int) -> list[str]:
    alpha = _alphabet(pattern)
    units = TRAPS + alpha + [a + b for a in alpha[:14] for b in alpha[:14] if a != b]
    # Every literal run of the pattern repeated: "from x by " keeps re-entering a match.
    units += [m for m in re.findall(r"[A-Za-z0-9@.:/=?-]{2,12}", pattern.pattern if isinstance(pattern.pattern, str) else "")]
    return [(u * (n // len(u) + 1))[:n] for u in dict.fromkeys(units)]


def _run(pattern: re.Pattern, text: str) -> float:
    data = text if isinstance(pattern.pattern, str) else text.encode("utf-8", "surrogatepass")
    # CPU time of this thread: a run preempted by other work on the machine is not slower.
    started = time.thread_time()
    for _ in pattern.finditer(data):
        pass
    return time.thread_time() - started


def _best(pattern: re.Pattern, text: str, tries: int = 5) -> float:
    return min(_run(pattern, text) for _ in range(tries))


PATTERNS = _patterns()


def test_the_audit_finds_the_regexes():
    # Guard against the collector silently finding nothing (the grep count is ~40 today).
    assert len(PATTERNS) >= 30
    names = {name for name, _ in PATTERNS}
    for expected in ("tsuribari.parse.links._TEXT_URL", "tsuribari.parse.received._BRACKET_IP",
                     "tsuribari.checks.sender._DOMAIN_IN_NAME", "tsuribari.render.defang._HOSTNAME"):
        assert expected in names


def test_every_regex_call_site_is_audited():
    _, dynamic = _source_calls()
    unaudited = [site for site in dynamic if site.split(":")[0] not in DYNAMIC_OK]
    assert not unaudited, f"regexes built at run time are not audited: {unaudited}"


# method="thread": an exponential regex never returns to Python, so a signal could not stop it.
@pytest.mark.timeout(120, method="thread")
@pytest.mark.parametrize("name,pattern", PATTERNS, ids=[name for name, _ in PATTERNS])
def test_regex_is_linear_on_adversarial_input(name, pattern):
    # A quick screen of every shape at n/16 and n/4 first: a cubic pattern fails here
    # (64× per step) instead of running for minutes at 4n.
    for short, text in zip(_inputs(pattern, N // 16), _inputs(pattern, N // 4)):
        t_short, t_text = _run(pattern, short), _run(pattern, text)
        if t_text > 0.002:      # worth a closer look: re-time, best of 5, to rule out a preempted run
            t_short, t_text = _best(pattern, short), _best(pattern, text)
        assert t_text < 0.05, f"{name}: {t_text:.3f} s on {N // 4} chars of {text[:20]!r}"
        if t_text > 0.002:
            assert t_text / max(t_short, 1e-6) < FACTOR * 2, f"{name}: {t_short:.4f} s → {t_text:.4f} s for 4× {text[:20]!r}"
    timed = sorted(((_run(pattern, text), text) for text in _inputs(pattern, N)), key=lambda t: t[0])
    for _, text in timed[-3:]:           # the three slowest shapes, at n and 4n
        unit = text[:64]
        small = _best(pattern, text)
        big_text = (unit * (N * FACTOR // len(unit) + 1))[: N * FACTOR]
        big = _best(pattern, big_text, 3)
        assert big < 0.5, f"{name}: {big:.3f} s on {N * FACTOR} chars of {unit[:20]!r}"
        # Ratio only means something above timer noise; 4× input must not cost ~16×.
        if big > 0.005:
            assert big / max(small, 1e-6) < FACTOR * 2, f"{name}: {small:.4f} s → {big:.4f} s for 4× {unit[:20]!r}"
