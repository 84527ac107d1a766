import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saypro.messaging import services as messaging
from saypro.surveys import services
from saypro.surveys.models import Invitation, Kind, Response, Survey, Trigger
from saypro.surveys.tests.factories import InvitationFactory, ResponseFactory, SurveyFactory


def as_user(client, user):
    client.force_login(user)
    return client


def answer_url(invitation):
    return reverse("surveys:answer", kwargs={"token": invitation.token})


@pytest.fixture
def invitation(buyer):
    return InvitationFactory(
        user=buyer, survey=SurveyFactory(question="How did <b>the store</b> do?")
    )


# --- Answering -------------------------------------------------------------------------------


def test_the_invitee_answers_through_the_page(client, buyer, invitation):
    as_user(client, buyer)

    page = client.get(answer_url(invitation))
    html = page.content.decode()
    assert page.status_code == 200
    assert "How did &lt;b&gt;the store&lt;/b&gt; do?" in html
    assert html.count('type="radio" name="score"') == 5
    assert "csrfmiddlewaretoken" in html and "What could the store do better?" in html
    invitation.refresh_from_db()
    assert invitation.shown_at is not None

    sent = client.post(answer_url(invitation), {"score": "4", "comment": "Fast <i>and</i> kind."})
    assert sent.status_code == 302 and sent.url == answer_url(invitation)
    response = Response.objects.get()
    assert (response.score, response.comment) == (4, "Fast <i>and</i> kind.")

    thanks = client.get(answer_url(invitation)).content.decode()
    assert "Thank you!" in thanks and "Fast &lt;i&gt;and&lt;/i&gt; kind." in thanks


def test_answering_twice_is_a_409_with_a_message(client, buyer, invitation):
    as_user(client, buyer)
    client.post(answer_url(invitation), {"score": "5"})

    again = client.post(answer_url(invitation), {"score": "1"})
    empty = client.post(answer_url(invitation), {})

    assert again.status_code == 409 and empty.status_code == 409
    assert "You already answered this survey" in again.content.decode()
    assert list(Response.objects.values_list("score", flat=True)) == [5]


def test_an_expired_invitation_is_a_410_page(client, buyer, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    as_user(client, buyer)

    page = client.get(answer_url(invitation))
    sent = client.post(answer_url(invitation), {"score": "5"})

    assert page.status_code == 410 and "This survey is closed" in page.content.decode()
    assert sent.status_code == 410 and "closed on" in sent.content.decode()
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    "data", [{}, {"score": "9"}, {"score": "x"}, {"score": "3", "comment": "y" * 1001}]
)
def test_bad_input_is_a_400_with_the_error_next_to_the_field(client, buyer, invitation, data):
    response = as_user(client, buyer).post(answer_url(invitation), data)

    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert Response.objects.count() == 0


@pytest.mark.parametrize("who", ["seller", "staff"])
def test_someone_elses_invitation_is_a_404(client, request, who, invitation):
    as_user(client, request.getfixturevalue(who))

    assert client.get(answer_url(invitation)).status_code == 404
    assert client.post(answer_url(invitation), {"score": "5"}).status_code == 404
    dismiss = reverse("surveys:dismiss", kwargs={"token": invitation.token})
    assert client.post(dismiss).status_code == 404
    invitation.refresh_from_db()
    assert invitation.shown_at is None and invitation.dismissed_at is None


def test_anonymous_people_are_sent_to_log_in(client, invitation):
    response = client.get(answer_url(invitation))

    assert response.status_code == 302 and reverse("account_login") in response.url


def test_the_answer_needs_the_csrf_token(buyer, invitation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)

    assert client.post(answer_url(invitation), {"score": "5"}).status_code == 403
    assert Response.objects.count() == 0


def test_nps_offers_eleven_scores(client, buyer):
    invitation = InvitationFactory(user=buyer, survey=SurveyFactory(kind=Kind.NPS_11))

    html = as_user(client, buyer).get(answer_url(invitation)).content.decode()

    assert html.count('type="radio" name="score"') == 11
    assert "Not at all likely" in html and "Extremely likely" in html


# --- The card --------------------------------------------------------------------------------


@pytest.fixture
def closed_conversation(buyer, store, seller):
    conversation, _, _ = messaging.start_conversation(buyer, store_id=store.pk, text="In stock?")
    messaging.send_message(seller, conversation, text="Yes!")
    return conversation


