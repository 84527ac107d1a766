"""Office pages per role, the builder's count, the campaign editor, tracking links, the banner."""

import pytest
from django.urls import reverse

from saypro.accounts.tests.factories import UserFactory
from saypro.campaigns import services
from saypro.campaigns.models import Campaign, CampaignMember, Segment
from saypro.campaigns.tests.factories import CampaignFactory, SegmentFactory, VariantFactory
from saypro.campaigns.tokens import make_tracking_token


@pytest.fixture
def segment(staff):
    return SegmentFactory(created_by=staff, name="Everyone")


@pytest.fixture
def campaign(segment):
    campaign = CampaignFactory(segment=segment, name="Answer faster week")
    VariantFactory(campaign=campaign)
    return campaign


def office_urls(campaign):
    return [
        reverse("office_campaigns:list"),
        reverse("office_campaigns:new"),
        reverse("office_campaigns:detail", args=[campaign.pk]),
        reverse("office_campaigns:edit", args=[campaign.pk]),
        reverse("office_campaigns:segments"),
        reverse("office_campaigns:segment_new"),
        reverse("office_campaigns:segment", args=[campaign.segment.pk]),
        reverse("office_campaigns:segment_count"),
    ]


def test_office_pages_open_for_office_staff(client, staff, campaign):
    client.force_login(staff)
    for url in office_urls(campaign):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["buyer", "seller", "agent"])
def test_office_pages_are_forbidden_to_others(client, request, who, campaign):
    client.force_login(request.getfixturevalue(who))
    for url in office_urls(campaign):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("office_campaigns:send", args=[campaign.pk]))
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_anonymous_people_are_sent_to_log_in(client, campaign):
    for url in office_urls(campaign):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_live_count_answers_json(client, staff, buyer, seller):
    client.force_login(staff)
    url = reverse("office_campaigns:segment_count")
    assert client.get(url).json()["count"] == 3
    response = client.get(url, {"role-role": "seller"})
    assert response.json() == {
        "count": 1,
        "rules": ["Sellers (owners and agents of an active store)"],
    }
    bad = client.get(url, {"activity-action": "messages_at_least", "activity-days": "0"})
    assert bad.status_code == 400
    assert bad.json()["error"]["details"] == {"field": "activity-days"}


def test_the_builder_counts_without_javascript_then_saves(client, staff, buyer, seller):
    client.force_login(staff)
    url = reverse("office_campaigns:segment_new")
    data = {"name": "Sellers", "role-role": "seller", "category-relation": "bought"}
    response = client.post(url, {**data, "action": "count"})
    assert response.status_code == 200 and response.context["count"] == 1
    assert Segment.objects.count() == 0
    response = client.post(url, {**data, "action": "save"})
    assert response.status_code == 302
    assert Segment.objects.get().rules == {"role": {"role": "seller"}}


def test_the_builder_refuses_bad_rules_and_saves_nothing(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("office_campaigns:segment_new"),
        {"name": "Busy", "activity-action": "messages_at_least", "category-relation": "bought"},
    )
    assert response.status_code == 400
    assert "Give a number for this activity rule." in response.content.decode()
    assert Segment.objects.count() == 0


def campaign_post(segment, **changes):
    data = {
        "name": "Quick answers",
        "segment": segment.pk,
        "channel": "in_app_banner",
        "holdout_percent": "10",
        "a_title": "Answer within a day",
        "a_body": "Buyers **love** it. <script>alert(1)</script>",
        "a_cta_label": "Open inbox",
        "a_cta_path": "/messages/",
        "a_weight": "50",
    }
    data.update(changes)
    return data


