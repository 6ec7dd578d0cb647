"""The report's statistics against values worked out independently: a
published table of Student's t, a published worked example of the
signed-rank test, and small sets by hand."""

import math
from statistics import NormalDist

import pytest

from reports.statistics import (
    average_ranks,
    mean_change,
    t_cdf,
    t_quantile,
    wilcoxon_signed_rank,
)


@pytest.mark.parametrize(
    ("df", "published"),
    # Two-sided 95% critical values of Student's t (any statistics table).
    [
        (1, 12.7062),
        (2, 4.3027),
        (5, 2.5706),
        (10, 2.2281),
        (11, 2.2010),
        (30, 2.0423),
        (120, 1.9799),
    ],
)
def test_the_t_quantile_matches_the_published_table(df, published):
    assert t_quantile(0.975, df) == pytest.approx(published, abs=1e-4)


def test_the_t_distribution_is_symmetric_and_centred():
    assert t_cdf(0, 7) == pytest.approx(0.5)
    assert t_cdf(-2.0, 7) == pytest.approx(1 - t_cdf(2.0, 7))
    # df = 1 is the Cauchy distribution: F(1) = 3/4.
    assert t_cdf(1.0, 1) == pytest.approx(0.75)


def test_ties_share_the_mean_of_their_ranks():
    assert average_ranks([5, 5, 7, 9, 10, 12, 15, 17, 20]) == [1.5, 1.5, 3, 4, 5, 6, 7, 8, 9]


def test_the_signed_rank_test_on_the_published_worked_example():
    """Wikipedia, "Wilcoxon signed-rank test", the worked example: ten pairs,
    one without change; W = 9 (T+ = 18, T- = 27) over N_r = 9 pairs."""
    before = [125, 115, 130, 140, 140, 115, 140, 125, 140, 135]
    after = [110, 122, 125, 120, 140, 124, 123, 137, 135, 145]
    result = wilcoxon_signed_rank(list(zip(before, after, strict=True)))
    assert (result.n, result.w_plus, result.w_minus) == (9, 18, 27)
    assert abs(result.w_plus - result.w_minus) == 9
    # By hand: mean 9*10/4 = 22.5; variance 9*10*19/24 = 71.25 less the tie
    # (2^3 - 2)/48 = 0.125; continuity 0.5 toward the mean.
    z = (18 - 22.5 + 0.5) / math.sqrt(71.125)
    assert result.z == pytest.approx(z)
    assert result.p_value == pytest.approx(2 * NormalDist().cdf(z))
    assert result.p_value == pytest.approx(0.6353, abs=1e-4)


def test_every_pair_improving_is_significant():
    pairs = [(10, 10 - n) for n in range(1, 13)]  # twelve decreases, ranks 1..12
    result = wilcoxon_signed_rank(pairs)
    assert (result.w_plus, result.w_minus) == (0, 78)
    z = (0 - 39 + 0.5) / math.sqrt(12 * 13 * 25 / 24)
    assert result.p_value == pytest.approx(2 * NormalDist().cdf(z))
    assert result.p_value < 0.01


def test_no_change_at_all_has_no_test():
    assert wilcoxon_signed_rank([(3, 3), (4, 4)]) is None


def test_the_mean_change_and_its_interval_by_hand():
    pairs = [(4, 1), (6, 2), (3, 3), (5, 1)]  # changes -3, -4, 0, -4
    result = mean_change(pairs)
    assert result.mean_change == pytest.approx(-2.75)
    assert (result.mean_first, result.mean_latest) == (4.5, 1.75)
    # sd of (-3, -4, 0, -4): deviations -0.25, -1.25, 2.75, -1.25; squares sum 10.75
    sd = math.sqrt(10.75 / 3)
    half = 3.1824 * sd / 2  # t(0.975, 3) = 3.1824 from the table
    assert result.ci_low == pytest.approx(-2.75 - half, abs=1e-3)
    assert result.ci_high == pytest.approx(-2.75 + half, abs=1e-3)


def test_one_pair_has_no_interval():
    assert mean_change([(1, 2)]) is None
