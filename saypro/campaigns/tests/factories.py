import factory

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.campaigns.models import Campaign, CampaignMember, Segment, Variant


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    name = factory.Sequence(lambda n: f"Segment {n}")
    rules = factory.LazyFunction(dict)
    created_by = factory.SubFactory(StaffFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    segment = factory.SubFactory(SegmentFactory)
    channel = Campaign.Channel.BANNER
    holdout_percent = 10
    created_by = factory.SelfAttribute("segment.created_by")


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    campaign = factory.SubFactory(CampaignFactory)
    label = "A"
    title = "Answer faster this week"
    body = "Buyers who hear back **within a day** buy more."
    cta_label = "Open your inbox"
    cta_path = "/messages/"
    weight = 100


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignMember

    campaign = factory.SubFactory(CampaignFactory)
    user = factory.SubFactory(UserFactory)
    group = CampaignMember.Group.A
