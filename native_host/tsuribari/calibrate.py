"""`tsuribari calibrate`: weights and thresholds fitted by a fixed, documented procedure (docs/eval.md).

1. Every labelled mail is analysed offline; its features are the finding ids that fire (0/1).
2. Weights: logistic regression (logistic.py) with classes weighted equally, an L2 penalty
   pulling each weight toward the analyst's default weight, evidence-of-legitimacy findings
   (negative default) kept ≤ a quarter of their default (they stay evidence: the corpora hold
   almost no real brand mail to measure them on) and phishing indicators kept ≥ 0. A finding that never fires
   keeps its default weight (it is left out of the file). λ is picked from a small grid by
   cross-validated log-loss.
3. Thresholds on the 0–100 score, set on the scores the training mails get from models that did
   not see them (3 inner campaign-aware folds: a model scores the ham it was fitted on too kindly).
   Each must meet its false-alarm target there — ham flagged ≤ 1 % for suspicious, ham at
   phishing ≤ 0.2 % for phishing (the fewest false alarms when none does) — and among those the
   suspicious threshold minimises miss rate + C_SUSPICIOUS · ham-flagged rate, the phishing one
   (phish not at phishing) rate + C_PHISHING · ham-at-phishing rate. A flagged legitimate mail
   costs several missed phish, because false alarms on real brands are worse: the costs are the
   exchange rates the targets imply, 3 % of phish may be missed for 1 % of ham flagged
   (C_SUSPICIOUS = 3), ham at phishing held five times tighter (C_PHISHING = 15).
4. Honest figures: the whole procedure (fit + thresholds) is repeated in K-fold
   cross-validation whose folds never split a campaign (mails sharing a subject pattern or a
   small sender domain stay together) and hold each stratum in equal shares.
Output: sorted keys, fixed rounding, so the same corpora give the same file byte for byte.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import sys
from dataclasses import dataclass

from .corpus import Outcome, analyse_all, subject_key
from .evaluate import collect, default_dirs
from .findings import default_catalog
from .logistic import Row, fit

K_FOLDS = 5
INNER_FOLDS = 3     # inside each training set, for the thresholds
LAMBDAS = (0.5, 1.0, 2.0, 4.0, 8.0)
C_SUSPICIOUS = 3.0
C_PHISHING = 15.0
TARGET_HAM_FLAGGED = 0.01     # issue 5 targets, held on held-out scores of the training mails
TARGET_HAM_PHISHING = 0.002
MAX_WEIGHT = 8.0
LEGIT_KEEP = 0.25
DECISIVE_MIN_PHISH = 20   # a finding seen on this many training phish and on no training ham
DECISIVE_CATEGORIES = frozenset({"sender", "route"})
BIG_SENDER = 30        # a sender domain with more mails than this is a list or relay, not one campaign
DIGITS = 3


@dataclass(frozen=True)
class Model:
    intercept: float
    weights: dict[str, float]
    suspicious: int
    phishing: int
    decisive: frozenset[str] = frozenset()


def model_score(model: Model, ids: list[str]) -> int:
    """As verdict.score: 100 · sigmoid(intercept + Σ weights), clamped and rounded."""
    z = model.intercept + sum(model.weights.get(fid, 0.0) for fid in set(ids))
    z = max(-50.0, min(50.0, z))
    return int(round(100.0 / (1.0 + math.exp(-z))))


def level(model: Model, value: int, ids: list[str] | tuple[str, ...] = ()) -> str:
    if value >= model.phishing:
        return "phishing"
    if value >= model.suspicious or model.decisive.intersection(ids):
        return "suspicious"
    return "safe"


def decisive_findings(train: list[Outcome]) -> frozenset[str]:
    """Findings that alone warrant a warning: frequent on the training phish, never on its ham.

    The logistic fit shrinks every weight toward its default, so a finding with a perfect record
    can still sit below the threshold; a user must be warned of it all the same (verdict.py).
    Only contradictions of who sent the mail and how it travelled qualify (DECISIVE_CATEGORIES):
    words, links and authentication results also occur in legitimate mail (invoices speak of
    payment, forwarders break SPF), so a spotless record on the training ham says less for them.
    """
    entries = default_catalog().entries
    phish: dict[str, int] = {}
    ham: set[str] = set()
    for o in train:
        if o.item.label == "phish":
            for fid in set(o.ids):
                phish[fid] = phish.get(fid, 0) + 1
        else:
            ham.update(o.ids)
    return frozenset(fid for fid, n in phish.items() if n >= DECISIVE_MIN_PHISH and fid not in ham
                     and entries.get(fid, {}).get("category") in DECISIVE_CATEGORIES)


# ---- campaign-aware folds --------------------------------------------------------------------

def campaign_groups(outcomes: list[Outcome]) -> list[int]:
    """Group number per outcome: union of mails sharing (label, subject pattern) or (label, small sender)."""
    parent = list(range(len(outcomes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sender_count: dict[tuple[str, str], int] = {}
    for o in outcomes:
        sender_count[(o.item.label, o.sender)] = sender_count.get((o.item.label, o.sender), 0) + 1
    first: dict[tuple, int] = {}
    for i, o in enumerate(outcomes):
        keys = []
        subj = subject_key(o.subject)
        if len(subj) >= 6:
            keys.append(("s", o.item.label, subj))
        if o.sender and sender_count[(o.item.label, o.sender)] <= BIG_SENDER:
            keys.append(("d", o.item.label, o.sender))
        for key in keys:
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    return [find(i) for i in range(len(outcomes))]


def assign_folds(outcomes: list[Outcome], k: int = K_FOLDS) -> list[int]:
    """Fold per outcome: whole campaigns, each stratum spread evenly, deterministic order."""
    groups = campaign_groups(outcomes)
    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)

    def stable(idx: list[int]) -> str:
        return hashlib.sha1(outcomes[idx[0]].item.filename.encode()).hexdigest()

    ordered = sorted(members.values(), key=lambda idx: (-len(idx), stable(idx)))
    load: dict[tuple[str, int], int] = {}
    fold_of = [0] * len(outcomes)
    for idx in ordered:
        stratum = f"{outcomes[idx[0]].item.label}:{outcomes[idx[0]].item.stratum}"
        best = min(range(k), key=lambda f: (load.get((stratum, f), 0), f))
        load[(stratum, best)] = load.get((stratum, best), 0) + len(idx)
        for i in idx:
            fold_of[i] = best
    return fold_of


# ---- the procedure ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Space:
    ids: list[str]              # features that fire somewhere in the corpora
    prior: list[float]
    lower: list[float]
    upper: list[float]


def feature_space(outcomes: list[Outcome]) -> Space:
    catalog = default_catalog()
    fired = sorted({fid for o in outcomes for fid in o.ids if fid in catalog.entries})
    prior = [float(catalog.entries[f].get("weight", 0.0)) for f in fired]
    lower = [-MAX_WEIGHT if p < 0 else 0.0 for p in prior]
    # Evidence of legitimacy keeps at least LEGIT_KEEP of the analyst's weight: the corpora hold almost
    # no real brand mail (their README), the very mail this evidence exists for, so they cannot measure it.
    upper = [LEGIT_KEEP * p if p < 0 else MAX_WEIGHT for p in prior]
    return Space(fired, prior, lower, upper)


def _rows(outcomes: list[Outcome], space: Space) -> list[Row]:
    index = {fid: j for j, fid in enumerate(space.ids)}
    n_phish = sum(1 for o in outcomes if o.item.label == "phish") or 1
    n_ham = sum(1 for o in outcomes if o.item.label == "ham") or 1
    total = len(outcomes)
    rows = []
    for o in outcomes:
        y = 1 if o.item.label == "phish" else 0
        weight = total / (2 * (n_phish if y else n_ham))   # both classes weigh the same in total
        rows.append(Row(tuple(index[f] for f in set(o.ids) if f in index), y, weight))
    return rows


def _best_threshold(phish: list[int], ham: list[int], cost: float, floor: int, max_false: float = 1.0) -> int:
    """Lowest-cost threshold among those whose ham rate meets the target (max_false); the cost
    decides between them. When none meets it, the threshold with the fewest false alarms."""
    best_t, best_key = 100, (True, math.inf)
    for t in range(100, floor - 1, -1):      # from the top, so ties keep the stricter threshold
        miss = sum(1 for s in phish if s < t) / max(len(phish), 1)
        false = sum(1 for s in ham if s >= t) / max(len(ham), 1)
        key = (false > max_false + 1e-12, false if false > max_false + 1e-12 else miss + cost * false)
        if key < best_key and (key[0] != best_key[0] or key[1] < best_key[1] - 1e-12):
            best_t, best_key = t, key
    return best_t


def _fit_model(train: list[Outcome], space: Space, lam: float) -> Model:
    rows = _rows(train, space)
    result = fit(rows, len(space.ids), space.prior, lam, space.lower, space.upper)
    weights = {fid: round(w, DIGITS) for fid, w in zip(space.ids, result.weights)}
    return Model(round(result.intercept, DIGITS), weights, 50, 90)


def _inner_scores(train: list[Outcome], space: Space, lam: float) -> list[int]:
    """Scores of the training mails from models that did not see them (campaign-aware inner folds):
    a model scores the ham it was fitted on too kindly, so thresholds set on those would be too low."""
    folds = assign_folds(train, INNER_FOLDS)
    scores = [0] * len(train)
    for f in range(INNER_FOLDS):
        part = [o for o, g in zip(train, folds) if g != f]
        if not part:
            continue
        model = _fit_model(part, space, lam)
        for i, g in enumerate(folds):
            if g == f:
                scores[i] = model_score(model, train[i].ids)
    return scores


def procedure(train: list[Outcome], space: Space, lam: float) -> Model:
    draft = _fit_model(train, space, lam)
    scores = _inner_scores(train, space, lam)
    phish = [s for s, o in zip(scores, train) if o.item.label == "phish"]
    ham = [s for s, o in zip(scores, train) if o.item.label == "ham"]
    suspicious = _best_threshold(phish, ham, C_SUSPICIOUS, 5, TARGET_HAM_FLAGGED)
    phishing = _best_threshold(phish, ham, C_PHISHING, suspicious + 1, TARGET_HAM_PHISHING)
    return Model(draft.intercept, draft.weights, suspicious, phishing, decisive_findings(train))


def _logloss(model: Model, outcomes: list[Outcome]) -> float:
    """Class-balanced log-loss of the model's probabilities."""
    total = {"phish": 0.0, "ham": 0.0}
    count = {"phish": 0, "ham": 0}
    for o in outcomes:
        z = model.intercept + sum(model.weights.get(f, 0.0) for f in set(o.ids))
        p = min(max(1 / (1 + math.exp(-max(-50, min(50, z)))), 1e-6), 1 - 1e-6)
        total[o.item.label] += -math.log(p if o.item.label == "phish" else 1 - p)
        count[o.item.label] += 1
    return sum(total[k] / max(count[k], 1) for k in total) / 2


