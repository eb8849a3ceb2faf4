"""The benchmark's synthetic bases, engines and report, on tiny sizes (no timing asserted)."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest
from conftest import GOLDEN_DIR, KNOWLEDGE_DIR

from bot import cli
from bot.bench import runner as bench
from bot.bench import synthetic, throughput
from bot.bench.worker import BenchQuery, Spec, _build, measure
from bot.engine.normalize import Normalizer
from bot.knowledge import load


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[synthetic.SyntheticEntry]]:
    entries = synthetic.generate(60)
    folder = tmp_path_factory.mktemp("synthetic")
    synthetic.write(entries, folder)
    return folder, entries


def test_synthetic_base_is_valid_knowledge(
    base: tuple[Path, list[synthetic.SyntheticEntry]],
) -> None:
    folder, entries = base
    knowledge = load(folder)
    assert [e.id for e in knowledge.entries] == [e.id for e in entries]
    for entry in knowledge.entries:
        assert len(entry.questions) == synthetic.PHRASINGS_PER_ENTRY
        assert len(set(entry.questions)) == synthetic.PHRASINGS_PER_ENTRY
    text = next(folder.glob("*.yaml")).read_text(encoding="utf-8")
    assert text.startswith("- id: synth-00000\n")
    assert "answer: |" in text


def test_entries_per_file_and_determinism(tmp_path: Path) -> None:
    entries = synthetic.generate(synthetic.ENTRIES_PER_FILE + 5)
    paths = synthetic.write(entries, tmp_path)
    assert len(paths) == 2
    assert synthetic.generate(40) == synthetic.generate(40)


def test_vocabulary_has_common_and_rare_french_words() -> None:
    entries = synthetic.generate(300)
    normalizer = Normalizer()
    df: collections.Counter[str] = collections.Counter()
    for entry in entries:
        df.update({w for q in entry.questions for w in normalizer.content_words(q)})
    most_common = df.most_common(1)[0][1]
    assert most_common >= 0.2 * len(entries)
    assert sum(1 for n in df.values() if n == 1) >= 0.5 * len(df)
    phrasings = [q for e in entries for q in e.questions]
    assert any(synthetic.strip_accents(q) != q for q in phrasings)


def test_queries_mix_every_kind(base: tuple[Path, list[synthetic.SyntheticEntry]]) -> None:
    _, entries = base
    ids = {e.id for e in entries}
    queries = synthetic.queries(entries, 200)
    kinds = collections.Counter(q.kind for q in queries)
    assert set(kinds) == {kind for kind, _ in synthetic.QUERY_MIX}
    for query in queries:
        assert (query.expected is None) == (query.kind == "off-topic")
        assert query.expected is None or query.expected in ids
        if query.kind == "accents":
            assert synthetic.strip_accents(query.text) == query.text
    phrasings = {q for e in entries for q in e.questions}
    assert all(q.text in phrasings for q in queries if q.kind == "exact")
    assert not any(q.text in phrasings for q in queries if q.kind in {"typo", "reordered"})


def test_naive_and_indexed_engines_agree_on_exact_phrasings(
    base: tuple[Path, list[synthetic.SyntheticEntry]],
) -> None:
    folder, entries = base
    ask_indexed, *_ = _build("indexed", str(folder))
    ask_naive, *_ = _build("naive", str(folder))
    pairs = [(q, e.id) for e in entries for q in e.questions]
    naive_right = sum(ask_naive(q) == expected for q, expected in pairs)
    agree = sum(ask_naive(q) == ask_indexed(q) for q, _ in pairs)
    assert naive_right == len(pairs)  # an exact phrasing scores 100 with WRatio
    # Two entries may share every word of a short phrasing: allow a few ties to go either way.
    assert agree >= 0.95 * len(pairs)


def test_measure_in_process_reports_every_figure(
    base: tuple[Path, list[synthetic.SyntheticEntry]],
) -> None:
    folder, entries = base
    queries = tuple(BenchQuery(q.text, q.kind, q.expected) for q in synthetic.queries(entries, 30))
    result = measure(Spec("naive", str(folder), queries))
    assert result.entries == 60
    assert result.phrasings == 60 * synthetic.PHRASINGS_PER_ENTRY
    assert result.queries == 30
    assert 0 < result.median_ms <= result.p99_ms
    assert result.peak_rss_mib >= result.start_rss_mib > 0
    assert result.top1 is not None and 0.0 <= result.top1 <= 1.0


def test_bench_prints_every_column_and_target(capsys: pytest.CaptureFixture[str]) -> None:
    bench.run_bench([25], 12, KNOWLEDGE_DIR, [GOLDEN_DIR / "main.tsv"], with_throughput=False)
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("| base |"))
    assert [cell.strip() for cell in header.strip("|").split("|")] == list(bench.COLUMNS)
    for label in ("synthétique 25", "réelle"):
        rows = [line for line in out.splitlines() if line.startswith(f"| {label} |")]
        assert len(rows) == 3  # indexed, naive, ratio
        assert all(line.count("|") == len(bench.COLUMNS) + 1 for line in rows)
    assert "**rapport**" in out
    assert "Objectifs sur synthétique 25" in out
    assert out.count("atteint") + out.count("MANQUÉ") == 5
    assert "| main.tsv |" in out


def test_bad_sizes_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["bench", "--sizes", "20,abc", "--queries", "5"]) == cli.EXIT_USAGE
    assert "--sizes" in capsys.readouterr().err


def test_updates_come_from_every_user_in_order() -> None:
    raw, kinds = throughput.updates(["salaire ?", "candidater"], ["programme"], 10, 40)
    assert len(raw) == 40 and sum(kinds.values()) == 40
    assert [u["update_id"] for u in raw] == list(range(1, 41))
    senders = collections.defaultdict(list)
    for update in raw:
        body = update.get("message") or update["callback_query"]
        senders[body["from"]["id"]].append(body.get("text") or body.get("data"))
    assert len(senders) == 10
    assert all(texts[0] == "/start" and len(texts) == 4 for texts in senders.values())


def test_throughput_goes_through_the_real_application() -> None:
    result = throughput.measure(KNOWLEDGE_DIR, [], count=60, users=12)
    assert result.updates == 60 and result.errors == 0
    assert result.calls["sendMessage"] >= 60 - result.kinds.get("bouton", 0)
    assert result.calls.get("answerCallbackQuery", 0) == result.kinds.get("bouton", 0)
    assert result.per_second > 0
    lines = bench.throughput_lines([result])
    assert any("updates/s" in line for line in lines)


def test_web_bench_loads_the_real_server_and_reports_the_targets() -> None:
    from bot.bench import web

    result = web.measure(KNOWLEDGE_DIR, ["salaire", "candidature"], requests=40, clients=7)
    assert result.requests == 40 and len(result.latencies_ms) == 40
    assert result.statuses == {200: 40} and result.errors == 0
    assert result.per_second > 0 and 0 < result.median_ms <= result.p99_ms
    lines = bench.web_lines(result)
    assert any(line.startswith("| ") and "requêtes/s" not in line for line in lines[3:5])
    assert sum(("atteint" in line) or ("MANQUÉ" in line) for line in lines) == 3
    assert result.server_cpu_s is not None and result.server_cpu_s > 0  # /proc, on Linux
    assert any(line.startswith("- temps CPU du serveur") for line in lines)


def test_web_bench_people_have_their_own_address_and_conversation() -> None:
    from bot.bench import web

    first, other = web.request_bytes("h", "é ?", 1), web.request_bytes("h", "é ?", 251)
    assert b"X-Forwarded-For: 192.0.2.2\r\n" in first
    assert b"X-Forwarded-For: 198.51.100.2\r\n" in other
    head, _, body = first.partition(b"\r\n\r\n")
    assert f"Content-Length: {len(body)}".encode() in head
    assert json.loads(body) == {"question": "é ?", "conversation": "bench-000001"}
