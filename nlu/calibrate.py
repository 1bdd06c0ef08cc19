"""Out-of-fold probabilities on the exemplars: how accurate the classifier is above each threshold."""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedKFold

from nlu.exemplars import read_exemplars
from nlu.model import IntentModel, embed, prepare_texts
from nlu.thresholds import thresholds


def out_of_fold(searcher, folds: int = 5) -> tuple[list[str], np.ndarray, list[str]]:
    exemplars = read_exemplars()
    texts = prepare_texts(exemplars.texts, searcher)
    vectors = embed(texts, searcher.embeddings)
    labels = np.asarray(exemplars.labels)
    classes = sorted(set(exemplars.labels))
    probs = np.zeros((len(texts), len(classes)))
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, labels):
        model = IntentModel.fit([texts[i] for i in train_idx], list(labels[train_idx]), vectors[train_idx])
        order = [model.intents.index(c) for c in classes]
        probs[test_idx] = model.probabilities([texts[i] for i in test_idx], vectors[test_idx])[:, order]
    return classes, probs, list(labels)


def cross_validate(searcher, folds: int = 5) -> list[str]:
    classes, probs, labels = out_of_fold(searcher, folds)
    top = probs.argmax(1)
    ordered = np.sort(probs, 1)
    confidence, margin = ordered[:, -1], ordered[:, -1] - ordered[:, -2]
    correct = np.asarray([classes[t] == y for t, y in zip(top, labels)])
    lines = [f"{len(labels)} 句範例、{len(classes)} 種意圖、{folds} 折交叉驗證：整體正確率 {correct.mean():.3f}"]
    current = thresholds().intent
    for conf in (0.3, 0.4, 0.5, current.confident, 0.6, 0.7):
        accepted = (confidence >= conf) & (margin >= current.margin)
        lines.append(
            f"信心 ≥ {conf:.2f} 且差距 ≥ {current.margin:.2f}：涵蓋 {accepted.mean():.3f}，其中正確 {correct[accepted].mean():.3f}"
        )
    for c in classes:
        mask = np.asarray(labels) == c
        lines.append(f"  {c}：{mask.sum()} 句，正確率 {correct[mask].mean():.3f}")
    return lines
