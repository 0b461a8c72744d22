"""What counts as a failure on hostile input, shared by the tests and the fuzz target.

The analysis never raises: the parser and run_checks catch exceptions so one
bad part or check does not cost the verdict, and turn them into
`facts.problems`. For the user that is right; for testing it would hide every
bug (a NUL in a charset label once silently dropped the whole body). So these
caught-exception problems are failures here.
"""
from __future__ import annotations

import json
import re

CAUGHT_EXCEPTION = re.compile(r"could not be (?:fully read|parsed) \(|^check \S+ failed:|lookup failed \(|^undecodable part \(")
VERDICTS = ("safe", "suspicious", "phishing")


def caught_exceptions(result: dict) -> list[str]:
    return [p for p in result.get("facts", {}).get("problems", []) if CAUGHT_EXCEPTION.search(p)]


def check_result(result: dict) -> None:
    """Raise AssertionError unless `result` is a valid, strict-JSON analysis with no caught exception."""
    assert result["verdict"] in VERDICTS, result["verdict"]
    assert 0 <= result["score"] <= 100, result["score"]
    assert set(result["summary"]) >= {"ja", "en"} and all(isinstance(v, str) for v in result["summary"].values())
    for f in result["findings"]:
        assert f["id"] and f["title"]["ja"] and f["title"]["en"], f
    text = json.dumps(result, ensure_ascii=False, allow_nan=False)   # NaN/inf would break the add-on's JSON.parse
    assert json.loads(text)["verdict"] == result["verdict"]
    caught = caught_exceptions(result)
    assert not caught, f"an exception was caught inside the analysis: {caught}"