def cross_validate(outcomes: list[Outcome], space: Space, lam: float, folds: list[int]) -> tuple[list[tuple[int, str]], float]:
    """Out-of-fold (score, level) per outcome and the mean out-of-fold log-loss."""
    preds: list[tuple[int, str]] = [(0, "safe")] * len(outcomes)
    losses = []
    for f in range(K_FOLDS):
        train = [o for o, g in zip(outcomes, folds) if g != f]
        test_idx = [i for i, g in enumerate(folds) if g == f]
        if not test_idx or not train:
            continue
        model = procedure(train, space, lam)
        for i in test_idx:
            s = model_score(model, outcomes[i].ids)
            preds[i] = (s, level(model, s, outcomes[i].ids))
        losses.append(_logloss(model, [outcomes[i] for i in test_idx]))
    return preds, sum(losses) / max(len(losses), 1)


# ---- figures --------------------------------------------------------------------------------

def figures(outcomes: list[Outcome], preds: list[tuple[int, str]]) -> dict:
    def rates(idx: list[int]) -> dict:
        out = {}
        for label in ("phish", "ham"):
            sel = [preds[i][1] for i in idx if outcomes[i].item.label == label]
            if sel:
                out[label] = len(sel)
                out[label + "_flagged"] = round(sum(v != "safe" for v in sel) / len(sel), 4)
                out[label + "_phishing"] = round(sum(v == "phishing" for v in sel) / len(sel), 4)
        return out

    everything = list(range(len(outcomes)))
    strata: dict[str, list[int]] = {}
    for i, o in enumerate(outcomes):
        strata.setdefault(f"{o.item.label}:{o.item.stratum}", []).append(i)
    ja = [i for i, o in enumerate(outcomes) if o.item.label == "phish" and o.item.lang == "ja"]
    return {"all": rates(everything), "ja_phish": rates(ja),
            "strata": {k: rates(v) for k, v in sorted(strata.items())}}


