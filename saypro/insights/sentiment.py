"""The review sentiment model: static token embeddings, a lexicon and n-grams, one linear layer.

The model reads a text as a stream of word-piece tokens (the all-MiniLM-L6-v2
vocabulary). Each token has a static embedding distilled from that sentence
transformer (``saypro insights train`` runs the distillation), a valence from
the VADER lexicon, and a unigram weight; each adjacent pair a hashed bigram
weight. Tokens inside a negation scope ("not *comfortable*", "does*n't hold*
*charge*") are kept apart: their embeddings are pooled separately, their
valence flips and their unigram weight is a different one. A segment of text
(a review, a sentence, a clause) is scored by one linear layer over

    [mean embedding outside negation, mean embedding inside negation,
     6 lexicon statistics, n-gram counts / sqrt(token count)]

and a softmax over ``negative, neutral, positive``. The pooled embeddings are
means, so their part of the linear layer folds into a 3-number weight per
vocabulary token (``embedding @ weights``) when the model loads: scoring any
token range is then a few sums over small per-token arrays, and a review, its
sentences and the clause around every theme mention are scored from one
tokenisation. That is what makes per-theme sentiment affordable at thousands
of reviews per second.

Tokenisation is BERT's (lower-case, accents stripped, punctuation split off,
greedy longest-match word pieces) written out in Python with a per-word
cache: it needs the vocabulary only, and it is faster than calling a general
tokenizer for every review because reviews repeat the same few thousand
words.

The files live in ``saypro/insights/model/`` (vocabulary.json, weights.npz,
meta.json), ship inside the package and are read once per process
(``default_model()``). Nothing is downloaded.
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path

import numpy as np

from saypro.insights.text import LearnedTable

MODEL_DIR = Path(__file__).with_name("model")
LABELS = ("negative", "neutral", "positive")
NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "neither",
        "nor",
        "without",
        "hardly",
        "barely",
        "cannot",
        "nowhere",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wasnt",
        "wont",
        "cant",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "arent",
        "aint",
        "havent",
        "hasnt",
        "werent",
    ]
)
SCOPE_BREAKERS = frozenset(".,;:!?()") | frozenset(
    ["but", "however", "although", "though", "yet", "except", "and", "whereas"]
)
NEGATED_VALENCE = -0.74  # VADER's scalar for a negated word
MAX_SCOPE = 6  # tokens after a negator that it can reach
LEXICON_FEATURES = 6  # the statistics _lexicon_statistics returns per segment
BIGRAM_PRIME = 1_000_003
MAX_WORD_CHARACTERS = 100
MAX_CACHED_WORDS = 200_000  # distinct words whose pieces are kept, per process


@dataclass(frozen=True)
class Tokens:
    """The token stream of a batch of texts, flattened.

    ``bounds[i]:bounds[i + 1]`` are text ``i``'s tokens; ``char_starts`` is the
    offset in its own text of the word each token belongs to; ``negated`` marks
    the tokens inside a negation scope.
    """

    ids: np.ndarray
    char_starts: np.ndarray
    bounds: np.ndarray
    negated: np.ndarray


class WordPieces:
    """BERT-uncased tokenisation of a batch, with each token's character offset.

    Characters are classed with numpy over the whole batch at once (space, word
    character, other); a run of word characters is a word and every other
    non-space character a word of its own. Each distinct word is split into
    word pieces once (greedy longest match, ``##`` continuations) and cached.
    """

    def __init__(self, vocabulary: dict[str, int]) -> None:
        self.vocabulary = vocabulary
        self.unknown = vocabulary["[UNK]"]
        self._words = LearnedTable(self._pieces, MAX_CACHED_WORDS)

    def encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Token ids, each token's first character in its text, and per-text token bounds.

        Pieces of one word share the word's offset.
        """
        folded = [text.lower() if text.isascii() else _fold(text) for text in texts]
        joined = "\n".join(folded)
        text_starts = np.zeros(len(texts) + 1, np.int64)
        np.cumsum([len(text) + 1 for text in folded], out=text_starts[1:])
        codes = np.frombuffer(joined.encode("utf-32-le"), np.uint32)
        classes = np.empty(len(codes), np.int8)
        is_ascii = codes < 128
        classes[is_ascii] = _ASCII_CLASSES[codes[is_ascii]]
        for position in np.flatnonzero(~is_ascii).tolist():
            classes[position] = _character_class(joined[position])
        is_word = classes == WORD
        is_other = classes == OTHER
        starts_word = is_word.copy()
        starts_word[1:] &= ~is_word[:-1]
        word_starts = np.flatnonzero(is_other | starts_word)
        if joined.isascii():  # the same words, read by the regex engine in one pass
            words = _ASCII_WORDS.findall(joined)
        else:
            word_ends = np.flatnonzero(is_other | (is_word & ~np.r_[is_word[1:], False])) + 1
            words = map(joined.__getitem__, map(slice, word_starts.tolist(), word_ends.tolist()))
        pieces = list(map(self._words.__getitem__, words))
        lengths = np.fromiter(map(len, pieces), np.int64, len(pieces))
        ids = np.fromiter(chain.from_iterable(pieces), np.int64, int(lengths.sum()))
        owners = np.searchsorted(text_starts, word_starts, side="right") - 1
        token_owners = np.repeat(owners, lengths)
        bounds = np.zeros(len(texts) + 1, np.int64)
        np.cumsum(np.bincount(token_owners, minlength=len(texts)), out=bounds[1:])
        char_starts = np.repeat(word_starts, lengths) - text_starts[token_owners]
        return ids, char_starts, bounds

    def _pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_WORD_CHARACTERS:
            return (self.unknown,)
        pieces = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocabulary:
                    pieces.append(self.vocabulary[piece])
                    break
                end -= 1
            else:
                return (self.unknown,)
            start = end
        return tuple(pieces)


SPACE, WORD, OTHER = 0, 1, 2


def _character_class(character: str) -> int:
    if character.isspace() or not character.isprintable():
        return SPACE
    return WORD if character.isalnum() else OTHER


_ASCII_CLASSES = np.array([_character_class(chr(code)) for code in range(128)], np.int8)
# The words of lower-cased ASCII text by the classes above: a run of letters and digits, or
# one printable character that is neither (control characters count as space).
_ASCII_WORDS = re.compile(r"[a-z0-9]+|[!-/:-@\[-`{-~]")


def _fold(text: str) -> str:
    """Lower-case without accents, one character for one, so offsets stay valid."""
    return "".join(_fold_character(character) for character in text)


@cache
def _fold_character(character: str) -> str:
    lowered = character.lower()[:1] or character
    stripped = "".join(
        part for part in unicodedata.normalize("NFD", lowered) if unicodedata.category(part) != "Mn"
    )
    return stripped[:1] or " "


class SentimentModel:
    def __init__(
        self,
        vocabulary: dict[str, int],
        embeddings: np.ndarray,
        valence: np.ndarray,
        dense_weights: np.ndarray,
        sparse_weights: np.ndarray,
        bias: np.ndarray,
        hash_size: int,
        meta: dict,
    ) -> None:
        self.vocabulary = vocabulary
        self.word_pieces = WordPieces(vocabulary)
        self.embeddings = embeddings.astype(np.float32)
        self.dimensions = embeddings.shape[1]
        self.valence = valence.astype(np.float32)
        self.dense_weights = dense_weights.astype(np.float32)
        self.sparse_weights = sparse_weights.astype(np.float32)
        # The same with a zero row after the last, so column -1 (no bigram) adds nothing.
        self._sparse_or_zero = np.vstack([self.sparse_weights, np.zeros((1, 3), np.float32)])
        self.bias = bias.astype(np.float32)
        self.hash_size = hash_size
        self.meta = meta
        self.vocabulary_size = embeddings.shape[0]
        # The mean-pooled embeddings' share of the logits, folded into per-token weights.
        self._plain_logits = self.embeddings @ self.dense_weights[:, : self.dimensions].T
        self._negated_logits = (
            self.embeddings @ self.dense_weights[:, self.dimensions : 2 * self.dimensions].T
        )
        self._lexicon_weights = self.dense_weights[:, 2 * self.dimensions :]
        self._is_negator = np.zeros(self.vocabulary_size, bool)
        self._is_breaker = np.zeros(self.vocabulary_size, bool)
        for word in NEGATORS:
            if word in vocabulary:
                self._is_negator[vocabulary[word]] = True
        for word in SCOPE_BREAKERS:
            if word in vocabulary:
                self._is_breaker[vocabulary[word]] = True
        self._apostrophe = vocabulary["'"]
        self._t = vocabulary["t"]

    @property
    def version(self) -> str:
        return self.meta["version"]

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> "SentimentModel":
        vocabulary = json.loads((directory / "vocabulary.json").read_text(encoding="utf-8"))
        with np.load(directory / "weights.npz") as weights:
            arrays = {name: weights[name] for name in weights.files}
        meta = json.loads((directory / "meta.json").read_text())
        return cls(
            vocabulary,
            arrays["embeddings"],
            arrays["valence"],
            arrays["dense_weights"],
            arrays["sparse_weights"],
            arrays["bias"],
            int(meta["hash_size"]),
            meta,
        )

    # -- tokens -------------------------------------------------------------

    def tokens(self, texts: list[str]) -> Tokens:
        ids, char_starts, bounds = self.word_pieces.encode(texts)
        return Tokens(ids, char_starts, bounds, self._negation_scope(ids, bounds))

    def _negation_scope(self, ids: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """True for tokens a negator reaches: up to MAX_SCOPE tokens, stopped by a breaker."""
        positions = np.arange(len(ids))
        triggers = self._is_negator[ids].copy()
        if len(ids) > 1:  # "doesn't" is three pieces: doesn ' t
            triggers[1:] |= (ids[1:] == self._t) & (ids[:-1] == self._apostrophe)
        text_start = np.repeat(bounds[:-1], np.diff(bounds))
        last_trigger = np.maximum.accumulate(np.where(triggers, positions, -1))
        last_breaker = np.maximum.accumulate(np.where(self._is_breaker[ids], positions, -1))
        return (
            (last_trigger > last_breaker)
            & (last_trigger >= text_start)
            & (positions > last_trigger)
            & (positions - last_trigger <= MAX_SCOPE)
        )

    def sparse_columns(self, tokens: Tokens) -> tuple[np.ndarray, np.ndarray]:
        """Per token, the unigram column, and the bigram column it ends (-1 at a text start)."""
        ids = tokens.ids
        unigrams = ids + self.vocabulary_size * tokens.negated
        bigrams = np.full(len(ids), -1, np.int64)
        if len(ids) > 1:
            bigrams[1:] = 2 * self.vocabulary_size + (ids[:-1] * BIGRAM_PRIME + ids[1:]) % (
                self.hash_size
            )
        bigrams[tokens.bounds[:-1][np.diff(tokens.bounds) > 0]] = -1
        return unigrams, bigrams

    @property
    def sparse_width(self) -> int:
        return 2 * self.vocabulary_size + self.hash_size

    # -- features -----------------------------------------------------------

    def _lexicon_statistics(
        self, tokens: Tokens, starts: np.ndarray, ends: np.ndarray
    ) -> np.ndarray:
        negated = tokens.negated
        valence = self.valence[tokens.ids] * np.where(negated, NEGATED_VALENCE, 1.0)
        sums = _segment_sums(
            np.stack(
                [np.maximum(valence, 0), np.minimum(valence, 0), valence > 0, valence < 0, negated],
                axis=1,
            ).astype(np.float32),
            starts,
            ends,
        )
        count = np.maximum(ends - starts, 1).astype(np.float32)[:, None]
        return np.hstack(
            [
                sums[:, :2] / np.sqrt(count),
                sums[:, 2:4] / count,
                np.tanh((sums[:, 0:1] + sums[:, 1:2]) / 4),
                sums[:, 4:5] / count,
            ]
        )

    def dense_features(self, tokens: Tokens, segments: np.ndarray) -> np.ndarray:
        """Training's view of the dense features of each token range ``segments`` (m, 2).

        [mean embedding outside negation, mean embedding inside, lexicon statistics];
        ``probabilities`` computes the same logits from the folded per-token weights.
        """
        starts, ends = segments[:, 0], segments[:, 1]
        vectors = self.embeddings[tokens.ids]
        inside = _segment_sums(vectors * tokens.negated[:, None], starts, ends)
        plain = _segment_sums(vectors, starts, ends) - inside
        count = np.maximum(ends - starts, 1).astype(np.float32)[:, None]
        return np.hstack(
            [plain / count, inside / count, self._lexicon_statistics(tokens, starts, ends)]
        ).astype(np.float32)

    def probabilities(self, tokens: Tokens, segments: np.ndarray) -> np.ndarray:
        """(m, 3) probabilities of negative, neutral, positive for each token range."""
        segments = np.asarray(segments, np.int64).reshape(-1, 2)
        if not len(segments):
            return np.zeros((0, 3), np.float32)
        if not len(tokens.ids):  # nothing but empty texts: the prior alone
            return _softmax(np.tile(self.bias, (len(segments), 1)))
        starts, ends = segments[:, 0], segments[:, 1]
        negated = tokens.negated[:, None]
        unigrams, bigrams = self.sparse_columns(tokens)
        has_bigram = bigrams >= 0
        sparse_per_token = self.sparse_weights[unigrams] + self._sparse_or_zero[bigrams]
        pooled_per_token = np.where(
            negated, self._negated_logits[tokens.ids], self._plain_logits[tokens.ids]
        )
        sums = _segment_sums(np.hstack([sparse_per_token, pooled_per_token]), starts, ends)
        sparse, pooled = sums[:, :3], sums[:, 3:]
        # A segment's first token may carry the bigram that crosses into it: take it back out.
        first = np.minimum(starts, len(bigrams) - 1)
        crossing = (starts < ends) & has_bigram[first]
        if crossing.any():
            sparse[crossing] -= self.sparse_weights[bigrams[first[crossing]]]
        count = np.maximum(ends - starts, 1).astype(np.float32)[:, None]
        logits = (
            pooled / count
            + sparse / np.sqrt(count)
            + self._lexicon_statistics(tokens, starts, ends) @ self._lexicon_weights.T
            + self.bias
        )
        return _softmax(logits)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """(n, 3) probabilities for whole texts."""
        tokens = self.tokens(texts)
        return self.probabilities(tokens, np.stack([tokens.bounds[:-1], tokens.bounds[1:]], 1))


def _segment_sums(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Sum of ``values[start:end]`` for each segment (empty segments give 0).

    One ``np.add.reduceat`` over interleaved (start, end) indices: the even results are
    the segment sums; a zero row appended keeps an ``end`` at the very end in bounds.
    """
    padded = np.concatenate([values, np.zeros((1, *values.shape[1:]), values.dtype)])
    indices = np.empty(2 * len(starts), np.int64)
    indices[0::2], indices[1::2] = starts, ends
    sums = np.add.reduceat(padded, indices, axis=0)[0::2]
    sums[starts >= ends] = 0
    return sums.astype(np.float32, copy=False)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


@cache
def default_model() -> SentimentModel:
    """The shipped model, loaded once per process."""
    return SentimentModel.load()
