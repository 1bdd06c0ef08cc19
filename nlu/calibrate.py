"""Out-of-fold probabilities on the exemplars: how accurate the classifier is above each threshold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from nlu.exemplars import EXEMPLAR_DIR, read_exemplars
from nlu.model import embed, prepare_texts
from nlu.training import IntentModel
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
    for conf in sorted({0.3, 0.4, 0.5, current.confident, 0.6, 0.7, 0.8}):
        accepted = (confidence >= conf) & (margin >= current.margin)
        lines.append(
            f"信心 ≥ {conf:.2f} 且差距 ≥ {current.margin:.2f}：涵蓋 {accepted.mean():.3f}，其中正確 {correct[accepted].mean():.3f}"
        )
    for c in classes:
        mask = np.asarray(labels) == c
        lines.append(f"  {c}：{mask.sum()} 句，正確率 {correct[mask].mean():.3f}")
    return lines


CALIBRATION_DIR = Path(__file__).resolve().parent / "data" / "calibration"


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def evidence_levels(assistant) -> list[str]:
    """Evidence tiers of topic answers on in-domain (the topic exemplars) and out-of-domain text
    (no-course topics written for calibration, and the out-of-scope exemplars)."""
    from collections import Counter

    sets = {
        "主題範例（應有課）": _lines(EXEMPLAR_DIR / "topic.txt"),
        "無課主題（校準用）": _lines(CALIBRATION_DIR / "no_course.txt"),
        "範圍外範例": _lines(EXEMPLAR_DIR / "out_of_scope.txt"),
    }
    lines = []
    for name, texts in sets.items():
        counts = Counter()
        for text in texts:
            query = assistant.understand(text, None)
            level, _ = assistant.responder.evidence(query)
            counts[level] += 1
        n = len(texts)
        lines.append(f"{name}：{n} 句，strong {counts['strong'] / n:.3f}、moderate {counts['moderate'] / n:.3f}、none {counts['none'] / n:.3f}")
    return lines
