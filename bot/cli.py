"""The command line: `python -m bot run | chat | ask | check | eval | calibrate`.

Library code raises; only this module turns errors into messages and exit codes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from bot import render
from bot.calibration import calibrate
from bot.config import ConfigError, Settings
from bot.evaluation import GoldenError, evaluate, read_cases
from bot.knowledge import KnowledgeBase, KnowledgeError, collect, load
from bot.matching import Decision, Index

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
QUIT_WORDS = {"quit", "exit", "q", "quitter", "/quit"}


def _knowledge_dir(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.knowledge) if args.knowledge else settings.knowledge_dir


def _load_index(args: argparse.Namespace, settings: Settings) -> Index:
    return Index(load(_knowledge_dir(args, settings)))


def decision_json(decision: Decision, knowledge: KnowledgeBase) -> dict[str, Any]:
    """The `ask --json` object."""
    reply = render.render_decision(decision, knowledge)
    return {
        "query": decision.query,
        "status": decision.status,
        "id": decision.entry.id if decision.entry else None,
        "score": round(decision.score, 4),
        "suggestions": [e.id for e in decision.suggestions],
        "answer": reply.plain,
    }


def _print_reply(reply: render.Reply, out: TextIO) -> None:
    print(reply.plain, file=out)
    for number, button in enumerate(reply.buttons, start=1):
        print(f"  [{number}] {button.label}", file=out)


def _explain(index: Index, question: str, out: TextIO) -> None:
    ranking = index.search(question, limit=5)
    limits = index.thresholds
    values = ranking.features()
    print(f"requête normalisée : {ranking.analysis.folded!r}", file=out)
    print(f"termes : {' '.join(ranking.analysis.terms) or '(aucun)'}", file=out)
    print(
        f"probabilité que la 1re entrée soit la bonne : {index.model.p_answer(values):.2f} "
        f"(réponse directe si ≥ {limits.answer}) ; que la question porte sur EIG : "
        f"{index.model.p_on_topic(values):.2f} (suggestions si ≥ {limits.suggest})",
        file=out,
    )
    for candidate in ranking.candidates:
        print(
            f"  {candidate.score:.3f}  {candidate.entry.id}  ← « {candidate.phrasing} »", file=out
        )


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    index = _load_index(args, settings)
    questions = (
        [args.question]
        if args.question is not None
        else [line.rstrip("\n") for line in sys.stdin if line.strip()]
    )
    for question in questions:
        decision = index.decide(question)
        if args.json:
            print(json.dumps(decision_json(decision, index.knowledge), ensure_ascii=False))
            continue
        ids = ", ".join(c.entry.id for c in decision.candidates) or "-"
        print(f"[{decision.status}] score {decision.score:.3f} : {ids}")
        if args.explain:
            _explain(index, question, sys.stdout)
        _print_reply(render.render_decision(decision, index.knowledge), sys.stdout)
        if len(questions) > 1:
            print()
    return EXIT_OK


def plural(count: int, word: str) -> str:
    """'0 erreur', '1 erreur', '2 erreurs' (French: 0 and 1 take the singular)."""
    return f"{count} {word}{'s' if count > 1 else ''}"


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    from bot.checks import warnings  # the engine is needed only by this command

    folder = _knowledge_dir(args, settings)
    knowledge, errors = collect(folder)
    warned = warnings(knowledge) if knowledge.entries else []
    order = sorted(errors, key=lambda p: (p.file, p.line or 0)) + warned
    for problem in order:
        print(problem)
    contents = (
        f"{plural(len(knowledge.entries), 'entrée')}, "
        f"{plural(len(knowledge.synonyms), 'groupe')} de synonymes"
    )
    if errors:
        print(
            f"Base non valide : {plural(len(errors), 'erreur')}, "
            f"{plural(len(warned), 'avertissement')}. Corrigez les erreurs : tant qu'il y en a, "
            "le bot garde la dernière base valide."
        )
        return EXIT_INVALID
    if warned:
        print(
            f"Base valide ({contents}) avec {plural(len(warned), 'avertissement')} : le bot "
            "fonctionne, mais certaines questions seront mal comprises."
        )
    else:
        print(f"Base valide ({contents}), aucun avertissement.")
    return EXIT_OK


def chat(index: Index, stdin: TextIO, out: TextIO) -> None:
    """A conversation in the terminal with the bot's engine and wording."""
    knowledge = index.knowledge
    welcome = render.render_welcome(knowledge)
    _print_reply(welcome, out)
    print("(Tapez votre question, le numéro d'un choix, ou « quit » pour sortir.)", file=out)
    buttons = welcome.buttons
    while True:
        print("\n> ", end="", file=out, flush=True)
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if text.lower() in QUIT_WORDS:
            break
        reply: render.Reply | None
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            button = buttons[int(text) - 1]
            reply = render.render_target(button.action, button.target, knowledge)
        elif not text:
            reply = render.render_help(knowledge)
        else:
            reply = render.render_decision(index.decide(text), knowledge)
        if reply is None:
            reply = render.render_fallback(knowledge)
        _print_reply(reply, out)
        buttons = reply.buttons
    print("Au revoir !", file=out)


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    chat(_load_index(args, settings), sys.stdin, sys.stdout)
    return EXIT_OK


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    index = _load_index(args, settings)
    for path in args.files:
        report = evaluate(index, read_cases(path))
        print(f"== {path}")
        for line in report.lines():
            print(f"  {line}")
        if args.failures:
            for case, decision in report.failures:
                got = ",".join(c.entry.id for c in decision.candidates) or "-"
                print(
                    f"  ✗ l.{case.line} attendu {case.expected} ; obtenu {decision.status} "
                    f"[{got}] {decision.score:.2f} : {case.question}"
                )
    return EXIT_OK


