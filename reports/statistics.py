"""The paired statistics of the outcome report, in plain Python.

SciPy is not among the project's dependencies and this is all the report
needs: Student's t quantile (for the 95% confidence interval of a mean
change) and the Wilcoxon signed-rank test. Both are checked in
tests/reports/test_statistics.py against values worked out by hand and a
published worked example.
"""

import math
from dataclasses import dataclass
from statistics import NormalDist, fmean, stdev

_NORMAL = NormalDist()


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularised incomplete beta function
    (modified Lentz's method, as in Numerical Recipes' betacf)."""
    tiny, eps = 1e-300, 3e-16
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: int) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom."""
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: int) -> float:
    """The t value below which a share `p` of Student's t distribution lies
    (0.5 < p < 1), by bisection on the distribution function."""
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2.0


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
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def wilcoxon_signed_rank(pairs: list[tuple[float, float]]) -> SignedRank | None:
    """The two-sided Wilcoxon signed-rank test of latest against first.

    Pairs with no change are dropped (Wilcoxon's method); tied differences
    share their ranks. The p-value is from the normal approximation with the
    tie correction of the variance and a continuity correction of 0.5 (as
    SciPy's `wilcoxon(..., method="approx", correction=True)`): the report
    shows a test only for 11 mentees or more, where it is close to exact.
    """
    changes = [latest - first for first, latest in pairs if latest != first]
    n = len(changes)
    if n == 0:
        return None
    ranks = average_ranks([abs(c) for c in changes])
    w_plus = sum(r for r, c in zip(ranks, changes, strict=True) if c > 0)
    w_minus = sum(r for r, c in zip(ranks, changes, strict=True) if c < 0)
    expected = n * (n + 1) / 4.0
    variance = n * (n + 1) * (2 * n + 1) / 24.0
    ties: dict[float, int] = {}
    for r in ranks:
        ties[r] = ties.get(r, 0) + 1
    variance -= sum(t**3 - t for t in ties.values()) / 48.0
    statistic = min(w_plus, w_minus)
    if variance <= 0:
        return SignedRank(n, w_plus, w_minus, 0.0, 1.0)
    difference = statistic - expected
    correction = 0.5 * (1 if difference > 0 else -1 if difference < 0 else 0)
    z = (difference - correction) / math.sqrt(variance)
    p_value = min(1.0, 2.0 * _NORMAL.cdf(-abs(z)))
    return SignedRank(n, w_plus, w_minus, z, p_value)
