"""Key phrases and emerging topics (pure functions, no database)."""

import pytest

from saypro.insights.phrases import (
    NEGATIONS,
    STOP_WORDS,
    Topic,
    emerging_topics,
    key_phrases,
    stem,
)

ZIPPER = [
    "The zipper broke after two days.",
    "Zip broke the first time I opened it.",
    "My zipper is broken already.",
    "Zipper broke within a week, so disappointed.",
    "The zip broke off completely.",
    "Zipper broken on arrival.",
]
STRAP = [
    "The strap snapped after a week.",
    "Strap snapped the first day.",
    "One strap has snapped already.",
    "The straps snap far too easily.",
    "Shoulder strap snapped while walking.",
]
NOISE = [
    "Smells a bit odd.",
    "My dog hates it.",
    "Not what my husband wanted.",
    "Rained on the day it came.",
    "The parking lot was full.",
    "Terrible, would not buy again.",
]


def test_stop_words_leave_negations_out() -> None:
    assert 170 <= len(STOP_WORDS) <= 200
    assert {"not", "no", "never", "don't"} <= NEGATIONS
    assert not STOP_WORDS & NEGATIONS


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["zipper", "zip", "zips", "zipped"], "zip"),
        (["broke", "broken", "break", "breaks"], "break"),
        (["strap", "straps", "strapped"], "strap"),
        (["colour", "colours", "color", "colors"], "colour"),
        (["battery", "batteries"], "battery"),
        (["size", "sizes", "sizing", "sized"], "siz"),
    ],
)
def test_stem_brings_variants_together(words: list[str], expected: str) -> None:
    assert {stem(word) for word in words} == {expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The zipper broke after two days and the strap snapped.",
            ["zipper broke", "strap snapped"],
        ),
        (
            "Runs small, order a size up. Battery life is poor and it is not comfortable.",
            ["runs small", "battery life", "not comfortable", "size"],
        ),
        ("Great product, great price!", ["great price"]),
        ("No instructions. Never arrived!", ["no instructions", "never arrived"]),
        ("The the the. And, and.", []),
        ("", []),
    ],
)
def test_key_phrases(text: str, expected: list[str]) -> None:
    assert key_phrases(text) == expected


def test_key_phrases_respects_the_limit_and_drops_repeats() -> None:
    text = "Zipper broke. The zippers broke. Strap snapped, handle cracked, lid leaks, colour ran."

    assert key_phrases(text, limit=3) == ["zipper broke", "strap snapped", "handle cracked"]


def test_emerging_topics_finds_the_known_groups() -> None:
    sentences = NOISE[:3] + ZIPPER + NOISE[3:] + STRAP

    assert emerging_topics(sentences) == [
        Topic("zipper broke", (3, 4, 5, 6, 7, 8)),
        Topic("strap snapped", (12, 13, 14, 15, 16)),
    ]


def test_emerging_topics_of_noise_is_empty() -> None:
    assert emerging_topics(NOISE) == []
    assert emerging_topics([]) == []


def test_emerging_topics_minimum_size_and_limit() -> None:
    sentences = ZIPPER + STRAP

    assert [topic.label for topic in emerging_topics(sentences, min_size=6)] == ["zipper broke"]
    assert [topic.label for topic in emerging_topics(sentences, limit=1)] == ["zipper broke"]
    assert emerging_topics(sentences, min_size=7) == []


def test_emerging_topics_order_is_deterministic() -> None:
    sentences = ZIPPER[:5] + STRAP

    topics = emerging_topics(sentences)

    assert topics == [
        Topic("strap snapped", (5, 6, 7, 8, 9)),
        Topic("zipper broke", (0, 1, 2, 3, 4)),
    ]
    assert emerging_topics(list(reversed(sentences))) == [
        Topic("strap snapped", (0, 1, 2, 3, 4)),
        Topic("zipper broke", (5, 6, 7, 8, 9)),
    ]


def test_a_word_in_every_sentence_loses_to_a_telling_one() -> None:
    sentences = [
        "The bag zip broke.",
        "My bag has a broken zip.",
        "Bag zip broke again.",
        "The bag strap snapped.",
        "Strap on the bag snapped.",
        "That bag strap snapped.",
    ]

    assert emerging_topics(sentences) == [
        Topic("strap snapped", (3, 4, 5)),
        Topic("zip broke", (0, 1, 2)),
    ]


def test_emerging_topics_rejects_a_minimum_below_one() -> None:
    with pytest.raises(ValueError, match="min_size"):
        emerging_topics(ZIPPER, min_size=0)


def test_what_reviews_say_about_themselves_names_no_topic():
    sentences = [
        "One star because I can't give zero.",
        "One star because I can't give zero!",
        "I'd give it zero stars.",
        "For context, I shop online a lot.",
        "For context, I'm hard to please.",
        "Some context: I returned the first one.",
        "I waited to write this until I'd used it properly.",
        "Only reviewing now that I have used it properly.",
        "I wanted to use it properly before I said anything.",
        "Worst purchase I've made this year.",
        "The worst purchase I have made in ages.",
        "Worst purchase I made this month.",
    ]
    assert emerging_topics(sentences) == []


def test_names_passed_to_ignore_never_name_a_topic():
    sentences = [
        "Stellenbosch Atelier never replied to my email.",
        "I will not order from Stellenbosch Atelier again.",
        "Stellenbosch Atelier sent the wrong colour.",
        "Honestly, Stellenbosch Atelier let me down.",
    ]
    assert [topic.label for topic in emerging_topics(sentences)] == ["stellenbosch atelier"]
    assert emerging_topics(sentences, ignore=["Stellenbosch Atelier", "Linen shirt"]) == []


def test_with_background_only_words_said_mostly_in_complaints_name_a_topic():
    complaints = [
        "The zipper jammed on the first day, thank you for nothing.",
        "Zipper jammed halfway, I would not highly recommend it.",
        "My zipper jammed twice, thank goodness for safety pins.",
        "Highly annoyed, the zipper jammed again.",
        "Thank you, but it was highly overpriced.",
        "Highly disappointing, thank you for nothing.",
        "Thank you for ignoring my email, highly rude.",
    ]
    praise = [
        "Thank you, I highly recommend this shop.",
        "Highly recommended, thank you so much!",
        "Thank you for the quick delivery, highly rated.",
        "I would highly recommend it to anyone, thank you.",
        "Thank you, highly satisfied.",
    ]
    assert [topic.label for topic in emerging_topics(complaints)] == ["zipper jammed", "highly"]
    topics = emerging_topics(complaints, background=complaints + praise)
    assert [(topic.label, topic.members) for topic in topics] == [("zipper jammed", (0, 1, 2, 3))]


def test_a_problem_most_reviews_complain_about_is_still_a_topic():
    complaints = [f"The zipper jammed on day {day}." for day in range(1, 9)]
    reviews = [*complaints, "Lovely colour, thank you.", "Fits well."]
    [topic] = emerging_topics(complaints, background=reviews)
    assert (topic.label, len(topic.members)) == ("zipper jammed", 8)