def cmd_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    index = _load_index(args, settings)
    cases = [case for path in args.files for case in read_cases(path)]
    fit = calibrate(index, cases)
    print(f"modèle : {fit.model}")
    print(f"seuils retenus : {fit.thresholds}")
    for line in fit.report.lines():
        print(f"  {line}")
    return EXIT_OK


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import run  # Telegram is imported only when the bot really runs.

    settings.require_token()
    return run(settings, _knowledge_dir(args, settings))


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bench import main as bench_main

    return bench_main(args, settings)


def cmd_unanswered(args: argparse.Namespace, settings: Settings) -> int:
    from bot.reports import unanswered_main

    return unanswered_main(args, settings)


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from bot.reports import stats_main

    return stats_main(args, settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="EIG Bot")
    parser.add_argument(
        "--knowledge",
        metavar="DOSSIER",
        help="dossier de la base de connaissances (défaut : KNOWLEDGE_DIR ou ./knowledge)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="ce que le bot répondrait à une question")
    ask.add_argument(
        "question", nargs="?", help="la question ; sans elle, une par ligne sur l'entrée standard"
    )
    ask.add_argument("--json", action="store_true", help="une ligne JSON par question")
    ask.add_argument(
        "--explain", action="store_true", help="les 5 meilleures entrées et les seuils"
    )
    ask.set_defaults(handler=cmd_ask)

    check = sub.add_parser("check", help="valider la base de connaissances")
    check.set_defaults(handler=cmd_check)

    chat_parser = sub.add_parser("chat", help="discuter avec le bot dans le terminal")
    chat_parser.set_defaults(handler=cmd_chat)

    ev = sub.add_parser("eval", help="mesurer le bot sur des tables de questions")
    ev.add_argument("files", nargs="+", metavar="FICHIER")
    ev.add_argument("--failures", action="store_true", help="lister les cas ratés")
    ev.set_defaults(handler=cmd_eval)

    cal = sub.add_parser("calibrate", help="chercher les meilleurs seuils de décision")
    cal.add_argument("files", nargs="+", metavar="FICHIER")
    cal.set_defaults(handler=cmd_calibrate)

    run_parser = sub.add_parser("run", help="lancer le bot Telegram")
    run_parser.set_defaults(handler=cmd_run)

    bench = sub.add_parser("bench", help="mesurer la vitesse du moteur (bases synthétiques)")
    bench.add_argument("--sizes", default="200,2000,20000", help="tailles des bases synthétiques")
    bench.add_argument("--queries", type=int, default=300, help="requêtes par base")
    bench.set_defaults(handler=cmd_bench)

    since_help = "période, par exemple 7d, 24h ou 30d"
    unanswered = sub.add_parser("unanswered", help="les questions sans réponse sûre")
    unanswered.add_argument("--since", default="7d", help=since_help)
    unanswered.add_argument("--format", choices=["table", "csv"], default="table")
    unanswered.set_defaults(handler=cmd_unanswered)

    stats = sub.add_parser("stats", help="statistiques des questions posées")
    stats.add_argument("--since", default="30d", help=since_help)
    stats.set_defaults(handler=cmd_stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, run, turn known errors into a message and an exit code."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    try:
        return handler(args, Settings.from_env())
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = sum(1 for p in exc.problems if p.severity == "erreur")
        print(f"{count} erreur(s) : la base de connaissances n'est pas valide.", file=sys.stderr)
        return EXIT_INVALID
    except (ConfigError, GoldenError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_OK
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