def test_the_messaging_card_shows_on_the_buyers_conversation_and_messages(
    client, buyer, closed_conversation
):
    invitation = InvitationFactory(
        user=buyer,
        survey=SurveyFactory(question="How was <em>the answer</em>?"),
        subject_type=ContentType.objects.get_for_model(closed_conversation),
        subject_id=closed_conversation.pk,
    )
    as_user(client, buyer)

    thread = client.get(reverse("messaging:conversation", kwargs={"pk": closed_conversation.pk}))
    inbox = client.get(reverse("messaging:inbox"))
    home = client.get(reverse("catalog:home"))

    assert 'class="survey-card"' in thread.content.decode()
    assert (
        f"About your conversation with {closed_conversation.store.name}" in thread.content.decode()
    )
    assert "How was &lt;em&gt;the answer&lt;/em&gt;?" in thread.content.decode()
    assert answer_url(invitation) in inbox.content.decode()
    assert 'class="survey-card"' not in home.content.decode()
    invitation.refresh_from_db()
    assert invitation.shown_at is not None


def test_a_periodic_card_shows_on_any_page_and_no_thanks_closes_it(client, buyer):
    survey = SurveyFactory(trigger=Trigger.PERIODIC, period_days=90)
    invitation = InvitationFactory(user=buyer, survey=survey)
    as_user(client, buyer)
    home = reverse("catalog:home")
    assert 'class="survey-card"' in client.get(home).content.decode()

    response = client.post(
        reverse("surveys:dismiss", kwargs={"token": invitation.token}), {"next": home}
    )

    assert response.status_code == 302 and response.url == home
    invitation.refresh_from_db()
    assert invitation.dismissed_at is not None
    assert 'class="survey-card"' not in client.get(home).content.decode()


def test_no_card_for_other_people_or_visitors(client, seller, buyer):
    InvitationFactory(user=buyer, survey=SurveyFactory(trigger=Trigger.PERIODIC, period_days=90))

    assert 'class="survey-card"' not in client.get(reverse("catalog:home")).content.decode()
    as_user(client, seller)
    assert 'class="survey-card"' not in client.get(reverse("catalog:home")).content.decode()


def test_the_card_costs_no_query_once_cached(client, buyer, django_assert_num_queries):
    as_user(client, buyer)
    home = reverse("catalog:home")
    client.get(home)
    with django_assert_num_queries(8):  # session, user, navigation, bell, products
        client.get(home)
    survey = SurveyFactory(trigger=Trigger.PERIODIC, period_days=90)
    services.invite_to(survey=survey, user=buyer, subject=survey)  # forgets the cached card
    client.get(home)  # finds the invitation and marks it shown (forgetting the card again)
    client.get(home)  # caches it
    with django_assert_num_queries(8):
        assert 'class="survey-card"' in client.get(home).content.decode()


# --- Office ----------------------------------------------------------------------------------


def office_urls(survey):
    return [
        reverse("office_surveys:list"),
        reverse("office_surveys:create"),
        reverse("office_surveys:results", kwargs={"pk": survey.pk}),
        reverse("office_surveys:edit", kwargs={"pk": survey.pk}),
        reverse("office_surveys:export", kwargs={"pk": survey.pk}),
    ]


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_the_office_pages_are_refused_to_everyone_but_staff(db, client, request, who):
    survey = SurveyFactory()
    as_user(client, request.getfixturevalue(who))

    for url in office_urls(survey):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("office_surveys:create"), {"title": "x"}).status_code == 403
    assert Survey.objects.count() == 1


def test_anonymous_people_are_sent_to_log_in_from_the_office(db, client):
    for url in office_urls(SurveyFactory()):
        assert reverse("account_login") in client.get(url).url


def test_staff_see_every_survey_with_its_response_rate(client, staff):
    survey = SurveyFactory(title="Messaging satisfaction")
    ResponseFactory(invitation__survey=survey)
    InvitationFactory(survey=survey)
    InvitationFactory(survey=survey)
    SurveyFactory(title="Not asked yet")

    html = as_user(client, staff).get(reverse("office_surveys:list")).content.decode()

    assert "Messaging satisfaction" in html and "33 %" in html and "Not asked yet" in html
    assert reverse("office_surveys:list") in html  # linked from the office navigation


def form_data(**changes):
    data = {
        "title": "Platform satisfaction",
        "question": "How likely are you to recommend SayPro to a friend?",
        "kind": Kind.NPS_11,
        "comment_prompt": "What is the one thing we should improve?",
        "trigger": Trigger.PERIODIC,
        "audience": "both",
        "sample_percent": "20",
        "period_days": "90",
        "starts_at": "2026-01-01T08:00",
        "ends_at": "",
        "is_active": "on",
    }
    return {**data, **changes}


