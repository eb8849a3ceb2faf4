"""`python -m bot bench`: the engine's speed and memory against the naive rapidfuzz scan.

For each synthetic size (and the real knowledge base), two fresh worker processes measure the
indexed engine (`load()` + `Index`, then `Index.decide`) and the naive one (`load()` + the list
of phrasings, then `process.extractOne` with `WRatio` over every phrasing) on the same queries.
Figures are printed as a Markdown table (French, like every user-facing text); nothing is timed
in the test suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.bench import synthetic, throughput, web
from bot.bench.worker import BenchQuery, Engine, Measurement, Spec
from bot.tuning.evaluation import FALLBACK, read_cases

TARGET_SPEEDUP = 20.0
TARGET_LOAD_RATIO = 2.0
TARGET_PEAK_MIB = 400.0
TARGET_FIRST_START_S = 60.0
TARGET_REAL_MEDIAN_MS = 3.0
TARGET_UPDATES_PER_SECOND = 300.0
TARGET_WEB_PER_SECOND = 500.0
TARGET_WEB_P99_MS = 20.0
COLUMNS = (
    "base",
    "moteur",
    "entrées",
    "formulations",
    "premier démarrage",
    "chargement",
    "médiane/requête",
    "p99/requête",
    "pic mémoire",
    "top-1",
)
ENGINE_LABELS: dict[Engine, str] = {"indexed": "indexé", "naive": "naïf (WRatio)"}


class BenchError(RuntimeError):
    """A worker failed; the message carries its error output."""


@dataclass(frozen=True, slots=True)
class Row:
    """One knowledge base measured with both engines."""

    label: str
    indexed: Measurement
    """A restart: the embedding cache is warm."""
    naive: Measurement
    first_start: Measurement
    """The indexed engine's first start: every text of the base is encoded."""


def _number(value: float, digits: int) -> str:
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")


def _ms(value: float) -> str:
    return f"{_number(value, 3 if value < 1 else 2 if value < 10 else 1)} ms"


def _seconds(value: float) -> str:
    return f"{_number(value, 3 if value < 1 else 2)} s"


def _share(value: float | None) -> str:
    return "–" if value is None else f"{_number(100 * value, 1)} %"


def _ratio(value: float) -> str:
    return f"×{_number(value, 1)}"


def _memory(m: Measurement) -> str:
    rise = max(0.0, m.peak_rss_mib - m.start_rss_mib)
    return f"{_number(m.peak_rss_mib, 0)} Mio (+{_number(rise, 0)})"


