"""The intent classifier: logistic regression over the question's e5 vector and its character n-grams.

The e5 vector is the one retrieval uses (computed once per question, passed in); the
character n-grams catch short and lexical cues the embedding blurs. Trained from the
exemplar files, cached under the data directory by a content hash.
"""

from __future__ import annotations

import logging
from collections import Counter
import threading
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from nlu.exemplars import EXEMPLAR_DIR, content_hash, read_exemplars

log = logging.getLogger(__name__)
FEATURES_VERSION = "1"  # bump when features or the classifier change
LEXICAL_WEIGHT = 0.6  # the n-gram block relative to the (unit-length) embedding
C = 32.0  # chosen by 5-fold cross-validation over C ∈ {2, 8, 32} × weight ∈ {0.3, 0.6, 1.0}
_lock = threading.Lock()


@dataclass(frozen=True)
class IntentGuess:
    intent: str
    confidence: float
    runner_up: str
    runner_up_confidence: float

    @property
    def margin(self) -> float:
        return self.confidence - self.runner_up_confidence


def lexical_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1, lowercase=True)


class IntentModel:
    def __init__(self, vectorizer: TfidfVectorizer, classifier: LogisticRegression):
        self.vectorizer = vectorizer
        self.classifier = classifier

    @property
    def intents(self) -> list[str]:
        return list(self.classifier.classes_)

    def features(self, texts: list[str], vectors: np.ndarray):
        lexical = self.vectorizer.transform(texts) * LEXICAL_WEIGHT
        return hstack([lexical, csr_matrix(np.asarray(vectors, dtype=np.float64))]).tocsr()

    def probabilities(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        return self.classifier.predict_proba(self.features(texts, vectors))

    def _split_weights(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The classifier's weights for the n-gram block and the embedding block (computed once)."""
        if getattr(self, "_weights", None) is None:
            coef = self.classifier.coef_
            n_lex = len(self.vectorizer.vocabulary_)
            self._weights = (coef[:, :n_lex].T.copy() * LEXICAL_WEIGHT, coef[:, n_lex:].T.copy(), self.classifier.intercept_)
        return self._weights

    def _lexical_scores(self, text: str, lexical_w: np.ndarray) -> np.ndarray:
        """The TF-IDF block's contribution, computed as the vectorizer would (sublinear tf, idf, l2) for one text."""
        if getattr(self, "_analyzer", None) is None:
            self._analyzer = self.vectorizer.build_analyzer()
        vocabulary = self.vectorizer.vocabulary_
        counts = Counter(vocabulary[g] for g in self._analyzer(text) if g in vocabulary)
        if not counts:
            return np.zeros(lexical_w.shape[1])
        index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.vectorizer.idf_[index]
        values /= np.linalg.norm(values)
        return values @ lexical_w[index]

    def fast_probabilities(self, text: str, vector) -> np.ndarray:
        """`predict_proba` for one question without building the stacked sparse matrix: the same numbers."""
        lexical_w, dense_w, bias = self._split_weights()
        scores = self._lexical_scores(text, lexical_w) + np.asarray(vector) @ dense_w + bias
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def guess(self, text: str, vector) -> IntentGuess:
        probs = self.fast_probabilities(text, vector)
        first, second = np.argsort(-probs)[:2]
        classes = self.classifier.classes_
        return IntentGuess(str(classes[first]), float(probs[first]), str(classes[second]), float(probs[second]))

    @classmethod
    def fit(cls, texts: list[str], labels: list[str], vectors: np.ndarray) -> "IntentModel":
        vectorizer = lexical_vectorizer().fit(texts)
        model = cls(vectorizer, LogisticRegression(C=C, max_iter=3000, class_weight="balanced"))
        model.classifier.fit(model.features(texts, vectors), labels)
        return model


def prepare_texts(texts: list[str], searcher) -> list[str]:
    """The text the classifier and retrieval both see: normalized, lexicon-expanded."""
    return [searcher.prepare(t) for t in texts]


def embed(texts: list[str], embeddings, batch: int = 64) -> np.ndarray:
    parts = [np.asarray(embeddings.embed_queries(texts[i : i + batch])) for i in range(0, len(texts), batch)]
    return np.vstack(parts) if parts else np.zeros((0, 384))


def model_path(data_dir: Path, embeddings, folder: Path = EXEMPLAR_DIR) -> Path:
    key = content_hash(folder, extra=f"{FEATURES_VERSION}|{Path(str(embeddings.name_or_path)).name}|{C}|{LEXICAL_WEIGHT}")
    return data_dir / "nlu" / f"intents-{key}.joblib"


def train(searcher, folder: Path = EXEMPLAR_DIR) -> IntentModel:
    exemplars = read_exemplars(folder)
    texts = prepare_texts(exemplars.texts, searcher)
    vectors = embed(texts, searcher.embeddings)
    return IntentModel.fit(texts, exemplars.labels, vectors)


def load_or_train(searcher, data_dir: Path | None = None, folder: Path = EXEMPLAR_DIR, force: bool = False) -> IntentModel:
    """The cached model for these exemplars and this embedding model; trained when missing or stale."""
    from corpus.settings import get_settings

    path = model_path(data_dir or get_settings().data_dir, searcher.embeddings, folder)
    with _lock:
        if path.exists() and not force:
            try:
                return joblib.load(path)
            except Exception as exc:  # a damaged cache file is rebuilt, not fatal
                log.warning("意圖模型檔無法讀取，重新訓練：%s", exc)
        model = train(searcher, folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        joblib.dump(model, tmp)
        tmp.replace(path)
        for old in path.parent.glob("intents-*.joblib"):
            if old != path:
                old.unlink(missing_ok=True)
        return model