def test_staff_create_a_survey_and_see_its_results(client, staff):
    as_user(client, staff)

    response = client.post(reverse("office_surveys:create"), form_data())

    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("office_surveys:results", kwargs={"pk": survey.pk})
    assert (survey.kind, survey.period_days, survey.sample_percent) == (Kind.NPS_11, 90, 20)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"sample_percent": "0"}, "greater than or equal to 1"),
        ({"period_days": ""}, "every 7 to 365 days"),
        ({"ends_at": "2025-12-31T08:00"}, "must end after it starts"),
        ({"trigger": Trigger.CONVERSATION_CLOSED, "audience": "sellers"}, "the buyer is asked"),
        ({"starts_at": "0001-01-01T00:00"}, "Choose a moment from 2000 to 2099"),
        ({"ends_at": "9999-12-31T23:59"}, "Choose a moment from 2000 to 2099"),
    ],
)
def test_an_invalid_survey_is_a_400_with_the_reason(client, staff, changes, message):
    response = as_user(client, staff).post(reverse("office_surveys:create"), form_data(**changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Survey.objects.count() == 0


def test_editing_a_survey_people_were_asked_keeps_its_question(client, staff):
    survey = SurveyFactory(question="Original question?")
    InvitationFactory(survey=survey)
    as_user(client, staff)
    edit = reverse("office_surveys:edit", kwargs={"pk": survey.pk})
    assert "stays as it is" in client.get(edit).content.decode()

    data = form_data(
        question="Changed?",
        kind=Kind.RATING_5,
        trigger=Trigger.CONVERSATION_CLOSED,
        audience="buyers",
        sample_percent="50",
        period_days="",
    )
    response = client.post(edit, data)

    survey.refresh_from_db()
    assert response.status_code == 302
    assert (survey.question, survey.sample_percent) == ("Original question?", 50)


@pytest.fixture
def answered(db):
    """An NPS survey with three answers this week: a promoter, a passive, a detractor."""
    survey = SurveyFactory(title="Platform", kind=Kind.NPS_11, trigger=Trigger.PERIODIC)
    now = timezone.now()
    for score, comment, sentiment in (
        (10, "Love it, <script>alert(1)</script>", "positive"),
        (7, "", ""),
        (3, '=HYPERLINK("http://evil") slow support', "negative"),
    ):
        ResponseFactory(
            invitation__survey=survey,
            score=score,
            comment=comment,
            sentiment=sentiment,
            probabilities={"negative": 0.1, "neutral": 0.2, "positive": 0.7} if comment else {},
            created_at=now,
        )
    InvitationFactory(survey=survey)  # still open
    return survey


def test_the_results_show_the_rate_nps_chart_and_comments(client, staff, answered):
    url = reverse("office_surveys:results", kwargs={"pk": answered.pk})

    response = as_user(client, staff).get(url)
    html = response.content.decode()

    results = response.context["results"]
    assert response.status_code == 200
    assert (results.invited, results.answered, results.still_open) == (4, 3, 1)
    assert results.response_rate == 0.75 and results.summary.nps == 0
    assert "75 %" in html and "1 promoters, 1 passives, 1 detractors" in html
    assert '<svg class="chart-svg"' in html and "The numbers as a table" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert len(response.context["page"].object_list) == 2
    today = timezone.localdate()
    assert f'value="{today:%Y-%m-%d}"' in html  # the fields show the default period used

    negative = client.get(url, {"sentiment": "negative", "bucket": "month"})
    assert [r.score for r in negative.context["page"].object_list] == [3]
    assert negative.context["results"].bucket == "month"


def test_invalid_filters_are_a_400_showing_the_default_period(client, staff, answered):
    url = reverse("office_surveys:results", kwargs={"pk": answered.pk})

    response = as_user(client, staff).get(url, {"since": "2026-05-01", "until": "2026-04-01"})

    assert response.status_code == 400
    assert "The last day comes before the first." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ({"since": "0001-01-01"}, "since", "Choose a day from 1 Jan 2000 to 31 Dec 2099."),
        ({"until": "9999-12-31"}, "until", "Choose a day from 1 Jan 2000 to 31 Dec 2099."),
        ({"since": "2000-01-01", "until": "2026-01-01"}, "since", "at most 10 years"),
        ({"since": "2099-12-01"}, "since", "The first day is after today"),
    ],
)
def test_periods_out_of_range_are_a_400_not_a_crash(client, staff, answered, query, field, reason):
    results = reverse("office_surveys:results", kwargs={"pk": answered.pk})
    export = reverse("office_surveys:export", kwargs={"pk": answered.pk})

    response = as_user(client, staff).get(results, query)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert reason in response.content.decode()
    refused = client.get(export, query)
    assert refused.status_code == 400 and reason in refused.content.decode()


def test_the_csv_export_has_every_answer_and_defuses_formulas(client, staff, answered):
    url = reverse("office_surveys:export", kwargs={"pk": answered.pk})

    response = as_user(client, staff).get(url)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())  # so Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert next(iter(rows[0])) == "response_id"
    assert [row["score"] for row in rows] == ["10", "7", "3"]
    assert [row["satisfied"] for row in rows] == ["yes", "no", "no"]
    assert rows[2]["comment"] == '\'=HYPERLINK("http://evil") slow support'
    assert rows[0]["positive"] == "0.7" and rows[1]["sentiment"] == ""
    only_negative = client.get(url, {"sentiment": "negative"}).content.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(only_negative)))) == 1
    assert client.get(url, {"since": "nonsense"}).status_code == 400