def _measurement(spec: Spec, workdir: Path) -> Measurement:
    """Run one measurement in a fresh Python process."""
    path = workdir / f"spec-{spec.engine}-{time.monotonic_ns()}.json"
    path.write_text(spec.to_json(), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "bot.bench.worker", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise BenchError(proc.stderr.strip() or f"code de sortie {proc.returncode}")
    return Measurement(**json.loads(proc.stdout))


def measure_base(
    label: str,
    folder: Path,
    queries: Sequence[BenchQuery],
    workdir: Path,
    golden: Sequence[Path] = (),
) -> Row:
    """Both engines on one knowledge folder, each in its own process.

    The indexed engine starts twice: once with an empty embedding cache (a first start, load
    only), then again with the cache it wrote (a restart, where the queries are measured).
    """
    cache = str(workdir / f"cache-{time.monotonic_ns()}")
    print(f"… {label} : premier démarrage", file=sys.stderr, flush=True)
    first = _measurement(Spec("indexed", str(folder), (), (), cache), workdir)
    results: dict[Engine, Measurement] = {}
    for engine in ("indexed", "naive"):
        print(f"… {label} : moteur {ENGINE_LABELS[engine]}", file=sys.stderr, flush=True)
        spec = Spec(
            engine=engine,
            knowledge_dir=str(folder),
            queries=tuple(queries),
            golden=tuple(str(p) for p in golden) if engine == "indexed" else (),
            cache_dir=cache if engine == "indexed" else "",
        )
        results[engine] = _measurement(spec, workdir)
    return Row(label, results["indexed"], results["naive"], first)


def synthetic_base(size: int, query_count: int, workdir: Path) -> tuple[Path, list[BenchQuery]]:
    """Write a synthetic base of `size` entries; return its folder and its queries."""
    entries = synthetic.generate(size)
    folder = workdir / f"base-{size}"
    synthetic.write(entries, folder)
    queries = [
        BenchQuery(q.text, q.kind, q.expected) for q in synthetic.queries(entries, query_count)
    ]
    return folder, queries


def golden_queries(paths: Sequence[Path]) -> list[BenchQuery]:
    """The golden tables' questions, as queries on the real base."""
    return [
        BenchQuery(c.question, "golden", None if c.expected == FALLBACK else c.expected)
        for path in paths
        for c in read_cases(path)
    ]


def table(rows: Sequence[Row]) -> list[str]:
    """The Markdown table: one line per engine and base, then the ratio between them."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        for engine, m in (("indexed", row.indexed), ("naive", row.naive)):
            cells = [
                row.label,
                ENGINE_LABELS[engine],  # type: ignore[index]
                _number(m.entries, 0),
                _number(m.phrasings, 0),
                _seconds(row.first_start.load_s) if engine == "indexed" else "–",
                _seconds(m.load_s),
                _ms(m.median_ms),
                _ms(m.p99_ms),
                _memory(m),
                _share(m.top1),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        i, n = row.indexed, row.naive
        ratio = [
            row.label,
            "**rapport**",
            "",
            "",
            "",
            f"{_ratio(i.load_s / n.load_s)} (indexé / naïf)",
            f"**{_ratio(n.median_ms / i.median_ms)}** plus rapide",
            f"{_ratio(n.p99_ms / i.p99_ms)} plus rapide",
            f"{_ratio(i.peak_rss_mib / n.peak_rss_mib)}",
            "",
        ]
        lines.append("| " + " | ".join(ratio) + " |")
    return lines


def targets(row: Row, real: Row) -> list[str]:
    """Each target, checked on the largest synthetic base and on the real base."""
    i, n = row.indexed, row.naive
    checks = [
        (
            f"requête ≥ {TARGET_SPEEDUP:.0f}× plus rapide que le parcours naïf (médiane)",
            n.median_ms / i.median_ms >= TARGET_SPEEDUP,
            _ratio(n.median_ms / i.median_ms),
        ),
        (
            f"redémarrage (cache chaud) ≤ {TARGET_LOAD_RATIO:.0f}× le chargement naïf",
            i.load_s / n.load_s <= TARGET_LOAD_RATIO,
            f"{_seconds(i.load_s)} contre {_seconds(n.load_s)}, {_ratio(i.load_s / n.load_s)}",
        ),
        (
            f"premier démarrage ≤ {TARGET_FIRST_START_S:.0f} s",
            row.first_start.load_s <= TARGET_FIRST_START_S,
            _seconds(row.first_start.load_s),
        ),
        (
            f"pic mémoire < {TARGET_PEAK_MIB:.0f} Mio",
            max(i.peak_rss_mib, row.first_start.peak_rss_mib) < TARGET_PEAK_MIB,
            f"{_number(max(i.peak_rss_mib, row.first_start.peak_rss_mib), 0)} Mio",
        ),
        (
            f"base réelle : médiane par question ≤ {_number(TARGET_REAL_MEDIAN_MS, 0)} ms",
            real.indexed.median_ms <= TARGET_REAL_MEDIAN_MS,
            _ms(real.indexed.median_ms),
        ),
    ]
    lines = [f"Objectifs sur {row.label} et la base réelle :", ""]
    for text, ok, figure in checks:
        lines.append(f"- {'atteint' if ok else 'MANQUÉ'} : {text} ({figure})")
    return lines


def golden_lines(measurement: Measurement) -> list[str]:
    lines = [
        "| table | questions (sujet / hors sujet) | top-1 | résolues | fausses avec assurance "
        "| hors sujet déclinées |",
        "|---|---|---|---|---|---|",
    ]
    for path, g in measurement.golden.items():
        cells = [
            Path(path).name,
            f"{g['on_topic']:.0f} / {g['off_topic']:.0f}",
            _share(g["top1"]),
            _share(g["resolved"]),
            _share(g["confidently_wrong"]),
            _share(g["declined"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def header(query_count: int) -> list[str]:
    """What the figures mean, above the table."""
    kinds = ", ".join(
        f"{synthetic.KIND_LABELS[kind]} {_number(100 * share, 0)} %"
        for kind, share in synthetic.QUERY_MIX
    )
    return [
        "# Vitesse du moteur : index contre parcours naïf",
        "",
        f"- Bases synthétiques : {synthetic.PHRASINGS_PER_ENTRY} formulations par entrée, "
        f"{query_count} requêtes par base ({kinds}).",
        "- Base réelle : les questions des tables dorées.",
        "- Premier démarrage : load() + Index() avec un cache d'embeddings vide (toutes les "
        "formulations et phrases de réponse sont encodées) ; chargement : le redémarrage suivant, "
        "cache chaud, pour l'indexé ; load() + liste des formulations pour le naïf ; chaque "
        "chargement dans un processus neuf.",
        "- Requête : Index.decide() pour l'indexé, process.extractOne(WRatio, default_process) sur "
        "toutes les formulations pour le naïf.",
        "- Pic mémoire : ru_maxrss d'un processus neuf par moteur et par base, interpréteur et "
        "bibliothèques compris (entre parenthèses : la hausse depuis la fin des imports).",
        "- top-1 : part des requêtes sur le sujet dont la meilleure entrée est la bonne.",
        "",
    ]


def throughput_lines(runs: Sequence[throughput.Throughput]) -> list[str]:
    """The bot's throughput, one line per way of feeding it, and the target."""
    first = runs[0]
    kinds = ", ".join(f"{_number(n, 0)} {kind}s" for kind, n in sorted(first.kinds.items()))
    lines = [
        f"Débit du bot : {_number(first.updates, 0)} updates de {_number(first.users, 0)} "
        f"utilisateurs ({kinds}) à travers l'Application réelle (build_application), sans "
        "réseau (requête qui enregistre les appels), limiteur de débit coupé.",
        "",
        "| traitement | durée | updates/s | appels à l'API | erreurs |",
        "|---|---|---|---|---|",
    ]
    for run in runs:
        how = (
            f"file d'updates, {run.concurrency} à la fois"
            if run.concurrency > 1
            else "process_update, une à la fois"
        )
        calls = ", ".join(f"{name} {_number(n, 0)}" for name, n in sorted(run.calls.items()))
        lines.append(
            f"| {how} | {_seconds(run.seconds)} | **{_number(run.per_second, 0)}** | {calls} "
            f"| {run.errors} |"
        )
    # The target is checked on the first run: the update queue, as the bot runs in production.
    verdict = "atteint" if first.per_second >= TARGET_UPDATES_PER_SECOND else "MANQUÉ"
    lines += [
        "",
        f"- {verdict} : au moins {TARGET_UPDATES_PER_SECOND:.0f} updates/s par la file d'updates "
        f"({_number(first.per_second, 0)} updates/s)",
    ]
    return lines


def web_lines(run: web.WebThroughput) -> list[str]:
    """The web chat's throughput through the real server, and its two targets."""
    checks = [
        (
            f"au moins {TARGET_WEB_PER_SECOND:.0f} requêtes/s",
            run.per_second >= TARGET_WEB_PER_SECOND,
            f"{_number(run.per_second, 0)} requêtes/s",
        ),
        (f"p99 ≤ {TARGET_WEB_P99_MS:.0f} ms", run.p99_ms <= TARGET_WEB_P99_MS, _ms(run.p99_ms)),
        ("aucune erreur", run.errors == 0, f"{run.errors} réponse(s) autre que 200"),
    ]
    return [
        f"Chat web : {_number(run.requests, 0)} requêtes POST /api/ask (questions des tables "
        f"dorées, {_number(run.clients, 0)} personnes, {run.connections} connexions keep-alive "
        "en parallèle) à travers le vrai serveur : python -m bot web (uvicorn sur 127.0.0.1) dans "
        "un processus, le client dans un autre, journal des questions écrit.",
        "",
        "| durée | requêtes/s | médiane | p99 | max | erreurs |",
        "|---|---|---|---|---|---|",
        f"| {_seconds(run.seconds)} | **{_number(run.per_second, 0)}** | {_ms(run.median_ms)} "
        f"| {_ms(run.p99_ms)} | {_ms(max(run.latencies_ms))} | {run.errors} |",
        "",
        *(f"- {'atteint' if ok else 'MANQUÉ'} : {text} ({figure})" for text, ok, figure in checks),
        *_cpu_line(run),
    ]


def _cpu_line(run: web.WebThroughput) -> list[str]:
    """The server's CPU per request: the rate one free core allows, whatever else runs."""
    cpu = run.cpu_ms_per_request
    if cpu is None:
        return []
    return [
        f"- temps CPU du serveur : {_ms(cpu)} par requête, soit au plus "
        f"{_number(1000 / cpu, 0)} requêtes/s sur un cœur libre"
    ]


def measure_web(knowledge_dir: Path, golden: Sequence[Path]) -> web.WebThroughput:
    """The web chat under load, with the golden tables' questions; BenchError if it fails."""
    print("… chat web (python -m bot web)", file=sys.stderr, flush=True)
    questions = [query.text for query in golden_queries(golden)] or ["quel est le salaire ?"]
    try:
        return web.measure(knowledge_dir, questions)
    except web.WebBenchError as exc:
        raise BenchError(str(exc)) from None


def parse_sizes(text: str) -> list[int]:
    """'200,2000' → [200, 2000]; BenchError when it is not a list of positive numbers."""
    try:
        sizes = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        sizes = []
    if not sizes or any(size < 1 for size in sizes):
        raise BenchError("--sizes attend des nombres entiers positifs séparés par des virgules")
    return sizes


def run_bench(
    sizes: Sequence[int],
    query_count: int,
    knowledge_dir: Path,
    golden: Sequence[Path],
    *,
    with_throughput: bool = True,
) -> None:
    """Measure every base (and the bot's throughput), then print the tables."""
    started = time.perf_counter()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="eig-bench-") as tmp:
        workdir = Path(tmp)
        for size in sizes:
            folder, queries = synthetic_base(size, query_count, workdir)
            label = f"synthétique {_number(size, 0)}"
            rows.append(measure_base(label, folder, queries, workdir))
        real = measure_base("réelle", knowledge_dir, golden_queries(golden), workdir, golden)
    runs = []
    web_run = None
    if with_throughput:
        for concurrent in (True, False):
            print(
                f"… débit du bot ({'concurrent' if concurrent else 'séquentiel'})", file=sys.stderr
            )
            runs.append(throughput.measure(knowledge_dir, golden, concurrent=concurrent))
        web_run = measure_web(knowledge_dir, golden)
    elapsed = time.perf_counter() - started
    _print_report(query_count, rows, real, runs, elapsed, web_run)


def _print_report(
    query_count: int,
    rows: Sequence[Row],
    real: Row,
    runs: Sequence[throughput.Throughput],
    elapsed: float,
    web_run: web.WebThroughput | None = None,
) -> None:
    for line in header(query_count):
        print(line)
    for line in table([*rows, real]):
        print(line)
    print()
    largest = max(rows, key=lambda r: r.indexed.entries, default=None)
    if largest is not None:
        for line in targets(largest, real):
            print(line)
        print()
    print("Tables dorées (moteur indexé, base réelle) :\n")
    for line in golden_lines(real.indexed):
        print(line)
    if runs:
        print()
        for line in throughput_lines(runs):
            print(line)
    if web_run is not None:
        print()
        for line in web_lines(web_run):
            print(line)
    print(f"\nDurée totale du banc d'essai : {_number(elapsed, 0)} s")
