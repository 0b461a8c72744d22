"""Calibration: the fit keeps its constraints, folds never split a campaign, and
`make calibrate` regenerates data/weights.json byte for byte (when the corpora are here)."""
from __future__ import annotations

import os
from importlib import resources
from types import SimpleNamespace

import pytest

from tsuribari import calibrate
from tsuribari.corpus import Labelled, Outcome, parse_notes, subject_key
from tsuribari.evaluate import default_dirs, summarise
from tsuribari.logistic import Row, fit


def _outcome(name: str, label: str, ids: list[str], subject: str = "", sender: str = "", stratum: str = "s") -> Outcome:
    item = Labelled(path=name, corpus="c", filename=name, label=label, stratum=stratum, lang="en")
    return Outcome(item=item, score=0, verdict="safe", findings=[(i, 1.0) for i in ids], subject=subject, sender=sender)


def test_fit_respects_bounds_and_is_deterministic():
    # feature 0 fires on phish, feature 1 (a "legitimacy" feature) also mostly on phish: it must stay ≤ 0
    rows = [Row((0,), 1, 1.0)] * 30 + [Row((0, 1), 1, 1.0)] * 20 + [Row((1,), 0, 1.0)] * 5 + [Row((), 0, 1.0)] * 45
    args = (rows, 2, [1.0, -2.0], 1.0, [0.0, -8.0], [8.0, -0.5])
    a, b = fit(*args), fit(*args)
    assert a == b
    assert a.weights[0] > 1.0
    assert a.weights[1] <= -0.5


def test_folds_keep_campaigns_together():
    outs = [_outcome(f"p{i}", "phish", ["x"], subject=f"Your account {i} is locked") for i in range(12)]
    outs += [_outcome(f"h{i}", "ham", [], subject=f"weekly digest {chr(97 + i) * 8}", sender=f"s{i}.example")
             for i in range(12)]
    folds = calibrate.assign_folds(outs, k=5)
    assert len({folds[i] for i in range(12)}) == 1          # one campaign (same subject pattern), one fold
    assert len({folds[i] for i in range(12, 24)}) == 5      # twelve unrelated ham spread over all folds


def test_thresholds_prefer_fewer_false_alarms():
    phish = [90] * 95 + [30] * 5
    ham = [10] * 98 + [35, 35]
    # flagging the two ham at 35 would buy five phish at 30: not worth it at cost 5 per ham (rates: 2% vs 5%)
    assert calibrate._best_threshold(phish, ham, 5.0, 5) > 35


def test_notes_and_subject_keys():
    assert parse_notes("stratum=nazario;lang=ja;x") == {"stratum": "nazario", "lang": "ja"}
    assert subject_key("Re: Order #12345 shipped") == subject_key("Order #999 shipped")


def test_summary_counts_flags():
    outs = [_outcome("a", "phish", []), _outcome("b", "ham", [])]
    outs[0].verdict, outs[0].score = "phishing", 95
    s = summarise(outs)
    assert s["phish_flagged"] == 1.0 and s["ham_flagged"] == 0.0


def _corpora_ready() -> bool:
    from tsuribari.intel.geo import default_geoip_dir
    return all(os.path.isfile(os.path.join(d, "labels.csv")) for d in default_dirs()) and \
        (default_geoip_dir() / "asn.ranges").exists()


@pytest.mark.timeout(600)
@pytest.mark.skipif(not _corpora_ready(), reason="../shared/corpora or the IP database (make geoip) absent")
def test_weights_file_regenerates_byte_for_byte(tmp_path, capsys):
    out = tmp_path / "weights.json"
    assert calibrate.main(SimpleNamespace(dirs=default_dirs(), out=str(out))) == 0
    committed = resources.files("tsuribari").joinpath("data", "weights.json").read_bytes()
    assert out.read_bytes() == committed, "data/weights.json is stale: run `make calibrate` and commit it"


def test_only_sender_and_route_contradictions_become_decisive():
    phish = [_outcome(f"p{i}", "phish", ["brand.display_name_mismatch", "wording.payment_problem", "auth.header_spf_fail"])
             for i in range(25)]
    ham = [_outcome(f"h{i}", "ham", ["link.unrelated_domains"]) for i in range(30)]
    assert calibrate.decisive_findings(phish + ham) == {"brand.display_name_mismatch"}
    # One ham with the finding, and it is no longer spotless.
    ham.append(_outcome("h-brand", "ham", ["brand.display_name_mismatch"]))
    assert calibrate.decisive_findings(phish + ham) == frozenset()
