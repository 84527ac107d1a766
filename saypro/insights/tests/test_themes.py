"""Theme taxonomy, phrase syntax, the matcher and clauses (pure functions, no database)."""

import re

import pytest

from saypro.insights.text import split_sentences
from saypro.insights.themes import (
    DEFAULT_THEMES,
    ThemeHit,
    ThemeMatcher,
    ThemeSpec,
    quoted_phrase,
    theme_clause,
    validate_phrase,
)


@pytest.fixture(scope="module")
def matcher() -> ThemeMatcher:
    return ThemeMatcher(DEFAULT_THEMES)


def found(matcher: ThemeMatcher, text: str) -> list[tuple[str, str, str]]:
    """(slug, text matched, taxonomy phrase) of each hit."""
    return [(hit.slug, text[hit.start : hit.end], hit.phrase) for hit in matcher.find(text)]


def staff_matcher(*phrases: str) -> ThemeMatcher:
    return ThemeMatcher([ThemeSpec("test", "Test", "A theme for tests.", phrases)])


def test_default_taxonomy_has_the_agreed_themes() -> None:
    assert [(theme.slug, theme.name) for theme in DEFAULT_THEMES] == [
        ("fit_size", "Fit & size"),
        ("quality", "Quality & durability"),
        ("material", "Material"),
        ("appearance", "Colour & appearance"),
        ("comfort", "Comfort"),
        ("value", "Price & value"),
        ("delivery", "Delivery"),
        ("packaging", "Packaging"),
        ("service", "Customer service"),
        ("accuracy", "Description accuracy"),
        ("usability", "Ease of use"),
    ]


@pytest.mark.parametrize("theme", DEFAULT_THEMES, ids=lambda theme: theme.slug)
def test_default_themes_have_valid_distinct_phrases(theme: ThemeSpec) -> None:
    normalised = [validate_phrase(phrase) for phrase in theme.phrases]

    # Staff may keep up to 200 phrases a theme (insights.services.MAX_PHRASES): leave them room.
    assert 40 <= len(theme.phrases) <= 180
    assert normalised == list(theme.phrases)
    assert len(set(normalised)) == len(normalised)
    assert theme.description.endswith(".")


@pytest.mark.parametrize("theme", DEFAULT_THEMES, ids=lambda theme: theme.slug)
def test_every_default_phrase_finds_itself_in_its_own_theme(
    matcher: ThemeMatcher, theme: ThemeSpec
) -> None:
    for phrase in theme.phrases:
        text = phrase.replace("*", "s")

        assert found(matcher, text) == [(theme.slug, text, phrase)]


def test_a_phrase_is_in_one_default_theme_only() -> None:
    phrases = [phrase for theme in DEFAULT_THEMES for phrase in theme.phrases]

    assert len(phrases) == len(set(phrases))


