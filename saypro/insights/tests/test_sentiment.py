"""The shipped sentiment model: tokenisation, negation, serving equals training, sanity."""

import json
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saypro.insights.management.commands.insights import TRAINING_FILE
from saypro.insights.sentiment import LABELS, MODEL_DIR, default_model
from saypro.insights.training import LIBRARIES, SUPPLEMENTS, _version

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def model():
    return default_model()


def test_word_pieces_split_words_and_punctuation_with_offsets(model):
    text = "Doesn't fit, Zipper BROKE!"
    tokens = model.tokens([text])
    spelling = {index: piece for piece, index in model.vocabulary.items()}
    pieces = [spelling[i] for i in tokens.ids]
    assert pieces == ["doesn", "'", "t", "fit", ",", "zipper", "broke", "!"]
    assert [text[s] for s in tokens.char_starts] == ["D", "'", "t", "f", ",", "Z", "B", "!"]


def test_accented_text_keeps_offsets(model):
    text = "Très élégant, naïve café"
    tokens = model.tokens([text])
    assert len(tokens.ids) > 0
    assert all(0 <= start < len(text) for start in tokens.char_starts)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_batches_read_the_same_words_as_any_other(text):
    """An all-ASCII batch takes the regex reading of words; a batch with one accented
    text takes the character-class one. Both give every text the same tokens."""
    word_pieces = default_model().word_pieces
    alone = word_pieces.encode([text])
    ids, char_starts, bounds = word_pieces.encode([text, "é"])
    assert ids[: bounds[1]].tolist() == alone[0].tolist()
    assert char_starts[: bounds[1]].tolist() == alone[1].tolist()


def test_negation_reaches_the_next_words_until_punctuation(model):
    tokens = model.tokens(["not comfortable at all. comfortable"])
    negated = tokens.negated.tolist()
    # not | comfortable at all | . | comfortable
    assert negated == [False, True, True, True, False, False]


def test_probabilities_from_folded_weights_equal_the_training_features(model):
    """Serving folds the pooled-embedding weights into per-token weights: same logits."""
    texts = ["The zipper broke after one wash.", "Love it, not bad at all!", ""]
    tokens = model.tokens(texts)
    segments = np.stack([tokens.bounds[:-1], tokens.bounds[1:]], 1)
    dense = model.dense_features(tokens, segments)
    unigrams, bigrams = model.sparse_columns(tokens)
    sparse = np.zeros((len(texts), 3), np.float32)
    for index in range(len(texts)):
        start, end = segments[index]
        columns = list(unigrams[start:end]) + [b for b in bigrams[start:end] if b >= 0]
        sparse[index] = model.sparse_weights[columns].sum(axis=0) / np.sqrt(max(end - start, 1))
    logits = dense @ model.dense_weights.T + sparse + model.bias
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.probabilities(tokens, segments), expected, atol=1e-4)


def test_a_sentence_scores_the_same_alone_and_inside_its_review(model):
    review = "Great colour. The zipper broke after two washes."
    tokens = model.tokens([review])
    start = review.index("The")
    first = int(np.searchsorted(tokens.char_starts, start))
    inside = model.probabilities(tokens, np.array([[first, len(tokens.ids)]]))
    alone = model.predict_proba([review[start:]])
    np.testing.assert_allclose(inside, alone, atol=1e-4)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Absolutely love this dress, fits perfectly and the colour is gorgeous.", "positive"),
        ("Terrible quality, the seams ripped the first time I wore it. Returned.", "negative"),
        ("The battery died after two days and support never answered.", "negative"),
        ("Food was cold and the waiter was rude.", "negative"),
        ("Works great, setup took five minutes.", "positive"),
    ],
)
def test_plain_reviews_get_the_obvious_label(model, text, label):
    assert LABELS[int(model.predict_proba([text])[0].argmax())] == label


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=6))
def test_any_text_gives_a_probability_distribution(texts):
    probabilities = default_model().predict_proba(texts)
    assert probabilities.shape == (len(texts), 3)
    assert np.all(probabilities >= 0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, atol=1e-5)


def test_the_shipped_model_is_named_by_the_inputs_in_the_repository():
    """Retrain after changing a supplement, a setting or a pinned library (docs/insights.md)."""
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]["train"]
    pinned = dict(re.fullmatch(r"([\w-]+)(?:\[\w+\])?==(.+)", line).groups() for line in extra)
    assert set(meta["libraries"]) == set(LIBRARIES)
    assert set(LIBRARIES) - {"numpy"} <= set(pinned)  # numpy is the product's own dependency
    for name, version in meta["libraries"].items():
        if name in pinned:
            assert version.split("+")[0] == pinned[name]
    supplements = [SUPPLEMENTS[0].with_name(name) for name in meta["trained_on"]["supplements"]]
    assert supplements == list(SUPPLEMENTS)
    expected = _version(
        (TRAINING_FILE, *SUPPLEMENTS),
        meta["libraries"],
        meta["seed"],
        meta["dimensions"],
        meta["regularisation"],
    )
    assert meta["version"] == expected
