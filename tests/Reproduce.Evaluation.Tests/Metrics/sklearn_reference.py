#!/usr/bin/python3
"""Writes sklearn_reference.json: classification metrics as the study computed them with
scikit-learn (PROTOCOL.md §7), for ClassificationMetricsReferenceTests to match to 1e-12.

Run from this folder with the system Python (scikit-learn 1.2.1, numpy 1.24):
    /usr/bin/python3 sklearn_reference.py

Each case holds labels, softmax probabilities (computed in float32 like the finetune stage, then
widened to float64) and, per metric, sklearn's value or, where sklearn raises, null and its message.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)


def softmax32(logits):
    z = np.asarray(logits, dtype=np.float32)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float64)


def metric(function):
    try:
        return float(function()), None
    except ValueError as error:
        return None, str(error)


def case(name, labels, probabilities, positive_class=1):
    y = np.asarray(labels, dtype=np.int64)
    p = np.asarray(probabilities, dtype=np.float64)
    classes = p.shape[1]
    predicted = p.argmax(axis=1)
    functions = {
        "accuracy": lambda: accuracy_score(y, predicted),
        "balanced_accuracy": lambda: balanced_accuracy_score(y, predicted),
        "f1_macro": lambda: f1_score(y, predicted, average="macro"),
        "f1_micro": lambda: f1_score(y, predicted, average="micro"),
    }
    if classes == 2:
        positive = positive_class
        functions["auc"] = lambda: roc_auc_score(y == positive, p[:, positive])
        functions["f1"] = lambda: f1_score(y, predicted, pos_label=positive)
        functions["precision"] = lambda: precision_score(y, predicted, pos_label=positive)
        functions["recall"] = lambda: recall_score(y, predicted, pos_label=positive)
    else:
        functions["auc"] = lambda: roc_auc_score(y, p, average="macro", multi_class="ovr")
    expected, errors = {}, {}
    for key, function in functions.items():
        expected[key], error = metric(function)
        if error is not None:
            errors[key] = error
    return {
        "name": name,
        "classes": classes,
        "positive_class": positive_class,
        "labels": y.tolist(),
        "probabilities": p.tolist(),
        "expected": expected,
        "sklearn_errors": errors,
    }


def main():
    rng = np.random.default_rng(20230601)
    cases = []

    # Binary, random scores weakly related to the labels.
    y = rng.integers(0, 2, 200)
    cases.append(case("binary_random", y, softmax32(np.stack([np.zeros(200), 1.2 * y + rng.normal(0, 1.5, 200)], axis=1))))

    # Binary with many tied scores: p_1 takes only 0.0, 0.1, …, 1.0 (0.5 ties break to class 0).
    y = rng.integers(0, 2, 150)
    p1 = np.clip(np.round(0.35 * y + rng.uniform(0, 0.65, 150), 1), 0, 1)
    cases.append(case("binary_tied_scores", y, np.stack([1 - p1, p1], axis=1)))

    # Binary with the positive class 0 (the authors' COVID order: COVID = 0).
    y = rng.integers(0, 2, 120)
    logits = np.stack([0.9 * (y == 0) + rng.normal(0, 1.2, 120), np.zeros(120)], axis=1)
    cases.append(case("binary_positive_class_0", y, softmax32(logits), positive_class=0))

    # Multiclass with 3 and with 11 classes (OrganSMNIST).
    for k, n in ((3, 90), (11, 330)):
        y = rng.integers(0, k, n)
        logits = rng.normal(0, 1, (n, k))
        logits[np.arange(n), y] += 1.0
        cases.append(case(f"multiclass_{k}", y, softmax32(logits)))

    # Multiclass with tied probabilities: rows drawn from a few fixed vectors, some with argmax ties.
    rows = np.array([[0.2, 0.3, 0.5], [0.5, 0.3, 0.2], [0.3, 0.5, 0.2], [0.4, 0.4, 0.2], [0.25, 0.25, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    y = rng.integers(0, 3, 60)
    cases.append(case("multiclass_tied", y, rows[rng.integers(0, len(rows), 60)]))

    # Labels with one class only: AUC raises in sklearn (binary and multiclass).
    cases.append(case("binary_one_class", [1] * 6, [[0.3, 0.7], [0.6, 0.4], [0.2, 0.8], [0.9, 0.1], [0.5, 0.5], [0.1, 0.9]]))
    y = rng.integers(0, 2, 40)
    cases.append(case("multiclass_absent_class", y, softmax32(rng.normal(0, 1, (40, 4)))))

    # A class never predicted: class 2 exists in the labels but never wins the argmax (zero_division → 0).
    y = rng.integers(0, 3, 45)
    logits = rng.normal(0, 1, (45, 3))
    logits[:, 2] -= 10
    cases.append(case("multiclass_class_never_predicted", y, softmax32(logits)))

    # Perfect and all-wrong predictions.
    y = np.array([0, 1, 1, 0, 1, 0, 0, 1])
    cases.append(case("binary_perfect", y, softmax32(np.stack([np.zeros(8), np.where(y == 1, 2.0, -2.0)], axis=1))))
    cases.append(case("binary_all_wrong", y, softmax32(np.stack([np.zeros(8), np.where(y == 1, -2.0, 2.0)], axis=1))))
    y = np.array([0, 1, 2, 2, 1, 0, 2])
    cases.append(case("multiclass_perfect", y, softmax32(3.0 * np.eye(3)[y])))
    cases.append(case("multiclass_all_wrong", y, softmax32(3.0 * np.eye(3)[(y + 1) % 3])))

    here = os.path.dirname(os.path.abspath(__file__))
    # One case per line: diffs of a regenerated file show which cases changed.
    with open(os.path.join(here, "sklearn_reference.json"), "w") as out:
        out.write(f'{{"sklearn": {json.dumps(sklearn.__version__)}, "numpy": {json.dumps(np.__version__)}, "cases": [\n')
        out.write(",\n".join(json.dumps(c) for c in cases))
        out.write("\n]}\n")


if __name__ == "__main__":
    main()
