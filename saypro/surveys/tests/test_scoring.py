import pytest

from saypro.surveys.models import Kind
from saypro.surveys.scoring import sampled, summarize


def test_a_rating_summary_counts_every_score_and_the_satisfied_share():
    summary = summarize(Kind.RATING_5, {5: 3, 4: 1, 3: 2, 1: 2})

    assert summary.responses == 8
    assert summary.counts == {1: 2, 2: 0, 3: 2, 4: 1, 5: 3}
    assert summary.average == pytest.approx((2 * 1 + 2 * 3 + 4 + 3 * 5) / 8)
    assert (summary.satisfied, summary.satisfied_share) == (4, 0.5)
    assert (summary.low, summary.middle, summary.high) == (2, 2, 4)
    assert summary.nps is None
    assert [row["share"] for row in summary.distribution] == [0.25, 0.0, 0.25, 0.125, 0.375]


def test_nps_is_promoters_minus_detractors_in_points():
    # 5 promoters (9–10), 3 passives (7–8), 2 detractors (0–6) of 10: 50 % − 20 % = 30.
    summary = summarize(Kind.NPS_11, {10: 2, 9: 3, 8: 1, 7: 2, 6: 1, 0: 1})

    assert (summary.high, summary.middle, summary.low) == (5, 3, 2)
    assert summary.nps == 30
    assert summary.satisfied_share == 0.5
    assert summary.average == pytest.approx((20 + 27 + 8 + 14 + 6) / 10)
    assert [group["label"] for group in summary.groups] == [
        "Detractors (0–6)",
        "Passives (7–8)",
        "Promoters (9–10)",
    ]


def test_nps_can_be_negative_and_rounds_to_a_whole_number():
    summary = summarize(Kind.NPS_11, {0: 2, 5: 3, 10: 1, 8: 1})

    assert summary.nps == round((1 - 5) * 100 / 7)  # −57
    assert summary.nps == -57


def test_no_answers_give_no_figures():
    summary = summarize(Kind.NPS_11, {})

    assert summary.responses == 0
    assert summary.average is None and summary.satisfied_share is None and summary.nps is None
    assert all(row["share"] == 0.0 for row in summary.distribution)


def test_a_score_off_the_scale_is_refused():
    with pytest.raises(ValueError, match="not on the rating_5 scale"):
        summarize(Kind.RATING_5, {0: 1})


def test_sampling_is_stable_and_close_to_the_share():
    keys = [f"7:{user}:messaging.conversation:{user * 3}" for user in range(2000)]

    picked = [key for key in keys if sampled(key, 30)]

    assert 0.27 < len(picked) / len(keys) < 0.33
    assert picked == [key for key in keys if sampled(key, 30)]
    assert set(picked) <= {key for key in keys if sampled(key, 60)}  # a larger sample keeps them
    assert all(sampled(key, 100) for key in keys)
