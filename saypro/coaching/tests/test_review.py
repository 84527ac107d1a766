"""Reading a review: tone and aspects (saypro.coaching.review)."""

import pytest

from saypro.coaching.review import ReviewInput, Tone, product_stems, profile_review


@pytest.mark.parametrize(
    ("rating", "text", "tone"),
    [
        (1, "Lovely colour.", Tone.NEGATIVE),
        (2, "Fine.", Tone.NEGATIVE),
        (3, "Soft fabric but it runs small.", Tone.MIXED),
        (3, "Thin, scratchy and it shrank.", Tone.NEGATIVE),
        (4, "Great sound. The cable is a bit short though.", Tone.MIXED),
        (4, "Lovely paper, no ink bleeding through.", Tone.POSITIVE),
        (5, "Warm, no itch, and nothing broke.", Tone.POSITIVE),
    ],
)
def test_tone_comes_from_the_rating_moved_by_the_text(rating, text, tone):
    assert profile_review(ReviewInput(text=text, rating=rating, product="Thing")).tone is tone


def test_aspects_are_found_with_their_polarity_and_the_customers_words():
    profile = profile_review(
        ReviewInput(
            text="Super soft fabric, but it runs small and the delivery was late.",
            rating=3,
            product="Linen Shirt",
        )
    )

    found = {(m.aspect, m.polarity, m.cue) for m in profile.mentions}
    assert ("material", 1, "soft") in found
    assert ("sizing", -1, "runs small") in found
    assert ("delivery", -1, "delivery was late") in found


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("The battery died after a day.", "battery"),
        ("Tasted bland and stale.", "taste"),
        ("The instructions were confusing.", "setup"),
        ("Smells of chemicals.", "scent"),
        ("The screen stopped working.", "quality"),
        ("Two pieces were missing.", "completeness"),
    ],
)
def test_aspects_generalise_beyond_clothing(text, aspect):
    profile = profile_review(ReviewInput(text=text, rating=1, product="Thing"))

    assert aspect in profile.aspect_keys


def test_negation_turns_praise_into_a_complaint():
    profile = profile_review(ReviewInput(text="Not soft at all.", rating=2, product="Towel"))

    assert [(m.aspect, m.polarity) for m in profile.mentions] == [("material", -1)]


def test_product_stems_keep_the_telling_words_of_a_title():
    assert product_stems("Men's Merino Socks 3-Pack") == {"merino", "sock"}


@pytest.mark.parametrize(
    "text",
    [
        "Can't fault it, lovely kettle.",
        "No surprises, it works perfectly.",
        "Couldn't be happier with this lamp.",
        "No complaints at all.",
    ],
)
def test_praise_said_with_a_negation_is_not_a_complaint(text):
    profile = profile_review(ReviewInput(text=text, rating=5, product="Kettle"))
    assert (profile.tone, profile.has_complaint) == (Tone.POSITIVE, False)


@pytest.mark.parametrize("rating", [1, 3, 5])
@pytest.mark.parametrize(
    "text",
    [
        "Save your money.",
        "Save yourself the money.",
        "Don't waste your money.",
        "I want my money back.",
    ],
)
def test_advice_not_to_buy_is_a_complaint_not_about_the_price(text, rating):
    profile = profile_review(ReviewInput(text=text, rating=rating, product="Kettle"))

    assert "price" not in profile.aspect_keys
    assert profile.has_complaint


def test_a_way_to_save_money_is_no_complaint():
    profile = profile_review(
        ReviewInput(text="A great way to save your money on coffee.", rating=5, product="Grinder")
    )

    assert (profile.tone, profile.has_complaint) == (Tone.POSITIVE, False)


def test_each_complaint_weighs_how_strongly_and_how_often_it_was_made():
    profile = profile_review(
        ReviewInput(
            text=(
                "Ordered my usual size and they are way too tight around the waist. "
                "The stitching came loose. Also the colour is a bit dull."
            ),
            rating=1,
            product="Chinos",
        )
    )

    weights = {mention.aspect: mention.weight for mention in profile.issues}
    assert weights == {"sizing": 2, "fit": 5, "stitching": 2, "quality": 3, "colour": 1}
    assert [mention.aspect for mention in profile.main_issues] == ["fit", "quality"]
