"""One benchmark measurement in a fresh process: `python -m bot.bench.worker SPEC.json`.

The benchmark starts one worker per engine and knowledge base, so that each peak-memory figure
belongs to that engine and base only. The worker prints one JSON object (a `Measurement`).
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import fuzz, process, utils

from bot.engine import Index
from bot.knowledge import load
from bot.staff.embeddings import FileVectorStore
from bot.staff.snapshots import FileSnapshotStore
from bot.tuning.evaluation import evaluate, read_cases

Engine = Literal["indexed", "naive"]
ENGINES: tuple[Engine, ...] = ("indexed", "naive")
WARM_UP = ("bonjour", "question sur le contrat", "xyzzy plugh")
"""Queries run before measuring, so that one-off start-up costs are not counted."""


@dataclass(frozen=True, slots=True)
class BenchQuery:
    text: str
    kind: str
    expected: str | None


@dataclass(frozen=True, slots=True)
class Spec:
    """What a worker measures: an engine on a knowledge folder with some queries."""

    engine: Engine
    knowledge_dir: str
    queries: tuple[BenchQuery, ...]
    golden: tuple[str, ...] = ()
    cache_dir: str = ""
    """The embedding cache folder of the indexed engine ("": none, everything is encoded)."""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Spec:
        raw = json.loads(text)
        engine = raw["engine"]
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}")
        return cls(
            engine=engine,
            knowledge_dir=str(raw["knowledge_dir"]),
            queries=tuple(BenchQuery(**q) for q in raw["queries"]),
            golden=tuple(raw.get("golden", ())),
            cache_dir=str(raw.get("cache_dir", "")),
        )


@dataclass(frozen=True, slots=True)
class Measurement:
    """The figures of one worker (times in seconds or milliseconds, memory in MiB)."""

    engine: Engine
    entries: int
    phrasings: int
    load_s: float
    """First load in a fresh process: what a start costs (no cache is warm yet)."""
    median_ms: float
    p99_ms: float
    queries: int
    peak_rss_mib: float
    start_rss_mib: float
    top1: float | None
    """Share of on-topic queries whose best candidate is the entry they were made from."""
    golden: dict[str, dict[str, float]]
    """Golden-table figures per file (indexed engine only)."""


Ask = Callable[[str], str | None]
"""One query → the id of the best entry, or None."""


def _rss_now_mib() -> float:
    """Current resident set size (Linux /proc), or the peak so far elsewhere."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 2**20
    except (OSError, ValueError, IndexError):
        return _peak_rss_mib()


def _peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _build(engine: Engine, folder: str, cache_dir: str = "") -> tuple[Ask, int, int, Index | None]:
    """Load (and index) the base; return the query function, entries, phrasings, the index."""
    knowledge = load(folder)
    if engine == "indexed":
        cache = Path(cache_dir) if cache_dir else None
        index = Index(
            knowledge,
            store=FileVectorStore(cache) if cache else None,
            snapshots=FileSnapshotStore(cache) if cache else None,
        )

        def ask_indexed(text: str) -> str | None:
            decision = index.decide(text)
            return decision.candidates[0].entry.id if decision.candidates else None

        phrasings = sum(len(e.questions) for e in knowledge.entries)
        return ask_indexed, len(knowledge.entries), phrasings, index
    texts = [q for e in knowledge.entries for q in e.questions]
    ids = [e.id for e in knowledge.entries for _ in e.questions]

    def ask_naive(text: str) -> str | None:
        best = process.extractOne(text, texts, scorer=fuzz.WRatio, processor=utils.default_process)
        return ids[best[2]] if best is not None else None

    return ask_naive, len(knowledge.entries), len(texts), None


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    rank = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[rank]


def measure(spec: Spec) -> Measurement:
    """Load (and index) once, run the warm-up then the measured queries, read the peak RSS."""
    gc.collect()
    start_rss = _rss_now_mib()
    started = time.perf_counter()
    ask, entries, phrasings, index = _build(spec.engine, spec.knowledge_dir, spec.cache_dir)
    load_s = time.perf_counter() - started

    for text in WARM_UP if spec.queries else ():
        ask(text)
    latencies: list[float] = []
    hits = on_topic = 0
    for query in spec.queries:
        before = time.perf_counter_ns()
        best = ask(query.text)
        latencies.append((time.perf_counter_ns() - before) / 1e6)
        if query.expected is not None:
            on_topic += 1
            hits += best == query.expected
    peak = max(_peak_rss_mib(), _rss_now_mib())

    golden: dict[str, dict[str, float]] = {}
    if index is not None:
        for path in spec.golden:
            report = evaluate(index, read_cases(path))
            golden[path] = {
                "on_topic": report.on_topic,
                "off_topic": report.off_topic,
                "top1": report.top1,
                "resolved": report.resolved,
                "confidently_wrong": report.confidently_wrong,
                "declined": report.declined,
            }
    return Measurement(
        engine=spec.engine,
        entries=entries,
        phrasings=phrasings,
        load_s=load_s,
        median_ms=statistics.median(latencies) if latencies else 0.0,
        p99_ms=_percentile(latencies, 0.99) if latencies else 0.0,
        queries=len(latencies),
        peak_rss_mib=peak,
        start_rss_mib=start_rss,
        top1=hits / on_topic if on_topic else None,
        golden=golden,
    )


def main(argv: list[str]) -> int:
    spec = Spec.from_json(Path(argv[0]).read_text(encoding="utf-8"))
    result: dict[str, Any] = asdict(measure(spec))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
