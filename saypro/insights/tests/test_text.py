"""Sentence splitting and word tokens (pure functions, no database)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saypro.insights.text import (
    MAX_SENTENCE_CHARS,
    MAX_SENTENCE_WORDS,
    LearnedTable,
    Span,
    fold,
    split_sentences,
    words,
)


def sentences(text: str) -> list[str]:
    return [span.text for span in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Great fit. Lovely colour.", ["Great fit.", "Lovely colour."]),
        ("great fit. the colour is nice", ["great fit.", "the colour is nice"]),
        ("Great fit.but the colour is off", ["Great fit.", "but the colour is off"]),
        ("Love it!!! Would buy again?! Yes", ["Love it!!!", "Would buy again?!", "Yes"]),
        ("Wait for it... the zipper broke… Sad", ["Wait for it...", "the zipper broke…", "Sad"]),
        ("Fits well\nColour ran\n\nToo short", ["Fits well", "Colour ran", "Too short"]),
        ("Fits well\r\n\r\nToo short", ["Fits well", "Too short"]),
        ("Soft; warm; cosy. Love it", ["Soft; warm; cosy.", "Love it"]),
        (
            "Good for hiking, e.g. in the rain, i.e. most days. Mr. Smith agreed.",
            ["Good for hiking, e.g. in the rain, i.e. most days.", "Mr. Smith agreed."],
        ),
        ("Dr. Martens vs. Timberland. No contest", ["Dr. Martens vs. Timberland.", "No contest"]),
        ("Size no. 5 fits. No. 6 does not", ["Size no. 5 fits.", "No. 6 does not"]),
        ("I said no. Then it broke", ["I said no.", "Then it broke"]),
        ("Arrives in approx. 3 days. Good", ["Arrives in approx. 3 days.", "Good"]),
        ("Socks, hats etc. The box was fine", ["Socks, hats etc.", "The box was fine"]),
        ("Socks, hats etc. and gloves", ["Socks, hats etc. and gloves"]),
        ("It cost $12.99. Worth 3.5 stars", ["It cost $12.99.", "Worth 3.5 stars"]),
        ("I'm 5'8\" and it fits. Long enough", ["I'm 5'8\" and it fits.", "Long enough"]),
        ("Love it :) The colour is great", ["Love it :)", "The colour is great"]),
        ("Love it :) and the colour", ["Love it :) and the colour"]),
        ("Great! :) Fast delivery", ["Great! :)", "Fast delivery"]),
        (
            "Love it 😍 The colour 😍😍 is amazing!😍 Yes",
            ["Love it 😍", "The colour 😍😍 is amazing!😍", "Yes"],
        ),
        ("Cons:\n- too short\n- itchy", ["Cons:", "- too short", "- itchy"]),
        ("1. Too tight\n2. Colour ran", ["1. Too tight", "2. Colour ran"]),
        ("I gave it 10. The box was fine", ["I gave it 10.", "The box was fine"]),
        ("Got size M. The fit is ok.", ["Got size M.", "The fit is ok."]),
        ("Bought it on amazon.com. Fine", ["Bought it on amazon.com.", "Fine"]),
        (
            'It said "Made in Italy." Then it fell apart',
            ['It said "Made in Italy."', "Then it fell apart"],
        ),
        ("...and then it broke!!! Great", ["...and then it broke!!!", "Great"]),
        ("It is fine (mostly). Good", ["It is fine (mostly).", "Good"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_are_offsets_into_the_text() -> None:
    text = "  Runs small.  Lovely colour!\n\n- too short  "

    assert split_sentences(text) == [
        Span(2, 13, "Runs small."),
        Span(15, 29, "Lovely colour!"),
        Span(31, 42, "- too short"),
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t "])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_run_on_text_is_cut_at_commas_and_ands() -> None:
    clause = "the fabric is soft and the fit is great, I love the colour"
    text = " ".join([clause] * 30)

    spans = split_sentences(text)

    assert len(spans) == 8
    assert all(len(span.text) <= MAX_SENTENCE_CHARS for span in spans)
    assert all(len(span.text.split()) <= MAX_SENTENCE_WORDS for span in spans)
    assert [span.text.split()[-1] for span in spans] == ["soft", *["great,"] * 6, "colour"]
    assert " ".join(span.text for span in spans) == text


def test_run_on_text_without_commas_is_cut_between_words() -> None:
    text = " ".join(["word"] * 200)

    assert [len(span.text.split()) for span in split_sentences(text)] == [60, 60, 60, 20]


def test_one_endless_word_is_cut_at_the_character_limit() -> None:
    assert [len(span.text) for span in split_sentences("x" * 1000)] == [400, 400, 200]


def test_words_are_lower_case_and_keep_contractions() -> None:
    assert words("I DON’T think it's see-through, USB-C works! 5 stars") == [
        "i",
        "don't",
        "think",
        "it's",
        "see-through",
        "usb-c",
        "works",
        "5",
        "stars",
    ]


def test_a_learned_table_computes_each_missing_key_once_and_keeps_at_most_its_limit() -> None:
    calls = []

    def learn(word: str) -> int:
        calls.append(word)
        return len(word)

    table = LearnedTable(learn, limit=2)

    assert list(map(table.__getitem__, ["fit", "zip", "fit", "colour", "colour"])) == [
        3,
        3,
        3,
        6,
        6,
    ]
    assert calls == ["fit", "zip", "colour", "colour"]  # "colour" came past the limit: not kept
    assert dict(table) == {"fit": 3, "zip": 3}


def test_fold_keeps_length_and_straightens_quotes() -> None:
    text = "Don’t — “İstanbul”"

    folded = fold(text)

    assert len(folded) == len(text)
    assert folded == 'don\'t - "İstanbul"'


_REVIEW_ALPHABET = st.sampled_from(
    [
        *"abcXYZ019 ",
        *[". ", "! ", "?", "...", "…", "\n", "\n\n", ";", ",", ":)", " :( ", "😍"],
        *["e.g.", "Mr. ", "no. 5", "$12.99", "5'8\"", "- ", "1. ", "\t", '"', "(", ")", "etc. "],
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_REVIEW_ALPHABET, max_size=80).map("".join)))
def test_spans_cover_every_visible_character_in_order(text: str) -> None:
    spans = split_sentences(text)

    covered = set()
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end
        assert span.text == text[span.start : span.end]
        assert span.text == span.text.strip()
        covered.update(range(span.start, span.end))
        previous_end = span.end
    visible = {index for index, char in enumerate(text) if not char.isspace()}
    assert visible <= covered
