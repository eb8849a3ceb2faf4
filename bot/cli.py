"""The command line: `python -m bot run | chat | ask | check | eval | calibrate | …`.

A thin layer over the library: each command parses its options, calls one library function and
prints. Library code raises; only this module turns errors into messages and exit codes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import ConfigError, Settings
from bot.engine import Decision, Dialogues, Index
from bot.french_argparse import FrenchParser, entier
from bot.knowledge import KnowledgeBase, KnowledgeError, load
from bot.replies import render
from bot.terminal import chat, print_reply

if TYPE_CHECKING:
    from bot.tuning.evaluation import Report

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
"""Success; invalid input (knowledge, settings, a failed measurement); a malformed command."""

Handler = Callable[[argparse.Namespace, Settings], int]


class UsageError(Exception):
    """A command's options make no sense; the message says what to write, in French."""


class InvalidInput(Exception):
    """A command's input is wrong (a golden table, a measurement); the message says why."""


def _knowledge_dir(args: argparse.Namespace, settings: Settings) -> Path:
    given = getattr(args, "knowledge", None)  # absent unless given, before or after the command
    return Path(given) if given else settings.knowledge_dir


def _load_index(args: argparse.Namespace, settings: Settings) -> Index:
    from bot.staff.embeddings import cached_index

    return cached_index(load(_knowledge_dir(args, settings)), settings)


# -- ask, chat ------------------------------------------------------------------------------------


def decision_json(decision: Decision, knowledge: KnowledgeBase) -> dict[str, Any]:
    """The `ask --json` object. `related` are the answer's "Voir aussi" entries (ids), given as
    a field: the reply's own "Voir aussi :" line, which buttons follow in a chat, is dropped."""
    reply = render.render_decision(decision, knowledge)
    answered = decision.status == "answer"
    return {
        "query": decision.query,
        "status": decision.status,
        "id": decision.entry.id if decision.entry else None,
        "score": round(decision.score, 4),
        "suggestions": [e.id for e in decision.suggestions],
        "related": [b.target for b in reply.buttons] if answered else [],
        "answer": reply.plain.removesuffix(render.SEE_ALSO_PLAIN) if answered else reply.plain,
    }


def _explain(index: Index, question: str) -> None:
    ranking = index.search(question)
    limits = index.thresholds
    features = ranking.features()
    p_answer = index.model.answer.probability(features)
    p_on_topic = index.model.on_topic.probability(features)
    print(f"requête normalisée : {ranking.analysis.folded!r}")
    print(f"termes : {' '.join(ranking.analysis.terms) or '(aucun)'}")
    print(
        f"probabilité que la 1re entrée soit la bonne : {p_answer:.2f} "
        f"(réponse directe si ≥ {limits.answer}) ; que la question porte sur EIG : "
        f"{p_on_topic:.2f} (suggestions si ≥ {limits.suggest})"
    )
    for candidate in ranking.candidates:
        print(f"  {candidate.score:.3f}  {candidate.entry.id}  ← « {candidate.phrasing} »")
    closest = index.semantic.closest_decline(question)
    if closest is not None:
        text, cosine = closest
        print(f"question à décliner la plus proche (hors-sujet.yaml) : « {text} » ({cosine:.2f})")


def _ask_lines(args: argparse.Namespace) -> list[tuple[str | None, str]]:
    """(conversation, question) for each question asked: the argument, or one per stdin line.

    A stdin line may be a JSON object `{"conversation": "c1", "text": "..."}`: lines of the same
    conversation share context, in order, as one chat would; a plain line is a question alone.
    """
    if args.question is not None:
        return [(None, args.question)]
    asked: list[tuple[str | None, str]] = []
    for number, line in enumerate(sys.stdin, start=1):
        text = line.strip()
        if not text:
            continue
        if text.startswith("{"):
            try:
                data = json.loads(text)
                asked.append((str(data.get("conversation") or "") or None, str(data["text"])))
            except (ValueError, KeyError, TypeError, AttributeError):
                raise InvalidInput(
                    f"ligne {number} : un objet JSON doit avoir la forme "
                    '{"conversation": "c1", "text": "la question"}'
                ) from None
            continue
        asked.append((None, line.rstrip("\n")))
    return asked


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    index = _load_index(args, settings)
    dialogues = Dialogues()
    questions = _ask_lines(args)
    for conversation, question in questions:
        if conversation is None:
            decision = index.decide(question)
        else:
            decision = dialogues.decide(index, conversation, question)
        if args.json:
            found = decision_json(decision, index.knowledge)
            if conversation is not None:
                found["conversation"] = conversation
            print(json.dumps(found, ensure_ascii=False))
            continue
        ids = ", ".join(c.entry.id for c in decision.candidates) or "-"
        print(f"[{decision.status}] score {decision.score:.3f} : {ids}")
        if args.explain:
            _explain(index, question)
        print_reply(render.render_decision(decision, index.knowledge), sys.stdout)
        if len(questions) > 1:
            print()
    return EXIT_OK


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    chat(_load_index(args, settings), sys.stdin, sys.stdout, _knowledge_dir(args, settings))
    return EXIT_OK


