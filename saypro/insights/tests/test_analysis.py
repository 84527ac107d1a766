"""analyze(): sentences, themes with their own sentiment, suggestions, complaints."""

import gc

import pytest

from saypro.insights.analysis import analyze
from saypro.insights.themes import DEFAULT_THEMES, ThemeSpec


def test_a_review_is_split_into_sentences_with_themes_and_suggestions():
    text = "Pretty colour but the fabric is thin. I wish it had pockets! The zipper broke."
    [result] = analyze([text])

    assert [s.text for s in result.sentences] == [
        "Pretty colour but the fabric is thin.",
        "I wish it had pockets!",
        "The zipper broke.",
    ]
    assert all(text[s.start : s.end] == s.text for s in result.sentences)
    assert result.sentences[0].themes == {"appearance": "positive", "material": "negative"}
    assert result.sentences[2].themes == {"quality": "negative"}
    assert result.themes["material"] == "negative"
    assert [(s.text, s.key) for s in result.suggestions] == [("I wish it had pockets!", "pocket")]
    assert result.sentences[1].is_suggestion
    assert result.sentiment == "negative"
    assert abs(sum(result.probabilities.values()) - 1) < 1e-3


def test_results_keep_the_order_of_the_input_across_batches():
    texts = ["Love it!", "Awful, it broke on day one.", ""] * 5
    results = analyze(texts, batch_size=4)
    assert [r.sentiment for r in results[:2]] == ["positive", "negative"]
    assert len(results) == 15
    assert results[2].sentences == () and results[2].themes == {}
    assert [r.sentiment for r in results] == [r.sentiment for r in analyze(texts)]


def test_a_theme_added_by_staff_matches_without_retraining():
    text = "My cat hates it and will not go near it."
    assert analyze([text])[0].themes == {}
    custom = (*DEFAULT_THEMES, ThemeSpec("pets", "Pets", "Animals using it", ("cat", "dog")))
    [result] = analyze([text], themes=custom)
    assert result.themes == {"pets": "negative"}


def test_a_negative_sentence_with_no_theme_is_a_complaint():
    [result] = analyze(["Love the print. It makes a horrible whining noise at night."])
    assert [(s.sentiment, s.is_complaint) for s in result.sentences] == [
        ("positive", False),
        ("negative", True),
    ]


def test_a_negative_suggestion_is_not_a_complaint():
    [result] = analyze(["Please offer a refill."])
    [sentence] = result.sentences
    assert (sentence.sentiment, sentence.themes, sentence.is_suggestion) == ("negative", {}, True)
    assert not sentence.is_complaint


def test_a_vague_ask_is_a_suggestion_with_nothing_to_count():
    [result] = analyze(["Could be so much better with a few changes. Wish it had pockets."])
    assert [s.is_suggestion for s in result.sentences] == [True, True]
    assert not any(s.is_complaint for s in result.sentences)
    assert [(s.sentence_index, s.key) for s in result.suggestions] == [(1, "pocket")]


def test_as_dict_is_json_ready():
    [result] = analyze(["Runs small, order a size up."])
    data = result.as_dict()
    assert data["themes"] == {"fit_size": data["sentences"][0]["themes"]["fit_size"]}
    assert set(data) == {
        "sentiment",
        "probabilities",
        "themes",
        "sentences",
        "suggestions",
        "key_phrases",
    }


def test_the_collector_is_left_as_it_was_found():
    assert gc.isenabled()
    analyze(["Love it!"] * 3, batch_size=2)
    assert gc.isenabled()
    gc.disable()
    try:
        analyze(["Love it!"])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_runs_again_after_a_batch_that_fails():
    with pytest.raises(AttributeError):
        analyze([42])  # type: ignore[list-item]
    assert gc.isenabled()
