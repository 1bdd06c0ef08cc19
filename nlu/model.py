"""The intent classifier at answer time: the learned weights applied with numpy alone.

Training (`nlu.training`, scikit-learn) learns a logistic regression over the question's
e5 vector (the one retrieval uses, computed once per question and passed in) and its
character n-grams, which catch short and lexical cues the embedding blurs. What answering
needs from it is a few arrays: the n-gram vocabulary and idf, the two weight blocks and the
bias. They are cached under the data directory by a content hash as one `.npz` (no pickle),
so a fresh process classifies without importing scikit-learn or scipy.
`tests/test_nlu.py` checks the numbers equal scikit-learn's `predict_proba`.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlu.exemplars import EXEMPLAR_DIR, content_hash, read_exemplars

log = logging.getLogger(__name__)
FEATURES_VERSION = "2"  # bump when features, the classifier or the cache format change
# The classifier's settings, read by training too; all part of the cache key.
LEXICAL_WEIGHT = 0.6  # the n-gram block relative to the (unit-length) embedding
C = 32.0  # chosen by 5-fold cross-validation over C ∈ {2, 8, 32} × weight ∈ {0.3, 0.6, 1.0}
NGRAM_RANGE = (1, 3)
_lock = threading.Lock()
_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class IntentGuess:
    intent: str
    confidence: float
    runner_up: str
    runner_up_confidence: float

    @property
    def margin(self) -> float:
        return self.confidence - self.runner_up_confidence


def char_wb_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """scikit-learn's `analyzer="char_wb"` with `lowercase=True`: n-grams inside space-padded words."""
    min_n, max_n = ngram_range
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        word = f" {word} "
        for n in range(min_n, max_n + 1):
            grams.extend(word[i : i + n] for i in range(max(len(word) - n, 0) + 1))
            if len(word) <= n:  # a short word counts once, as scikit-learn does
                break
    return grams


@dataclass(frozen=True)
class IntentWeights:
    """What the trained classifier computes, as arrays: TF-IDF (sublinear tf, idf, l2) then softmax of a linear map."""

    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray
    lexical_w: np.ndarray  # (n-grams × intents), already scaled by the lexical weight
    dense_w: np.ndarray  # (embedding dims × intents)
    bias: np.ndarray
    ngram_range: tuple[int, int]

    @property
    def intents(self) -> list[str]:
        return list(self.classes)

    @classmethod
    def from_model(cls, model) -> "IntentWeights":
        vectorizer, classifier = model.vectorizer, model.classifier
        n_lex = len(vectorizer.vocabulary_)
        coef = classifier.coef_
        return cls(
            classes=tuple(str(c) for c in classifier.classes_),
            vocabulary={str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
            idf=np.asarray(vectorizer.idf_, dtype=np.float64),
            lexical_w=coef[:, :n_lex].T.copy() * LEXICAL_WEIGHT,
            dense_w=coef[:, n_lex:].T.copy(),
            bias=np.asarray(classifier.intercept_, dtype=np.float64),
            ngram_range=tuple(int(n) for n in vectorizer.ngram_range),
        )

    def save(self, path: Path) -> None:
        grams = sorted(self.vocabulary, key=self.vocabulary.get)
        with open(path, "wb") as fh:
            np.savez(
                fh,
                classes=np.asarray(self.classes),
                grams=np.asarray(grams),
                idf=self.idf,
                lexical_w=self.lexical_w,
                dense_w=self.dense_w,
                bias=self.bias,
                ngram_range=np.asarray(self.ngram_range),
            )

    @classmethod
    def load(cls, path: Path) -> "IntentWeights":
        with np.load(path, allow_pickle=False) as data:
            grams = [str(g) for g in data["grams"]]
            return cls(
                classes=tuple(str(c) for c in data["classes"]),
                vocabulary={g: i for i, g in enumerate(grams)},
                idf=data["idf"],
                lexical_w=data["lexical_w"],
                dense_w=data["dense_w"],
                bias=data["bias"],
                ngram_range=tuple(int(n) for n in data["ngram_range"]),
            )

    def _lexical_scores(self, text: str) -> np.ndarray:
        counts = Counter(self.vocabulary[g] for g in char_wb_ngrams(text, self.ngram_range) if g in self.vocabulary)
        if not counts:
            return np.zeros(self.lexical_w.shape[1])
        index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[index]
        values /= np.linalg.norm(values)
        return values @ self.lexical_w[index]

    def probabilities(self, text: str, vector) -> np.ndarray:
        """One question's intent probabilities (the order of `classes`)."""
        scores = self._lexical_scores(text) + np.asarray(vector) @ self.dense_w + self.bias
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def guess(self, text: str, vector) -> IntentGuess:
        probs = self.probabilities(text, vector)
        first, second = np.argsort(-probs)[:2]
        return IntentGuess(self.classes[first], float(probs[first]), self.classes[second], float(probs[second]))


def prepare_texts(texts: list[str], searcher) -> list[str]:
    """The text the classifier and retrieval both see: normalized, lexicon-expanded."""
    return [searcher.prepare(t) for t in texts]


def embed(texts: list[str], embeddings, batch: int = 64) -> np.ndarray:
    parts = [np.asarray(embeddings.embed_queries(texts[i : i + batch])) for i in range(0, len(texts), batch)]
    return np.vstack(parts) if parts else np.zeros((0, 384))


def model_path(data_dir: Path, embeddings, folder: Path = EXEMPLAR_DIR) -> Path:
    key = content_hash(folder, extra=f"{FEATURES_VERSION}|{Path(str(embeddings.name_or_path)).name}|{C}|{LEXICAL_WEIGHT}|{NGRAM_RANGE}")
    return data_dir / "nlu" / f"intents-{key}.npz"


def train(searcher, folder: Path = EXEMPLAR_DIR) -> IntentWeights:
    from nlu.training import IntentModel

    exemplars = read_exemplars(folder)
    texts = prepare_texts(exemplars.texts, searcher)
    vectors = embed(texts, searcher.embeddings)
    return IntentWeights.from_model(IntentModel.fit(texts, exemplars.labels, vectors))


def load_or_train(searcher, data_dir: Path | None = None, folder: Path = EXEMPLAR_DIR, force: bool = False) -> IntentWeights:
    """The cached model for these exemplars and this embedding model; trained when missing or stale."""
    from corpus.settings import get_settings

    path = model_path(data_dir or get_settings().data_dir, searcher.embeddings, folder)
    with _lock:
        if path.exists() and not force:
            try:
                return IntentWeights.load(path)
            except Exception as exc:  # a damaged cache file is rebuilt, not fatal
                log.warning("意圖模型檔無法讀取，重新訓練：%s", exc)
        model = train(searcher, folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        model.save(tmp)
        tmp.replace(path)
        for old in [*path.parent.glob("intents-*.joblib"), *path.parent.glob("intents-*.npz")]:
            if old != path:
                old.unlink(missing_ok=True)
        return model