# -- staff: check, unanswered, stats --------------------------------------------------------------


CHECKING = (
    "Vérification en cours (jusqu'à une minute : chaque formulation et chaque test de la base "
    "sont essayés)…"
)
"""Said at once: a check of the whole base runs for tens of seconds, and a silent terminal looks
stuck (a staff tryout)."""


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    from bot.staff.checking import ScopeError, check  # the engine is needed only by this command

    print(CHECKING, file=sys.stderr, flush=True)
    try:
        report = check(_knowledge_dir(args, settings), args.files, args.entry, settings)
    except ScopeError as exc:
        raise UsageError(str(exc)) from None
    print("\n".join(report.lines()))
    return EXIT_OK if report.valid else EXIT_INVALID


def _staff_report(args: argparse.Namespace, settings: Settings, write: Callable[..., None]) -> int:
    """Parse --since, open the question log, let `write(log, period)` print, close the log."""
    from bot.staff import reports
    from bot.staff.questionlog import DB_NAME, LOG_ERRORS, QuestionLog
    from bot.staff.storage import open_error

    try:
        period = reports.parse_period(args.since)
    except reports.PeriodError as exc:
        raise UsageError(str(exc)) from None
    path = settings.data_dir / DB_NAME
    if not settings.database_url and not path.exists():
        print(
            f"Aucune question enregistrée : le fichier {path} n'existe pas. Le bot l'écrit quand "
            "il tourne ; lancez cette commande là où il tourne, ou indiquez son dossier de "
            "données avec DATA_DIR.",
            file=sys.stderr,
        )
        return EXIT_OK
    try:
        log = QuestionLog.open(settings)
        try:
            write(log, period)
        finally:
            log.close()
    except LOG_ERRORS as error:
        raise InvalidInput(open_error(settings, error)) from None
    return EXIT_OK


def cmd_unanswered(args: argparse.Namespace, settings: Settings) -> int:
    from bot.staff import reports

    if args.add_test is not None or args.expect is not None:
        return _add_test(args, settings)

    def write(log: Any, period: reports.Period) -> None:
        groups = reports.recent_groups(log, period)
        if args.format == "csv":
            reports.write_csv(groups, sys.stdout)
        else:
            index = _load_index(args, settings) if groups else None
            now = reports.answered_now(groups, lambda text: _answered_by(index, text))
            reports.write_table(groups, period, sys.stdout, now)

    return _staff_report(args, settings, write)


def _answered_by(index: Index | None, text: str) -> str | None:
    """The id of the entry `index` answers `text` with directly, if it does."""
    decision = index.decide(text) if index is not None else None
    if decision is None or decision.status != "answer" or decision.entry is None:
        return None
    return decision.entry.id


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from bot.staff import reports

    def write(log: Any, period: reports.Period) -> None:
        found = reports.recent_stats(log, period)
        print("\n".join(reports.stats_lines(found, period)))

    return _staff_report(args, settings, write)


def _add_test(args: argparse.Namespace, settings: Settings) -> int:
    from bot.staff.add_test import AddTestError, add_test

    if not args.add_test or not args.expect:
        raise UsageError(
            'écrivez la question et l\'entrée attendue : --add-test "la question" --expect ID'
        )
    try:
        print(add_test(_knowledge_dir(args, settings), args.add_test, args.expect, settings))
    except AddTestError as exc:
        raise InvalidInput(str(exc)) from None
    return EXIT_OK


# -- tuning: eval, calibrate ----------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}\u202f%".replace(".", ",")


def _read_tables(files: Sequence[str]) -> dict[str, list[Any]]:
    """Each golden table's cases by file name; InvalidInput naming a malformed line."""
    from bot.tuning.evaluation import GoldenError, read_cases

    try:
        return {path: read_cases(path) for path in files}
    except (GoldenError, OSError) as exc:
        raise InvalidInput(str(exc)) from None


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.tuning.evaluation import evaluate

    tables = _read_tables(args.files)
    index = _load_index(args, settings)
    if args.cross_validate:
        return _cross_validate(index, tables, failures=args.failures)
    for path, cases in tables.items():
        report = evaluate(index, cases)
        print(f"== {path}")
        for line in report.lines():
            print(f"  {line}")
        if args.failures:
            _print_failures(report)
    return EXIT_OK