def trade_off(outcomes: list[Outcome], preds: list[tuple[int, str]]) -> list[tuple[int, float, float]]:
    """(threshold, share of phish scoring at least it, share of ham scoring at least it) on out-of-fold scores."""
    phish = [s for (s, _), o in zip(preds, outcomes) if o.item.label == "phish"]
    ham = [s for (s, _), o in zip(preds, outcomes) if o.item.label == "ham"]
    return [(t, round(sum(s >= t for s in phish) / max(len(phish), 1), 4),
             round(sum(s >= t for s in ham) / max(len(ham), 1), 4)) for t in range(20, 100, 10)]


def _print_figures(title: str, fig: dict, out) -> None:
    a = fig["all"]
    out.write(f"{title}: phish flagged {100 * a.get('phish_flagged', 0):.1f}% (ja {100 * fig['ja_phish'].get('phish_flagged', 0):.1f}%), "
              f"ham flagged {100 * a.get('ham_flagged', 0):.2f}%, ham at phishing {100 * a.get('ham_phishing', 0):.2f}%, "
              f"phish at phishing {100 * a.get('phish_phishing', 0):.1f}%\n")
    for name, r in fig["strata"].items():
        label = name.split(":", 1)[0]
        out.write(f"    {name:26} n={r.get(label, 0):4}  flagged {100 * r.get(label + '_flagged', 0):5.1f}%  "
                  f"at phishing {100 * r.get(label + '_phishing', 0):5.1f}%\n")


