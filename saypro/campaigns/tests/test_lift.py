"""The lift on synthetic worlds with a known effect, and measured from real rows."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.campaigns import lift, selectors
from saypro.campaigns.models import Campaign
from saypro.campaigns.tests.factories import CampaignFactory, MemberFactory, VariantFactory
from saypro.messaging.tests.factories import ConversationFactory, MessageFactory

HOLDOUT_MEAN = 2.0


def world(effect: float, *, seed: int, treated: int = 900, holdout: int = 100):
    """Messages per member: Poisson(2) in the holdout, Poisson(2 + effect) when treated."""
    rng = np.random.default_rng(seed)
    return (
        rng.poisson(HOLDOUT_MEAN + effect, size=treated).tolist(),
        rng.poisson(HOLDOUT_MEAN, size=holdout).tolist(),
    )


def test_a_large_effect_is_inside_the_interval_which_excludes_zero():
    # One fixed world; how often the interval misses is the coverage test's business.
    result = lift.measure(*world(1.5, seed=1))
    assert result.ci_low < 1.5 < result.ci_high
    assert result.ci_low > 0 and result.is_significant
    assert result.verdict == "helped"
    assert lift.summary(result).startswith("The campaign raised messaging")
    assert result.relative == pytest.approx(result.difference / result.holdout_mean)


def test_no_effect_gives_an_interval_around_zero():
    result = lift.measure(*world(0.0, seed=1))
    assert result.ci_low < 0 < result.ci_high
    assert not result.is_significant
    assert result.verdict == "no_clear_change"


def test_a_campaign_that_lowers_messaging_says_so():
    treated, holdout = world(0.0, seed=1)
    result = lift.measure([0] * len(treated), holdout)
    assert result.ci_high < 0 and result.verdict == "got_worse"
    assert lift.summary(result).startswith("Members who got the campaign sent fewer messages")


def test_the_interval_covers_the_true_effect_about_95_times_in_100():
    covered = 0
    for seed in range(300):
        result = lift.measure(*world(0.5, seed=seed, treated=300, holdout=60))
        covered += result.ci_low <= 0.5 <= result.ci_high
    assert 0.92 <= covered / 300 <= 0.98


def test_too_few_members_have_no_interval():
    result = lift.measure([3], [1])
    assert result.ci_low is None and result.difference == 2
    assert result.verdict is None
    assert lift.summary(result) == "Not enough members on each side yet to measure a lift."


def test_chart_and_table_show_the_same_numbers():
    result = lift.measure([3, 4, 5, 4], [1, 2, 2, 3])
    chart = lift.chart(result)
    assert [bar["value_label"] for bar in chart["bars"]] == ["2.00", "4.00"]
    assert chart["interval"]["label"] == f"{2 + result.ci_low:.2f}–{2 + result.ci_high:.2f}"
    row = lift.table_row("All treated members", result)
    assert row["difference"] == "+2.00" and row["relative"] == "+100 %"


@pytest.mark.django_db
def test_results_measure_messages_in_the_14_days_after_sending():
    """Treated members send 3 messages each after sending, the holdout 1: a lift of +2."""
    sent_at = timezone.now() - timedelta(days=20)
    campaign = CampaignFactory(status=Campaign.Status.SENT, sent_at=sent_at)
    VariantFactory(campaign=campaign)
    for index in range(12):
        group = "holdout" if index % 3 == 0 else "A"
        person = UserFactory()
        MemberFactory(campaign=campaign, user=person, group=group, delivered_at=sent_at)
        conversation = ConversationFactory(buyer=person)
        per_day = (3 if group == "A" else 1) + index % 2  # some variance on each side
        for day in range(per_day):
            MessageFactory(conversation=conversation, created_at=sent_at + timedelta(days=day + 1))
        # Before sending and after the window: not counted.
        MessageFactory(conversation=conversation, created_at=sent_at - timedelta(hours=1))
        MessageFactory(conversation=conversation, created_at=sent_at + timedelta(days=15))
    results = selectors.results(campaign, now=timezone.now())
    assert results.is_final
    assert results.lift.treated_n == 8 and results.lift.holdout_n == 4
    assert results.lift.treated_mean == pytest.approx(3.5)
    assert results.lift.holdout_mean == pytest.approx(1.5)
    assert results.lift.difference == pytest.approx(2.0)
    assert results.lift.ci_low > 0


@pytest.mark.django_db
def test_results_are_provisional_for_14_days():
    sent_at = timezone.now() - timedelta(days=3)
    campaign = CampaignFactory(status=Campaign.Status.SENT, sent_at=sent_at)
    results = selectors.results(campaign, now=timezone.now())
    assert not results.is_final
    assert results.final_on == sent_at + timedelta(days=14)