def _print_failures(report: Report) -> None:
    for case, decision in report.failures:
        got = ",".join(c.entry.id for c in decision.candidates) or "-"
        print(
            f"  ✗ l.{case.line} attendu {case.expected} ; obtenu {decision.status} "
            f"[{got}] {decision.score:.2f} : {case.question}"
        )


def _cross_validate(index: Index, tables: dict[str, list[Any]], *, failures: bool) -> int:
    from bot.tuning.crossval import cross_validate, pooled

    if len(tables) < 2:
        raise UsageError("la validation croisée demande au moins deux tables")
    folds = cross_validate(index, {Path(path).stem: cases for path, cases in tables.items()})
    print(
        "| table mesurée | questions (sujet / hors sujet) | bonne entrée en tête | réponse "
        "directe juste (top-1) | résolues | fausses avec assurance | hors sujet déclinées |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, report in [*((f.table, f.report) for f in folds), ("**ensemble**", pooled(folds))]:
        cells = [
            name,
            f"{report.on_topic} / {report.off_topic}",
            _percent(report.ranked_first),
            _percent(report.top1),
            _percent(report.resolved),
            _percent(report.confidently_wrong),
            _percent(report.declined),
        ]
        print("| " + " | ".join(cells) + " |")
    if failures:
        for fold in folds:
            print(f"== {fold.table} (modèle ajusté sur les autres tables)")
            _print_failures(fold.report)
    return EXIT_OK


def cmd_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.engine.decision import MODEL_FILE
    from bot.tuning.calibration import calibrate

    tables = _read_tables(args.files)
    index = _load_index(args, settings)
    cases = [case for found in tables.values() for case in found]
    fit = calibrate(index, cases, [Path(path).name for path in args.files])
    thresholds = fit.model.thresholds
    print(f"seuils retenus : réponse ≥ {thresholds.answer}, suggestions ≥ {thresholds.suggest}")
    for line in fit.report.lines():
        print(f"  {line}")
    if args.dry_run:
        print(fit.model.to_json(), end="")
        return EXIT_OK
    output = Path(args.output) if args.output else MODEL_FILE
    fit.model.save(output)
    print(f"modèle écrit dans {output}")
    return EXIT_OK


# -- run, bench --------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    settings.require_token()
    if settings.webhook_url:  # the webhook is served by the web application, with the web chat
        from bot.web.server import run as serve_web

        return serve_web(settings, _knowledge_dir(args, settings))
    from bot.telegram_bot.serve import run  # Telegram is imported only when the bot really runs.

    return run(settings, _knowledge_dir(args, settings))


def cmd_web(args: argparse.Namespace, settings: Settings) -> int:
    from bot.web.server import run

    return run(settings, _knowledge_dir(args, settings), host=args.host, port=args.port)


DEFAULT_GOLDEN = "tests/golden/*.tsv"
"""The golden tables of a checkout, for `bench` run from the repository."""


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bench.runner import BenchError, parse_sizes, run_bench

    try:
        sizes = parse_sizes(args.sizes)
    except BenchError as exc:
        raise UsageError(str(exc)) from None
    golden = [Path(p) for p in args.golden] if args.golden else sorted(Path().glob(DEFAULT_GOLDEN))
    try:
        run_bench(sizes, args.queries, _knowledge_dir(args, settings), golden)
    except BenchError as exc:
        raise InvalidInput(f"une mesure a échoué :\n{exc}") from None
    return EXIT_OK


# -- parser -------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    # --knowledge is accepted before and after the command: the main parser and every
    # subparser know it; a subparser sets it only when it is given (SUPPRESS).
    common = FrenchParser(add_help=False)
    common.add_argument(
        "--knowledge",
        metavar="DOSSIER",
        default=argparse.SUPPRESS,
        help="dossier de la base de connaissances (défaut : KNOWLEDGE_DIR ou ./knowledge)",
    )
    parser = FrenchParser(prog="python -m bot", description="EIG Bot", parents=[common])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    _add_answering_commands(sub, common)
    _add_staff_commands(sub, common)
    _add_tuning_commands(sub, common)
    return parser


Commands = Any
"""What `add_subparsers` returns (argparse's `_SubParsersAction`, a private class)."""


def _add_answering_commands(sub: Commands, common: argparse.ArgumentParser) -> None:
    """ask, chat, run: the bot answering."""
    ask = sub.add_parser("ask", parents=[common], help="ce que le bot répondrait à une question")
    ask.add_argument(
        "question", nargs="?", help="la question ; sans elle, une par ligne sur l'entrée standard"
    )
    ask.add_argument("--json", action="store_true", help="une ligne JSON par question")
    ask.add_argument(
        "--explain", action="store_true", help="les 5 meilleures entrées et les seuils"
    )
    ask.set_defaults(handler=cmd_ask)

    chat_parser = sub.add_parser(
        "chat", parents=[common], help="discuter avec le bot dans le terminal"
    )
    chat_parser.set_defaults(handler=cmd_chat)

    sub.add_parser("run", parents=[common], help="lancer le bot Telegram").set_defaults(
        handler=cmd_run
    )

    web = sub.add_parser(
        "web",
        parents=[common],
        help="servir le chat web (et le webhook Telegram si WEBHOOK_URL est défini)",
    )
    web.add_argument("--host", help="adresse d'écoute (défaut : WEBHOOK_LISTEN ou 0.0.0.0)")
    web.add_argument(
        "--port",
        type=entier,
        help="port d'écoute (défaut : PORT ou 8080 ; 0 : un port libre)",
    )
    web.set_defaults(handler=cmd_web)


def _add_staff_commands(sub: Commands, common: argparse.ArgumentParser) -> None:
    """check, unanswered, stats: what the programme's team runs."""
    check = sub.add_parser("check", parents=[common], help="valider la base de connaissances")
    check.add_argument(
        "files",
        nargs="*",
        metavar="FICHIER",
        help="ne montrer que les problèmes de ces fichiers (toute la base est vérifiée)",
    )
    check.add_argument("--entry", metavar="ID", help="ne montrer que les problèmes de cette entrée")
    check.set_defaults(handler=cmd_check)
    since_help = "période, par exemple 7d, 24h ou 30d"
    unanswered = sub.add_parser(
        "unanswered", parents=[common], help="les questions sans réponse sûre"
    )
    unanswered.add_argument("--since", metavar="PÉRIODE", default="7d", help=since_help)
    unanswered.add_argument(
        "--format", choices=["table", "csv"], default="table", help="table (défaut) ou csv"
    )
    unanswered.add_argument(
        "--add-test",
        metavar="QUESTION",
        help="ajouter cette question aux tests de l'équipe (tests.yaml), avec --expect",
    )
    unanswered.add_argument(
        "--expect",
        metavar="ID",
        help="l'entrée par laquelle le bot doit répondre à --add-test (ou decline)",
    )
    unanswered.set_defaults(handler=cmd_unanswered)

    stats = sub.add_parser("stats", parents=[common], help="statistiques des questions posées")
    stats.add_argument("--since", metavar="PÉRIODE", default="30d", help=since_help)
    stats.set_defaults(handler=cmd_stats)


def _add_tuning_commands(sub: Commands, common: argparse.ArgumentParser) -> None:
    """eval, calibrate, bench: measuring and tuning the engine."""
    ev = sub.add_parser("eval", parents=[common], help="mesurer le bot sur des tables de questions")
    ev.add_argument("files", nargs="+", metavar="FICHIER")
    ev.add_argument("--failures", action="store_true", help="lister les cas ratés")
    ev.add_argument(
        "--cross-validate",
        action="store_true",
        help="ajuster le modèle sur les autres tables et mesurer chaque table (validation croisée)",
    )
    ev.set_defaults(handler=cmd_eval)

    cal = sub.add_parser(
        "calibrate", parents=[common], help="ajuster le modèle de décision et ses seuils"
    )
    cal.add_argument("files", nargs="+", metavar="FICHIER")
    cal.add_argument(
        "--output", metavar="FICHIER", help="où écrire le modèle (défaut : le modèle livré)"
    )
    cal.add_argument("--dry-run", action="store_true", help="afficher le modèle sans l'écrire")
    cal.set_defaults(handler=cmd_calibrate)

    bench = sub.add_parser(
        "bench", parents=[common], help="mesurer la vitesse du moteur (bases synthétiques)"
    )
    bench.add_argument(
        "--sizes",
        metavar="TAILLES",
        default="200,2000,20000",
        help="tailles des bases synthétiques",
    )
    bench.add_argument("--queries", metavar="N", type=entier, default=300, help="requêtes par base")
    bench.add_argument(
        "--golden", nargs="*", metavar="FICHIER", help="tables dorées (défaut : tests/golden/*.tsv)"
    )
    bench.set_defaults(handler=cmd_bench)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, run, turn known errors into a message and an exit code."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args, Settings.from_env())
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = sum(1 for p in exc.problems if p.severity == "erreur")
        print(f"{count} erreur(s) : la base de connaissances n'est pas valide.", file=sys.stderr)
        return EXIT_INVALID
    except UsageError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ConfigError, InvalidInput) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_OK
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
