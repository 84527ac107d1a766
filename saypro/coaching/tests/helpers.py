"""Shared builders and assertions for the coaching tests."""

from saypro.coaching.coach import Coaching, ReviewInput, coach

CHINOS_REVIEW = ReviewInput(
    text=(
        "Ordered my usual size 34 and they are way too tight around the waist. Also the "
        "stitching on the back pocket came loose after one wear. Very disappointed."
    ),
    rating=1,
    product="Slim Fit Chinos",
    reviewer="Themba",
)
HOODIE_REVIEW = ReviewInput(
    text="Super soft and warm, and the colour is exactly like the photos. Arrived in two days.",
    rating=5,
    product="Organic Cotton Hoodie",
    reviewer="Lerato",
)
SPEAKER_REVIEW = ReviewInput(
    text="Great sound and the battery lasts all day. Only downside is the cable is really short.",
    rating=4,
    product="Bluetooth Speaker Mini",
    reviewer="Jason",
)
GOOD_NEGATIVE_ANSWER = (
    "Hi Themba, thank you for letting us know, and we're sorry the chinos were too tight at the "
    "waist and that the back pocket stitching came loose. Please send us a message here on SayPro "
    "and we'll arrange an exchange for a larger size or a full refund, whichever you prefer."
)


def coached(review: ReviewInput, draft: str, **options) -> Coaching:
    """``coach()``, also asserting that every span is exactly the phrase it claims to be."""
    coaching = coach(review, draft, **options)
    for finding in coaching.findings:
        for span in finding.spans:
            assert draft[span.start : span.end] == span.text, (finding.guideline, span)
    return coaching


def flagged(coaching: Coaching, guideline: str) -> list[str]:
    return [span.text for span in coaching.finding(guideline).spans]