def calibrate(outcomes: list[Outcome], out=sys.stdout) -> dict:
    outcomes = [o for o in outcomes if not o.error]
    space = feature_space(outcomes)
    folds = assign_folds(outcomes)
    chosen, best = LAMBDAS[0], math.inf
    results = {}
    for lam in LAMBDAS:
        preds, loss = cross_validate(outcomes, space, lam, folds)
        results[lam] = preds
        out.write(f"  λ={lam:<4} cross-validated log-loss {loss:.4f}\n")
        if loss < best - 1e-9:
            chosen, best = lam, loss
    model = procedure(outcomes, space, chosen)
    fit_preds = [(s, level(model, s, o.ids)) for s, o in ((model_score(model, o.ids), o) for o in outcomes)]
    dev_fig, cv_fig = figures(outcomes, fit_preds), figures(outcomes, results[chosen])
    _print_figures("fit on dev", dev_fig, out)
    _print_figures(f"{K_FOLDS}-fold cross-validated", cv_fig, out)
    curve = trade_off(outcomes, results[chosen])
    out.write("  cross-validated trade-off (threshold: phish ≥, ham ≥): "
              + "  ".join(f"{t}: {100 * p:.1f}%/{100 * h:.2f}%" for t, p, h in curve) + "\n")
    catalog = default_catalog()
    never = sorted(set(catalog.entries) - set(space.ids))
    return {
        "intercept": model.intercept,
        "weights": model.weights,
        "thresholds": {"suspicious": model.suspicious, "phishing": model.phishing},
        "decisive": sorted(model.decisive),
        "method": {
            "command": "make calibrate",
            "doc": "docs/eval.md",
            "lambda": chosen, "lambda_grid": list(LAMBDAS), "k_folds": K_FOLDS,
            "decisive_min_phish": DECISIVE_MIN_PHISH,
            "cost_ham_flagged": C_SUSPICIOUS, "cost_ham_at_phishing": C_PHISHING,
            "messages": {"phish": sum(o.item.label == "phish" for o in outcomes),
                         "ham": sum(o.item.label == "ham" for o in outcomes)},
            "unfitted_keep_default": never,
        },
        "figures": {"dev_fit": dev_fig, "cross_validated": cv_fig,
                    "cross_validated_trade_off": [list(row) for row in curve]},
    }


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(args) -> int:
    dirs = args.dirs or default_dirs()
    items = collect(dirs)
    if not items:
        print(f"tsuribari calibrate: no labelled corpora found in {', '.join(dirs)}; skipping", file=sys.stderr)
        return 0
    doc = calibrate(analyse_all(items))
    text = dumps(doc)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"weights written to {args.out}")
    else:
        sys.stdout.write(text)
    return 0
