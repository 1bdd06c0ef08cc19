"""Training the intent classifier with scikit-learn: logistic regression over the e5 vector and character n-grams.

Only training and cross-validation import scikit-learn. Answering questions uses the
weights it learned (`nlu.model.IntentWeights`), so a fresh process answers without
loading scikit-learn and scipy (about 2–4 s of start-up on this machine).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from nlu.model import C, LEXICAL_WEIGHT, NGRAM_RANGE


def lexical_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, sublinear_tf=True, min_df=1, lowercase=True)


class IntentModel:
    """The scikit-learn pair: a TF-IDF vectorizer and the logistic regression over [n-grams, e5 vector]."""

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

    @classmethod
    def fit(cls, texts: list[str], labels: list[str], vectors: np.ndarray) -> "IntentModel":
        vectorizer = lexical_vectorizer().fit(texts)
        model = cls(vectorizer, LogisticRegression(C=C, max_iter=3000, class_weight="balanced"))
        model.classifier.fit(model.features(texts, vectors), labels)
        return model
