"""Boosted decision trees, walked for all trees at once with numpy.

A tree is nested splits on named values (`{"split": name, "at": threshold, "low": …, "high": …}`,
a value `<= at` goes low) down to leaves (`{"leaf": value}`). `Forest` lays the trees out as
arrays, one row per tree, so that a walk is one numpy step per level for every tree together
instead of a Python loop per node: 150 trees cost about as much as a few of them did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Node = tuple[int, float, int, int, float]
"""(value number, threshold, low child, high child, leaf value) in one tree's node list."""


class UnknownValue(ValueError):
    """A split reads a value whose name is not among those the forest is given."""


class Forest:
    """The trees of a boosted model over the values named `names`, in that order."""

    def __init__(self, trees: Sequence[Mapping[str, Any]], names: Sequence[str]) -> None:
        numbering = {name: number for number, name in enumerate(names)}
        compiled = [_nodes(tree, numbering) for tree in trees]
        width = max((len(nodes) for nodes in compiled), default=1)
        count = len(compiled)
        self._value = np.zeros((count, width), dtype=np.intp)
        self._at = np.full((count, width), np.inf)
        self._low = np.zeros((count, width), dtype=np.intp)
        self._high = np.zeros((count, width), dtype=np.intp)
        self._leaf = np.zeros((count, width))
        for row, nodes in enumerate(compiled):
            for position, (value, at, low, high, leaf) in enumerate(nodes):
                self._value[row, position], self._at[row, position] = value, at
                self._low[row, position], self._high[row, position] = low, high
                self._leaf[row, position] = leaf
        self._rows = np.arange(count)
        self._depth = max((_depth(tree) for tree in trees), default=0)

    def total(self, values: Sequence[float]) -> float:
        """The sum of the leaves that `values` reach, one per tree, in tree order."""
        x = np.asarray(values, dtype=np.float64)
        rows = self._rows
        here: npt.NDArray[np.intp] = np.zeros(len(rows), dtype=np.intp)
        for _ in range(self._depth):
            low = x[self._value[rows, here]] <= self._at[rows, here]
            here = np.where(low, self._low[rows, here], self._high[rows, here])
        # Summed one tree after the other, as the trees were fitted: the same float every time.
        return float(sum(self._leaf[rows, here].tolist(), 0.0))


def _nodes(tree: Mapping[str, Any], numbering: Mapping[str, int]) -> list[Node]:
    """One tree as a flat node list, root first. A leaf points to itself: it stays put (its
    threshold is +inf, so `<=` always goes "low", to itself) while deeper trees walk on."""
    nodes: list[Node] = []

    def add(node: Mapping[str, Any]) -> int:
        position = len(nodes)
        if "leaf" in node:
            nodes.append((0, float("inf"), position, position, float(node["leaf"])))
            return position
        name = node["split"]
        if name not in numbering:
            raise UnknownValue(f"a tree splits on an unknown feature: {name!r}")
        nodes.append((0, 0.0, 0, 0, 0.0))  # placeholder: the children are numbered first
        low, high = add(node["low"]), add(node["high"])
        nodes[position] = (numbering[name], float(node["at"]), low, high, 0.0)
        return position

    add(tree)
    return nodes


def _depth(tree: Mapping[str, Any]) -> int:
    if "leaf" in tree:
        return 0
    return 1 + max(_depth(tree["low"]), _depth(tree["high"]))
