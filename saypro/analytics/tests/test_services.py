"""Targets: office staff only, validated, append-only history; defaults from the registry."""

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import given
from hypothesis import strategies as st

from saypro.analytics import selectors, services
from saypro.analytics.models import Target
from saypro.analytics.periods import Quarter
from saypro.core.errors import NotAuthenticated, PermissionDenied, ValidationFailed

Q = Quarter(2026, 4)


@pytest.mark.django_db
def test_defaults_come_from_the_registry():
    assert selectors.target_setting("messaging_interactions", Q) == 25
    assert selectors.target_setting("review_response_48h", Q) == 95
    assert selectors.target_setting("negative_review_response_48h", Q) == 90
    assert selectors.target_setting("training_participation", Q) == 80
    assert selectors.target_setting("improvements_from_feedback", Q) == 15
    assert selectors.target_setting("satisfaction_education", Q) == 90
    assert selectors.target_setting("first_response_median", Q) is None


def test_staff_set_targets_and_the_latest_wins(staff):
    services.set_target(staff, Q, "review_response_48h", 97)
    services.set_target(staff, "2026-Q4", "review_response_48h", "96.5")
    services.set_target(staff, Q.previous(), "review_response_48h", 90)
    assert selectors.target_setting("review_response_48h", Q) == 96.5
    assert selectors.target_setting("review_response_48h", Q.previous()) == 90
    history = list(selectors.target_history("review_response_48h"))
    assert [(t.quarter, t.value, t.set_by) for t in history] == [
        ("2026-Q3", 90, staff),
        ("2026-Q4", 96.5, staff),
        ("2026-Q4", 97, staff),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["buyer", "seller", "anonymous"])
def test_only_office_staff_set_targets(who, request):
    actor = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    expected = NotAuthenticated if who == "anonymous" else PermissionDenied
    with pytest.raises(expected):
        services.set_target(actor, Q, "review_response_48h", 97)
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("no_such_kpi", 10, "unknown_kpi"),
        ("review_response_48h", "lots", "invalid_target"),
        ("review_response_48h", float("nan"), "invalid_target"),
        ("review_response_48h", 101, "target_out_of_range"),
        ("review_response_48h", -1, "target_out_of_range"),
        ("average_rating", 6, "target_out_of_range"),
        ("messaging_interactions", -150, "target_out_of_range"),
        # Targets met by doing nothing: none of a higher-is-better KPI, all of a lower one.
        ("messaging_interactions", -100, "target_out_of_range"),
        ("review_response_48h", 0, "target_out_of_range"),
        ("average_rating", 1, "target_out_of_range"),
        ("abandoned_conversations", 100, "target_out_of_range"),
    ],
)
def test_invalid_targets_are_refused_and_change_nothing(staff, key, value, code):
    with pytest.raises(ValidationFailed) as refused:
        services.set_target(staff, Q, key, value)
    assert refused.value.code == code
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("review_response_48h", " 95 ", 95.0),
        ("review_response_48h", "95.5", 95.5),
        ("review_response_48h", "95,5", 95.5),  # a decimal comma
        ("review_response_48h", "95%", 95.0),  # a percent level
        ("review_response_48h", "95,5 %", 95.5),
        ("review_response_48h", ".5", 0.5),
        ("messaging_interactions", "+12.5 %", 12.5),  # a % change
        ("messaging_interactions", "−10 %", -10.0),  # minus as the page writes it
        ("average_rating", "4,25", 4.25),
        ("review_volume", "1500", 1500.0),
    ],
)
def test_a_target_is_read_as_people_type_it(staff, key, text, value):
    assert services.set_target(staff, Q, key, text).value == value


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        # Python's float() reads these as 10 and 50.
        ("review_response_48h", "1_0", "Enter a number such as 95, 95.5 or 95 %."),
        ("review_response_48h", "５０", "Enter a number such as 95, 95.5 or 95 %."),
        ("review_response_48h", "٥٠", "Enter a number such as 95, 95.5 or 95 %."),
        ("review_response_48h", "1e2", "Enter a number such as 95, 95.5 or 95 %."),
        ("review_response_48h", "95%%", "Enter a number such as 95, 95.5 or 95 %."),
        ("review_response_48h", "9 5", "Enter a number such as 95, 95.5 or 95 %."),
        ("review_response_48h", "95.5.5", "Enter a number such as 95, 95.5 or 95 %."),
        ("review_response_48h", "inf", "Enter a number such as 95, 95.5 or 95 %."),
        ("messaging_interactions", "lots", "Enter a number such as 95, 95.5 or 95 %."),
        # "%" only where the target is a percentage.
        ("average_rating", "4 %", "Enter a number such as 95 or 95.5."),
        (
            "review_volume",
            "1,500",
            "“1,500” could be 1500 or 1.5: enter 1500, or 1.5 with a point.",
        ),
    ],
)
def test_a_target_that_is_no_plain_number_is_refused_with_the_format(staff, key, text, message):
    with pytest.raises(ValidationFailed) as refused:
        services.set_target(staff, Q, key, text)
    assert (refused.value.code, refused.value.message) == ("invalid_target", message)
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("key", "value"),
    [("abandoned_conversations", 0), ("first_response_median", 0), ("messaging_interactions", -99)],
)
def test_the_best_end_of_a_range_is_a_target(staff, key, value):
    assert services.set_target(staff, Q, key, value).value == value


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("review_response_48h", 0, "more than 0 and at most 100 %"),
        ("abandoned_conversations", 100, "at least 0 and less than 100 %"),
        ("average_rating", 0.5, "more than 1 and at most 5"),
        ("messaging_interactions", -100, "a change of more than −100 % and at most +1000 %"),
        ("review_volume", 0, "more than 0"),
        ("first_response_median", -1, "zero or more"),
    ],
)
def test_a_refused_target_says_what_it_must_be(staff, key, value, message):
    with pytest.raises(ValidationFailed) as refused:
        services.set_target(staff, Q, key, value)
    assert refused.value.message.endswith(f"must be {message}.")


def test_a_bad_quarter_is_refused(staff):
    with pytest.raises(ValidationFailed):
        services.set_target(staff, "2026-Q5", "review_response_48h", 97)
    assert not Target.objects.exists()


def test_a_change_target_is_a_level_over_last_quarter(staff):
    services.set_target(staff, Q, "messaging_interactions", -10)
    value = selectors.kpi_value("messaging_interactions", Q)
    assert value.target_setting == -10
    assert value.target is None  # no messages last quarter: nothing to grow from


@pytest.mark.django_db
@given(value=st.floats(min_value=0, max_value=100, exclude_min=True, allow_nan=False))
def test_any_percent_level_above_nothing_is_accepted(value):
    from saypro.accounts.tests.factories import StaffFactory

    staff = StaffFactory()
    assert services.set_target(staff, Q, "training_participation", value).value == value
