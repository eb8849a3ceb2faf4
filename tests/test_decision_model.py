"""The answer model's trees: read from model.json by feature name, walked as LightGBM walks them."""

from __future__ import annotations

import json

import lightgbm
import numpy as np
import pytest

from bot.engine.decision import (
    FEATURE_NAMES,
    MODEL_FILE,
    DecisionModel,
    Features,
    ModelError,
    Trees,
)
from bot.tuning.calibration import TREE_COUNT, fit_trees, tree_parameters


def _cases(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    rows = rng.uniform(0.0, 1.0, size=(count, len(FEATURE_NAMES)))
    semantic, matched = FEATURE_NAMES.index("semantic"), FEATURE_NAMES.index("matched")
    noise = rng.normal(0.0, 0.15, size=count)
    labels = (rows[:, semantic] + 0.5 * rows[:, matched] + noise > 0.8).astype(float)
    return rows, labels


def test_the_trees_give_lightgbm_s_own_probabilities() -> None:
    rows, labels = _cases(400, seed=1)
    trees = fit_trees(rows, labels)
    assert len(trees.trees) == TREE_COUNT
    unseen, _ = _cases(50, seed=2)
    ours = [trees.probability(Features(*(float(v) for v in row))) for row in unseen]
    # The same fit kept inside LightGBM: its own predictions, against the trees read from JSON.
    data = lightgbm.Dataset(rows, label=labels, params={"verbose": -1})
    reference = lightgbm.train(tree_parameters(), data, num_boost_round=TREE_COUNT)
    assert np.allclose(ours, reference.predict(unseen), atol=1e-5)
    assert min(ours) < 0.2 and max(ours) > 0.8  # the trees tell cases apart


def test_a_tree_on_an_unknown_feature_is_refused_when_the_model_is_read() -> None:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    tree = {"split": "colour", "at": 0.5, "low": {"leaf": 0.0}, "high": {"leaf": 1.0}}
    data["answer"] = {"trees": [tree]}
    with pytest.raises(ModelError, match="colour"):
        DecisionModel.from_json(json.dumps(data))


def test_the_shipped_model_reads_back_to_the_same_file() -> None:
    text = MODEL_FILE.read_text(encoding="utf-8")
    model = DecisionModel.from_json(text)
    assert isinstance(model.answer, Trees)
    assert model.to_json() == text