def test_find_reports_hits_in_text_order_with_offsets(matcher: ThemeMatcher) -> None:
    text = "Arrived late and the box was crushed. Seller responded quickly with a refund."

    assert matcher.find(text) == [
        ThemeHit("delivery", 0, 12, "arrived late"),
        ThemeHit("packaging", 21, 36, "box was crushed"),
        ThemeHit("service", 38, 54, "seller responded"),
        ThemeHit("service", 70, 76, "refund"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It runs small.", [("fit_size", "runs small", "runs small")]),
        ("It RUNS very small.", [("fit_size", "RUNS very small", "runs small")]),
        ("The sizing is odd", [("fit_size", "sizing", "size")]),
        ("Fitted well", [("fit_size", "Fitted", "fit")]),
        ("It rips", [("quality", "rips", "rip")]),
        ("It ripped", [("quality", "ripped", "rip")]),
        ("True to my size", [("fit_size", "True to my size", "true to size")]),
        ("Smaller in quantity than I expected", []),
        ("Lovely colours", [("appearance", "colours", "colour")]),
        ("The seller's reply", [("service", "seller's", "seller"), ("service", "reply", "reply")]),
        ("It doesnt work", [("quality", "doesnt work", "doesn't work")]),
        ("It is see through", [("material", "see through", "see-through")]),
        ("It is seethrough", [("material", "seethrough", "see-through")]),
        ("It is see-through", [("material", "see-through", "see-through")]),
        ("It fell completely apart", [("quality", "fell completely apart", "fell apart")]),
        ("It fell. Apart from that", []),
        ("The outfit is fine", []),
    ],
)
def test_find_matches_inflections_whole_words_and_one_extra_word(
    matcher: ThemeMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Looks cheap", [("appearance", "Looks cheap", "look cheap")]),
        ("Cheaply made", [("quality", "Cheaply made", "cheaply made")]),
        ("Feels cheap", [("quality", "Feels cheap", "feel cheap")]),
        ("Cheap fabric", [("material", "Cheap fabric", "cheap fabric")]),
        ("It was cheap", [("value", "cheap", "cheap")]),
        ("Small portion size", [("value", "portion size", "portion size")]),
        ("Fit for purpose", [("quality", "Fit for purpose", "fit for purpose")]),
        ("Great to keep fit", []),
        ("Nice packaging", [("packaging", "packaging", "packaging")]),
        (
            "The package arrived late",
            [("delivery", "package", "package"), ("delivery", "arrived late", "arrived late")],
        ),
    ],
)
def test_longer_and_exactly_spelled_phrases_win(
    matcher: ThemeMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Words that a phrase's derived forms would spell by accident.
        ("A cosy sweater", [("comfort", "cosy", "cosy")]),  # not "sweat" + -er
        ("Black tights", []),
        ("No matter what", []),  # not "matte" + -r
        ("The printer jams", []),
        ("My fitness tracker", []),
        ("A potato peeler", []),
        ("The laces came untied", []),
        ("A number of them", []),
        (
            "Slimming and chic",
            [("appearance", "Slimming", "slimming"), ("appearance", "chic", "chic")],
        ),
        # "pretty" as an adverb says nothing about looks; before a theme word it takes that theme.
        ("Pretty dress", [("appearance", "Pretty", "pretty")]),
        ("Pretty much perfect", []),
        ("Pretty good overall", []),
        ("Pretty tight on the hips", [("fit_size", "Pretty tight", "pretty tight")]),
        (
            "Pretty thin fabric",
            [("material", "Pretty thin", "pretty thin"), ("material", "fabric", "fabric")],
        ),
        ("Pretty true to size", [("fit_size", "Pretty true to size", "pretty true to size")]),
        # Figures of speech.
        ("My only complaint is the price", [("value", "price", "price")]),
        ("No complaints here", []),
        ("It wouldn't hurt to add pockets", []),
        ("Earbuds hurt after an hour", [("comfort", "hurt", "hurt")]),
        ("Moved me to tears", []),
        ("Handy during load-shedding", [("usability", "Handy", "handy")]),
        ("Seen in bright light", []),
        (
            "Bright colours",
            [("appearance", "Bright", "bright"), ("appearance", "colours", "colour")],
        ),
        ("Eco-friendly and kid-friendly", []),
        ("Budget-friendly", [("value", "Budget-friendly", "budget-friendly")]),
        ("Arrived safe and sound", [("packaging", "safe and sound", "safe and sound")]),
        ("Tough to find", []),
        ("A tough chew toy", [("quality", "tough", "tough")]),
    ],
)
def test_guards_settle_accidental_forms_and_figures_of_speech(
    matcher: ThemeMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Arriving is no theme; how fast or late it arrived is delivery.
        ("When it arrived I tried it on", []),
        ("Arrived in 3 days", [("delivery", "Arrived in 3 days", "arrived in days")]),
        ("Slow to arrive", [("delivery", "to arrive", "to arrive")]),
        ("Arrived a week early", [("delivery", "week early", "week early")]),
        # Support for the body is comfort; a support team is customer service.
        ("Great lumbar support", [("comfort", "lumbar support", "lumbar support")]),
        (
            "Tech support replied",
            [("service", "Tech support", "tech support"), ("service", "replied", "reply")],
        ),
        # A charger is no theme; how it charges is quality.
        ("The charger is white", []),
        ("Slow to charge", [("quality", "to charge", "to charge")]),
        # Compared with the listing.
        ("Even nicer in person", [("accuracy", "in person", "in person")]),
        (
            "Darker than the swatch",
            [("appearance", "Darker", "darker"), ("accuracy", "swatch", "swatch")],
        ),
        # How it looks, in any tense.
        ("It looked great", [("appearance", "looked great", "look great")]),
        ("Looking good", [("appearance", "Looking good", "look good")]),
    ],
)
def test_default_phrases_for_arrival_support_charging_and_looks(
    matcher: ThemeMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


def test_wildcard_matches_any_ending_of_the_word() -> None:
    matcher = staff_matcher("zip*")

    assert found(matcher, "Zip, zips, zipper, zipped, unzip") == [
        ("test", "Zip", "zip*"),
        ("test", "zips", "zip*"),
        ("test", "zipper", "zip*"),
        ("test", "zipped", "zip*"),
    ]


def test_wildcard_inside_a_phrase() -> None:
    matcher = staff_matcher("zip* broke")

    assert found(matcher, "The zipper broke, the zip soon broke") == [
        ("test", "zipper broke", "zip* broke"),
        ("test", "zip soon broke", "zip* broke"),
    ]


def test_a_theme_added_by_staff_works_in_the_next_matcher(matcher: ThemeMatcher) -> None:
    text = "Gave my son an allergic reaction"
    allergy = ThemeSpec(
        "allergy", "Allergies", "Reactions to the item.", ("allergic reaction", "hives")
    )

    assert matcher.find(text) == []
    assert found(ThemeMatcher([*DEFAULT_THEMES, allergy]), text) == [
        ("allergy", "allergic reaction", "allergic reaction")
    ]


def test_a_phrase_in_two_themes_counts_for_the_first() -> None:
    matcher = ThemeMatcher(
        [
            ThemeSpec("first", "First", "First.", ("stitching",)),
            ThemeSpec("second", "Second", "Second.", ("stitching", "seams")),
        ]
    )

    assert found(matcher, "Stitching and seams") == [
        ("first", "Stitching", "stitching"),
        ("second", "seams", "seams"),
    ]


def test_a_guard_for_a_missing_theme_counts_for_none() -> None:
    matcher = staff_matcher("fit", "purpose")

    assert found(matcher, "Fit for purpose, good fit") == [("test", "fit", "fit")]


def test_an_empty_taxonomy_finds_nothing() -> None:
    assert ThemeMatcher([]).find("runs small") == []


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("  Runs   SMALL ", "runs small"),
        ("Doesn’t work", "doesn't work"),
        ("zip*", "zip*"),
        ("see-through", "see-through"),
        ("the fit", "the fit"),
        ("4k screen", "4k screen"),
    ],
)
def test_validate_phrase_normalises(phrase: str, expected: str) -> None:
    assert validate_phrase(phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("", "Enter a phrase"),
        ("   ", "Enter a phrase"),
        ("a" * 61, "60 characters; this one has 61"),
        ("zip(per)", "remove “(” “)”"),
        ("fit|size", "remove “|”"),
        ("runs_small", "remove “_”"),
        ("*zip", "Put * only at the end of a word"),
        ("zi*p", "Put * only at the end of a word"),
        ("zi*", "at least 3 letters before the *"),
        ("-zip", "should start and end with a letter or a digit"),
        ("one two three four five six seven", "6 words; this one has 7"),
        ("the", "“the” is too common"),
        ("it was", "“it was” is too common"),
        ("not", "“not” is too common"),
    ],
)
def test_validate_phrase_rejects_with_a_message(phrase: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        validate_phrase(phrase)


def test_matcher_rejects_an_invalid_phrase_naming_its_theme() -> None:
    with pytest.raises(ValueError, match="Theme “Test”, phrase “the”"):
        staff_matcher("runs small", "the")


@pytest.mark.parametrize(
    ("phrase", "quoted"),
    [
        (" runs  small ", "“runs small”"),
        ("a" * 40, f"“{'a' * 40}”"),
        ("a" * 41, f"“{'a' * 40}…”"),
        ("word " * 200, f"“{'word ' * 7}word…”"),  # no space left before the "…"
    ],
)
def test_a_refused_phrase_is_quoted_up_to_40_characters(phrase: str, quoted: str) -> None:
    assert quoted_phrase(phrase) == quoted


def test_matcher_quotes_a_long_invalid_phrase_shortened() -> None:
    with pytest.raises(ValueError) as refused:
        staff_matcher("x" * 1000)
    assert str(refused.value) == (
        f"Theme “Test”, phrase “{'x' * 40}…”: Keep a phrase to 60 characters; this one has 1000."
    )


def test_matcher_rejects_duplicate_slugs() -> None:
    theme = ThemeSpec("fit_size", "Fit", "Fit.", ("fit",))

    with pytest.raises(ValueError, match="unique: fit_size"):
        ThemeMatcher([theme, theme])


def test_by_span_groups_hits_per_sentence(matcher: ThemeMatcher) -> None:
    text = "Runs small and tight. Nothing else. Arrived late!"
    spans = split_sentences(text)

    grouped = matcher.by_span(text, spans)

    assert [
        {slug: [hit.phrase for hit in hits] for slug, hits in group.items()} for group in grouped
    ] == [
        {"fit_size": ["runs small", "tight"]},
        {},
        {"delivery": ["arrived late"]},
    ]


def clauses(matcher: ThemeMatcher, text: str) -> list[tuple[str, str]]:
    sentence = split_sentences(text)[0]
    return [(hit.slug, theme_clause(text, sentence, hit).text) for hit in matcher.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Pretty colour but the fabric is thin.",
            [
                ("appearance", "Pretty colour"),
                ("appearance", "Pretty colour"),
                ("material", "the fabric is thin."),
                ("material", "the fabric is thin."),
            ],
        ),
        (
            "Although it's pretty, the fabric is thin; however the fit is great",
            [
                ("appearance", "it's pretty"),
                ("material", "the fabric is thin"),
                ("material", "the fabric is thin"),
                ("fit_size", "the fit is great"),
            ],
        ),
        (
            "Comfy, soft and warm",
            [("comfort", "Comfy, soft and warm"), ("comfort", "Comfy, soft and warm")],
        ),
        ("The colour, yet the fit", [("appearance", "The colour"), ("fit_size", "the fit")]),
        ("Not worn it yet, comfy", [("comfort", "Not worn it yet, comfy")]),
    ],
)
def test_theme_clause_cuts_the_sentence_at_contrast_words(
    matcher: ThemeMatcher, text: str, expected: list[tuple[str, str]]
) -> None:
    assert clauses(matcher, text) == expected


def test_theme_clause_is_a_span_of_the_text(matcher: ThemeMatcher) -> None:
    text = "Intro. Lovely colour, but too tight."
    sentence = split_sentences(text)[1]
    tight = matcher.find(text)[-1]

    clause = theme_clause(text, sentence, tight)

    assert (clause.start, clause.end, clause.text) == (26, 36, "too tight.")
    assert text[clause.start : clause.end] == clause.text
