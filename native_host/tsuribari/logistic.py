"""Sign-constrained, L2-regularised logistic regression over 0/1 indicators, in pure Python.

Why not numpy: the fit is small (a few dozen indicators, a few thousand mails)
and pure Python keeps the runtime free of a heavy dependency and the result
bit-for-bit the same on every machine (fixed iteration order, no BLAS).

Objective (minimised):
    Σ_i c_i · logloss(y_i, b + Σ_j w_j x_ij)  +  λ/2 · Σ_j (w_j − prior_j)²
subject to lo_j ≤ w_j ≤ hi_j. The penalty pulls each weight toward the analyst's
default weight rather than toward 0, so a finding the data says little about
keeps the analyst's judgement. Solved by cyclic coordinate Newton steps, each
projected onto its bounds and halved until the objective does not rise (the
problem is convex, so this converges to the constrained optimum).
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    features: tuple[int, ...]   # indices of the indicators that are 1
    y: int                      # 1 = phish, 0 = ham
    weight: float               # case weight (rows with the same pattern merged: summed weights)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _logloss(y: int, z: float) -> float:
    # log(1 + exp(-z)) for y=1, log(1 + exp(z)) for y=0, computed stably
    s = -z if y else z
    return s + math.log1p(math.exp(-s)) if s > 0 else math.log1p(math.exp(s))


def merge(rows: list[Row]) -> list[Row]:
    """Rows with equal features and label merged (sums their weights): same optimum, far fewer terms."""
    acc: dict[tuple[tuple[int, ...], int], float] = {}
    for r in rows:
        key = (tuple(sorted(set(r.features))), r.y)
        acc[key] = acc.get(key, 0.0) + r.weight
    return [Row(f, y, w) for (f, y), w in sorted(acc.items())]


@dataclass
class Fit:
    intercept: float
    weights: list[float]
    iterations: int
    objective: float


def fit(rows: list[Row], n_features: int, prior: list[float], lam: float, lower: list[float],
        upper: list[float], intercept0: float = 0.0, max_iter: int = 500, tol: float = 1e-9) -> Fit:
    rows = merge(rows)
    w = [min(max(p, lo), hi) for p, lo, hi in zip(prior, lower, upper)]
    b = intercept0
    eta = [b + sum(w[j] for j in r.features) for r in rows]
    by_feature: list[list[int]] = [[] for _ in range(n_features)]
    for i, r in enumerate(rows):
        for j in r.features:
            by_feature[j].append(i)
    all_rows = list(range(len(rows)))

    def coord_loss(idx: list[int], delta: float) -> float:
        return sum(rows[i].weight * _logloss(rows[i].y, eta[i] + delta) for i in idx)

    def step(idx: list[int], value: float, lo: float, hi: float, pen_prior: float | None) -> float:
        """One projected Newton step on one coordinate; returns the change applied."""
        g = h = 0.0
        for i in idx:
            p = _sigmoid(eta[i])
            g += rows[i].weight * (p - rows[i].y)
            h += rows[i].weight * p * (1.0 - p)
        if pen_prior is not None:
            g += lam * (value - pen_prior)
            h += lam
        if h <= 1e-12:
            return 0.0
        new = min(max(value - g / h, lo), hi)
        delta = new - value
        base = coord_loss(idx, 0.0) + (lam / 2 * (value - pen_prior) ** 2 if pen_prior is not None else 0.0)
        for _ in range(30):
            trial = coord_loss(idx, delta) + (lam / 2 * (value + delta - pen_prior) ** 2 if pen_prior is not None else 0.0)
            if trial <= base + 1e-15:
                break
            delta /= 2
        else:
            return 0.0
        for i in idx:
            eta[i] += delta
        return delta

    it = 0
    for it in range(1, max_iter + 1):
        d = step(all_rows, b, -50.0, 50.0, None)   # the intercept is not penalised
        b += d
        biggest = abs(d)
        for j in range(n_features):
            if not by_feature[j]:
                continue
            d = step(by_feature[j], w[j], lower[j], upper[j], prior[j])
            w[j] += d
            biggest = max(biggest, abs(d))
        if biggest < tol:
            break
    objective = sum(r.weight * _logloss(r.y, e) for r, e in zip(rows, eta))
    objective += lam / 2 * sum((wj - pj) ** 2 for wj, pj in zip(w, prior))
    return Fit(intercept=b, weights=w, iterations=it, objective=objective)
