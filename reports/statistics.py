"""The paired statistics of the outcome report, from SciPy.

Student's t quantile (for the 95% confidence interval of a mean change) is
`scipy.stats.t.ppf`, and the Wilcoxon signed-rank test is
`scipy.stats.wilcoxon`. tests/reports/test_statistics.py checks both against
values worked out by hand and a published worked example.

SciPy is imported inside the functions, not at the top: importing
`scipy.stats` takes about a second and a half, and this module is reached
from the URL configuration (reports.api.views -> reports.services), so a
top-level import would slow every process's start-up, web and Celery alike,
for a report few requests ask for.
"""

import math
from dataclasses import dataclass
from statistics import fmean, stdev


def t_cdf(t: float, df: int) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom."""
    from scipy import stats

    return float(stats.t.cdf(t, df))


def t_quantile(p: float, df: int) -> float:
    """The t value below which a share `p` of Student's t distribution lies."""
    from scipy import stats

    return float(stats.t.ppf(p, df))


@dataclass(frozen=True)
class MeanChange:
    n: int
    mean_first: float
    mean_latest: float
    mean_change: float
    ci_low: float
    ci_high: float


def mean_change(pairs: list[tuple[float, float]], confidence: float = 0.95) -> MeanChange | None:
    """The mean of latest - first over the pairs, with its t-based confidence
    interval; None for fewer than two pairs (no spread to estimate)."""
    n = len(pairs)
    if n < 2:
        return None
    changes = [latest - first for first, latest in pairs]
    mean = fmean(changes)
    half = t_quantile(0.5 + confidence / 2.0, n - 1) * stdev(changes) / math.sqrt(n)
    return MeanChange(
        n=n,
        mean_first=fmean(first for first, _ in pairs),
        mean_latest=fmean(latest for _, latest in pairs),
        mean_change=mean,
        ci_low=mean - half,
        ci_high=mean + half,
    )


@dataclass(frozen=True)
class SignedRank:
    n: int  # pairs that changed (no change is left out)
    w_plus: float  # the sum of the ranks of the increases
    w_minus: float  # the sum of the ranks of the decreases
    z: float
    p_value: float


def average_ranks(values: list[float]) -> list[float]:
    """1-based ranks of `values`, ties sharing the mean of their ranks."""
    from scipy import stats

    return [float(r) for r in stats.rankdata(values, method="average")]


def wilcoxon_signed_rank(pairs: list[tuple[float, float]]) -> SignedRank | None:
    """The two-sided Wilcoxon signed-rank test of latest against first.

    `scipy.stats.wilcoxon` with zero_method="wilcox" (pairs with no change are
    dropped, Wilcoxon's method), method="approx" (the normal approximation,
    whose variance SciPy corrects for tied differences, which share their
    ranks) and correction=True (a continuity correction of 0.5). This is what
    the page says (templates/reports/partials/_test_note.txt); the report
    shows a test only for 11 mentees or more, where it is close to exact.
    None when no pair changed.
    """
    from scipy import stats

    changes = [latest - first for first, latest in pairs if latest != first]
    n = len(changes)
    if n == 0:
        return None
    ranks = average_ranks([abs(c) for c in changes])
    w_plus = sum(r for r, c in zip(ranks, changes, strict=True) if c > 0)
    w_minus = sum(r for r, c in zip(ranks, changes, strict=True) if c < 0)
    result = stats.wilcoxon(
        changes,
        zero_method="wilcox",
        correction=True,
        alternative="two-sided",
        method="approx",
    )
    z, p_value = float(result.zstatistic), float(result.pvalue)
    if math.isnan(p_value):  # no spread at all: nothing to test against
        return SignedRank(n, w_plus, w_minus, 0.0, 1.0)
    return SignedRank(n, w_plus, w_minus, z, p_value)
