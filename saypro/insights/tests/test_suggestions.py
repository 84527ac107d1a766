"""Suggestions and feature requests, and the keys that group them (pure functions, no database)."""

import pytest

from saypro.insights.suggestions import find_suggestions, is_suggestion, suggestion_key
from saypro.insights.text import split_sentences

SUGGESTIONS = [
    "Wish it had pockets.",
    "I wish they made it in navy.",
    "It would be perfect in a longer length.",
    "Would be nice if the strap was adjustable.",
    "It would be great if it came with batteries.",
    "Would have been better with a hood.",
    "It'd be nice to have a matching belt.",
    "It needs a lid.",
    "Needs more padding.",
    "It should come with a case.",
    "The straps should be longer.",
    "Please make it in black!",
    "Please add a pocket.",
    "I'd love to see more colours.",
    "Would love it in more colours.",
    "It would look great in larger sizes.",
    "Would love pockets",
    "Hope they make a men's version.",
    "If only it had a zip.",
    "It could use a longer cable.",
    "It could be a bit longer.",
    "It could be so much better with a hood.",
    "I would suggest adding a handle.",
    "A lid would be nice.",
    "Can you make this in a bigger size?",
    "Would be nice if it came in black?",
    "They should really add a bigger size.",
    "Bring back the old design!",
    "More sizes please!",
    "Make it in navy please.",
    "- add a pocket",
]

NOT_SUGGESTIONS = [
    "I wish I had bought two.",
    "Wish I'd found this sooner!",
    "I wish you all the best.",
    "I recommend sizing up.",
    "I would suggest sizing up.",
    "I suggest you order a size bigger.",
    "You should size up.",
    "I should have ordered a size up.",
    "Should I size up?",
    "Does it come in blue?",
    "Does it need batteries?",
    "Would it be better to get the large?",
    "Could it be any better?",
    "The packaging could be better.",
    "Could be much better",
    "Couldn't be happier.",
    "Would buy again.",
    "Would recommend!",
    "I would love to buy it again.",
    "I would like a refund.",
    "It would be perfect for my sister.",
    "It would be perfect in the kitchen.",
    "It would be perfect in winter.",
    "It would be nice.",
    "It should arrive tomorrow.",
    "It does what it should.",
    "Exactly what I needed.",
    "Hope it lasts.",
    "Make sure you order a size up.",
    "My only complaint is the colour.",
    "If it had arrived on time I'd give five stars.",
    "You need to be careful with the zip.",
    "Thanks, please reply.",
    "They made it well and I love it; do you make socks too",
]


@pytest.mark.parametrize("sentence", SUGGESTIONS)
def test_is_suggestion(sentence: str) -> None:
    assert is_suggestion(sentence) is True


@pytest.mark.parametrize("sentence", NOT_SUGGESTIONS)
def test_is_not_suggestion(sentence: str) -> None:
    assert is_suggestion(sentence) is False


def test_find_suggestions_gives_the_indices_of_suggesting_sentences() -> None:
    text = (
        "Love it. Wish it had pockets! Should I size up? I wish I had bought two. "
        "Can you make it in red?\nMake it longer please. It would be perfect in black."
    )
    sentences = split_sentences(text)

    assert len(sentences) == 7
    assert find_suggestions(text, sentences) == [1, 4, 5, 6]


def test_find_suggestions_with_no_sentences() -> None:
    assert find_suggestions("", []) == []


def test_an_imperative_counts_only_at_the_start_of_a_sentence() -> None:
    text = "Make it in navy. I had to make it fit with a belt."

    assert find_suggestions(text, split_sentences(text)) == [0]


@pytest.mark.parametrize(
    ("sentences", "key"),
    [
        (
            [
                "Wish it had pockets.",
                "Would love pockets",
                "Needs pockets!",
                "Please add a pocket.",
            ],
            "pocket",
        ),
        (
            [
                "Would be perfect in a longer length.",
                "Wish it came longer",
                "It needs to be longer.",
            ],
            "longer length",
        ),
        (
            [
                "Would love it in more colours.",
                "Wish it came in more colors",
                "More colours please!",
            ],
            "more colours",
        ),
        (["A lid would be nice.", "It should come with a lid.", "If only it had a lid"], "lid"),
        (["Could use a longer cable.", "I'd like a longer cable, honestly."], "longer cable"),
        (["Can you make this in a bigger size?", "Wish it came bigger."], "bigger size"),
        (["Would be great if it came with batteries.", "Should include a battery"], "battery"),
        (["Needs more padding."], "more padding"),
        (["Bring back the old design!"], "old design"),
    ],
)
def test_the_same_request_worded_differently_has_one_key(sentences: list[str], key: str) -> None:
    assert [suggestion_key(sentence) for sentence in sentences] == [key] * len(sentences)


def test_a_key_has_at_most_four_words() -> None:
    key = suggestion_key("Wish it had big deep secure zipped inner pockets for phones")

    assert key == "big deep secure zipped"


def test_a_sentence_without_a_frame_keys_on_its_first_content_words() -> None:
    assert suggestion_key("The colour choices.") == "colour choice"
    assert suggestion_key("Wish it had.") == ""


@pytest.mark.parametrize(
    "sentence",
    [
        "Could be so much better with a few changes.",
        "It needs some changes.",
        "Would be nice with some improvements.",
        "A few tweaks would be nice.",
        "Would love more changes",
        "Needs an upgrade.",
        "Could be better.",
        "Please make it better.",
    ],
)
def test_a_vague_ask_has_no_key(sentence: str) -> None:
    assert suggestion_key(sentence) == ""


def test_a_generic_word_before_the_thing_asked_for_keeps_the_key() -> None:
    assert suggestion_key("Would love a better zip.") == "zip"
    assert suggestion_key("Please change the buttons.") == "button"
    assert suggestion_key("Would love a work bag") == "work bag"