def test_create_preview_and_send_a_campaign(client, staff, segment, buyer):
    client.force_login(staff)
    url = reverse("office_campaigns:new")
    preview = client.post(url, {**campaign_post(segment), "action": "preview"})
    assert preview.status_code == 200 and Campaign.objects.count() == 0
    page = preview.content.decode()
    assert "<strong>love</strong>" in page and "<script>alert(1)</script>" not in page
    response = client.post(url, {**campaign_post(segment), "action": "save"})
    campaign = Campaign.objects.get()
    assert response.url == reverse("office_campaigns:detail", args=[campaign.pk])
    response = client.post(reverse("office_campaigns:send", args=[campaign.pk]))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    again = client.post(reverse("office_campaigns:send", args=[campaign.pk]))
    assert again.status_code == 409
    assert campaign.members.count() == 2  # the buyer and the office person
    detail = client.get(reverse("office_campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Measuring — final on" in detail


def test_bad_campaign_input_is_a_400_next_to_the_field(client, staff, segment):
    client.force_login(staff)
    response = client.post(
        reverse("office_campaigns:new"),
        campaign_post(segment, a_cta_path="https://evil.example/", action="save"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["a_cta_path"] == [
        "Variant A: the button leads to a page of this site, e.g. /seller/."
    ]
    response = client.post(
        reverse("office_campaigns:new"), campaign_post(segment, with_b="on", action="save")
    )
    assert response.status_code == 400 and "b_title" in response.context["form"].errors
    assert Campaign.objects.count() == 0


def test_schedule_in_the_past_is_refused(client, staff, campaign):
    client.force_login(staff)
    response = client.post(
        reverse("office_campaigns:schedule", args=[campaign.pk]), {"send_at": "2020-01-01T09:00"}
    )
    assert response.status_code == 400
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_a_member_sees_the_banner_clicks_it_and_it_is_gone(client, staff, campaign, buyer):
    campaign.holdout_percent = 0
    campaign.save()
    services.send_campaign_now(staff=staff, campaign=campaign)
    member = campaign.members.get(user=buyer)
    client.force_login(buyer)
    page = client.get(reverse("catalog:home")).content.decode()
    assert "Answer faster this week" in page and "<strong>within a day</strong>" in page
    member.refresh_from_db()
    assert member.opened_at is not None and member.clicked_at is None
    response = client.get(reverse("campaigns:click", args=[make_tracking_token(member.pk)]))
    assert response.status_code == 302 and response.url == "/messages/"
    member.refresh_from_db()
    assert member.clicked_at is not None
    assert "Answer faster this week" not in client.get(reverse("catalog:home")).content.decode()


def test_dismissing_the_banner(client, staff, campaign, buyer):
    campaign.holdout_percent = 0
    campaign.save()
    services.send_campaign_now(staff=staff, campaign=campaign)
    member = campaign.members.get(user=buyer)
    client.force_login(buyer)
    response = client.post(
        reverse("campaigns:dismiss", args=[member.pk]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/"
    assert "Answer faster this week" not in client.get(reverse("catalog:home")).content.decode()
    other = UserFactory()
    client.force_login(other)
    assert client.post(reverse("campaigns:dismiss", args=[member.pk])).status_code == 404


def test_click_links_never_redirect_off_site(client, staff, campaign, buyer):
    services.send_campaign_now(staff=staff, campaign=campaign)
    member = campaign.members.get(user=buyer)
    token = make_tracking_token(member.pk)
    assert client.get(f"/c/{token}x/").status_code == 404
    assert client.get("/c/https:%2F%2Fevil.example/").status_code == 404
    # Even a variant changed behind the service's back to a URL is not followed.
    campaign.variants.update(cta_path="https://evil.example/")
    assert client.get(reverse("campaigns:click", args=[token])).status_code == 404
    member.refresh_from_db()
    assert member.clicked_at is None


def test_the_pixel_is_an_image_for_any_token(client, staff, campaign, buyer):
    campaign.channel = Campaign.Channel.BANNER
    campaign.save()
    services.send_campaign_now(staff=staff, campaign=campaign)
    member = campaign.members.exclude(group=CampaignMember.Group.HOLDOUT).first()
    response = client.get(reverse("campaigns:pixel", args=[make_tracking_token(member.pk)]))
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    assert client.get(reverse("campaigns:pixel", args=["forged"])).status_code == 200


def test_the_campaign_list_costs_the_same_queries_for_more_campaigns(
    client, staff, segment, django_assert_max_num_queries
):
    client.force_login(staff)
    for _ in range(2):
        VariantFactory(campaign__segment=segment)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("office_campaigns:list"))
    for _ in range(10):
        VariantFactory(campaign__segment=segment)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("office_campaigns:list"))
    assert len(response.context["page"].object_list) == 12


def test_an_htmx_partial_does_not_count_the_banner_as_shown(client, staff, campaign, buyer):
    campaign.holdout_percent = 0
    campaign.save()
    services.send_campaign_now(staff=staff, campaign=campaign)
    client.force_login(buyer)
    client.get(reverse("notifications:menu"), headers={"HX-Request": "true"})
    assert campaign.members.get(user=buyer).opened_at is None


def test_no_banner_is_remembered_until_a_banner_campaign_is_sent(
    client,
    staff,
    campaign,
    buyer,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    client.force_login(buyer)
    client.get(reverse("catalog:home"))
    with django_assert_max_num_queries(50) as page:
        client.get(reverse("catalog:home"))
    assert not any("campaigns_" in query["sql"] for query in page.captured_queries)
    campaign.holdout_percent = 0
    campaign.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_campaign_now(staff=staff, campaign=campaign)
    assert "Answer faster this week" in client.get(reverse("catalog:home")).content.decode()


@pytest.fixture
def email_campaign(segment):
    campaign = CampaignFactory(segment=segment, channel=Campaign.Channel.EMAIL)
    VariantFactory(campaign=campaign, title="Faster <answers> & more", weight=50)
    VariantFactory(campaign=campaign, label="B", title="Answer within a day", weight=50)
    return campaign


def test_the_office_sees_each_variants_email_as_sent_but_untracked(client, staff, email_campaign):
    client.force_login(staff)
    detail = client.get(reverse("office_campaigns:detail", args=[email_campaign.pk]))
    link = reverse("office_campaigns:email", args=[email_campaign.pk, "b"])
    assert link in detail.content.decode()

    page = client.get(reverse("office_campaigns:email", args=[email_campaign.pk, "a"]))

    assert page.status_code == 200
    email = page.context["email"]
    assert email.subject == "Faster <answers> & more"
    assert "<strong>within a day</strong>" in email.html and "Hello" in email.text
    assert "http://127.0.0.1:8000/messages/" in email.html  # the button, straight to its page
    assert "/c/" not in email.html and "open.gif" not in email.html  # nothing tracked
    assert "/notifications/unsubscribe" not in email.html
    html = page.content.decode()
    assert "Faster &lt;answers&gt; &amp; more" in html  # subject and text version, escaped
    assert "<answers>" not in html
    assert 'srcdoc="&lt;!doctype html&gt;' in html  # the email inside a sandboxed frame
    assert "variant A" in html


@pytest.mark.parametrize("label", ["c", "ab"])
def test_an_unknown_variant_has_no_email(client, staff, email_campaign, label):
    client.force_login(staff)
    url = reverse("office_campaigns:email", args=[email_campaign.pk, label])
    assert client.get(url).status_code == 404


def test_a_banner_campaign_has_no_email(client, staff, campaign):
    client.force_login(staff)
    assert client.get(reverse("office_campaigns:email", args=[campaign.pk, "a"])).status_code == 404


@pytest.mark.parametrize("who", ["buyer", "seller", "agent"])
def test_only_office_staff_see_a_campaign_email(client, request, who, email_campaign):
    url = reverse("office_campaigns:email", args=[email_campaign.pk, "a"])
    assert "/accounts/login/" in client.get(url).url
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 403
