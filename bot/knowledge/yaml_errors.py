"""PyYAML's syntax errors said in French: which character, on which line, and what to write.

PyYAML (and libyaml) describe what the parser expected ("did not find expected key"), not the
mistake a person made. This module looks at the line the error points to and names the usual
mistakes of someone editing YAML by hand: a tab, a line shifted by a space, a quote never closed,
« : » inside a text without quotes, a text starting with a character YAML reserves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

FIELD_INDENT = 2
"""Spaces before the fields of an entry (`  questions:`), as every file and the README write."""

_ID_LINE = re.compile(r"^-\s+id(?:\s*:\s*|\s+)[\"']?([a-z0-9]+(?:-[a-z0-9]+)*)[\"']?\s*(?:#.*)?$")
"""`- id: contact`, also without its colon (`- id contact`, a parse error elsewhere)."""
_FIELD_LINE = re.compile(r"^[a-z_]+:(?:\s|$)")
"""A field of an entry as staff write it (`category: contact`), not a sentence with « : »."""
_KEY = re.compile(r"^(?:-\s+)?([A-Za-z_][\w-]*)\s*:(?:\s|$)")
_RESERVED_START = "!&*@`%|>[]{}"
"""Characters that make YAML read a text differently when the text starts with them."""


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """Where a YAML file breaks (1-based line and column) and what to do, in French."""

    line: int | None
    column: int | None
    message: str


def entry_ids(text: str) -> set[str]:
    """The ids on the `- id: …` lines of a file, read from its text without parsing it."""
    found = (_ID_LINE.match(line.strip()) for line in text.splitlines() if line.startswith("-"))
    return {match.group(1) for match in found if match}


def describe(error: yaml.YAMLError, text: str) -> SyntaxProblem:
    """One YAML error of `text` as a French instruction at the line where the fix goes."""
    lines = text.splitlines()
    if isinstance(error, yaml.reader.ReaderError) and isinstance(error.character, int):
        # The position libyaml gives counts bytes; the character itself tells the line.
        at = text.find(chr(error.character))
        return SyntaxProblem(
            text.count("\n", 0, at) + 1 if at >= 0 else None,
            None,
            f"caractère invisible interdit (code U+{error.character:04X}) sur cette ligne : "
            "supprimez-le (il vient souvent d'un copier-coller)",
        )
    if not isinstance(error, yaml.MarkedYAMLError) or error.problem_mark is None:
        return SyntaxProblem(None, None, _GENERAL)
    row, column = error.problem_mark.line, error.problem_mark.column
    context = error.context_mark
    tab = _first_tab(lines, min(row, len(lines) - 1))
    if tab is not None:
        return SyntaxProblem(tab[0] + 1, tab[1] + 1, _TAB)
    problem, where = error.problem or "", error.context or ""
    if "quoted scalar" in where and context is not None and "end of stream" in problem:
        return _unclosed(lines, context.line, context.column)
    unclosed = _unclosed_quote_before(lines, row)
    if unclosed is not None:
        return _unclosed(lines, *unclosed)
    answer = _answer_layout(lines, row)
    if answer is not None:
        return answer
    if "mapping values are not allowed" in problem:
        line = _line(lines, row)
        if _FIELD_LINE.match(line.strip()) and _indent(line) != FIELD_INDENT:
            return SyntaxProblem(row + 1, _indent(line) + 1, _indentation(lines, row))
        return SyntaxProblem(row + 1, column + 1, _colon_message(line))
    if "escape" in problem:
        return SyntaxProblem(row + 1, column + 1, _ESCAPE)
    if context is not None and any(w in where for w in ("alias", "anchor", "flow", "directive")):
        return _reserved(lines, context.line, context.column)
    if "could not find expected ':'" in problem and context is not None:
        if GLUED_DASH.match(_line(lines, context.line).strip()):
            line = _line(lines, context.line)
            return SyntaxProblem(context.line + 1, _indent(line) + 1, dash_without_space(line))
        if _among_list_items(lines, context.line):
            return SyntaxProblem(context.line + 1, None, _MISSING_DASH)
        shifted = _shifted_answer_line(lines, context.line)  # « À Paris. » then « Le lundi »
        if shifted is not None:
            return shifted
        return SyntaxProblem(context.line + 1, None, _missing_colon(_line(lines, context.line)))
    if "cannot start any token" in problem or problem.startswith("could not determine"):
        return _reserved(lines, row, column)
    return _structure(lines, row, column)


_GENERAL = (
    "YAML invalide : la structure de cette ligne n'est pas comprise ; vérifiez le décalage "
    "(des espaces, jamais de tabulation), les « - » des listes et les « : » des champs, et "
    "mettez entre guillemets un texte qui contient « : »"
)
_TAB = (
    "caractère tabulation dans le décalage de la ligne : YAML n'accepte que des espaces ; "
    "remplacez la tabulation par des espaces, alignés sur les lignes voisines (réglez votre "
    "éditeur pour qu'il insère des espaces)"
)
_TAB_AFTER_DASH = (
    "tabulation après « - » : YAML n'accepte que des espaces ; écrivez « - » puis une espace, "
    "puis le texte"
)
_ESCAPE = (
    "barre oblique inverse « \\ » dans un texte entre guillemets doubles : doublez-la (\\\\) "
    "ou mettez le texte entre guillemets simples ' '"
)


def _line(lines: list[str], row: int) -> str:
    return lines[row] if 0 <= row < len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _first_tab(lines: list[str], last: int) -> tuple[int, int] | None:
    """(row, column) of the first tab in the indentation of a line up to `last`."""
    for row in range(last + 1):
        line = lines[row]
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in lead:
            return row, lead.index("\t")
    return None


def _value(line: str) -> str:
    """What follows `- ` or `key: ` on a line: the text staff typed."""
    text = line.strip()
    if text.startswith("- ") or text == "-":
        text = text[1:].strip()
    key = _KEY.match(text)
    return text[key.end() :].strip() if key else text


TYPOGRAPHIC_QUOTES = {"“": "”", "«": "»", "‘": "’", "„": "“"}
"""Quotes a word processor types: to YAML they are letters of the text, not quotes."""

TYPOGRAPHIC_NOTE = (
    " (les guillemets “ ” et « » d'un traitement de texte ne comptent pas pour YAML : seuls "
    "les guillemets droits \" ou ' protègent un texte)"
)


def typographic_inside(text: str) -> str | None:
    """The text inside typographic quotes that wrap all of `text`; None when none do."""
    text = text.strip()
    closer = TYPOGRAPHIC_QUOTES.get(text[:1])
    return text[1:-1].strip() if closer and len(text) > 1 and text.endswith(closer) else None


def quoted(text: str) -> str:
    """`text` inside the quotes that keep it whole in YAML (typographic ones replaced)."""
    text = typographic_inside(text) or text
    if '"' not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _with_quoted_value(line: str) -> str:
    """The line as it should be written: its value between quotes."""
    stripped, value = line.strip(), _value(line)
    return stripped[: len(stripped) - len(value)] + quoted(value) if value else stripped


def _requoted(line: str) -> str:
    """A line whose quoted value ends early (« 'c'est' »), as it should be written: the text
    inside its outer quotes, quoted again (« "c'est" »), not the outer quotes kept as text."""
    stripped, value = line.strip(), _value(line)
    inner = value[1:-1] if len(value) > 1 and value[0] == value[-1] else value
    return stripped[: len(stripped) - len(value)] + quoted(inner)


def _outside_blocks(lines: list[str], last: int) -> list[int]:
    """Rows up to `last` that are YAML structure, not the inside of an `answer: |` block."""
    rows: list[int] = []
    block_indent: int | None = None
    for row in range(min(last, len(lines) - 1) + 1):
        line = lines[row]
        if block_indent is not None and (not line.strip() or _indent(line) > block_indent):
            continue
        block_indent = None
        rows.append(row)
        if re.search(r":\s*[|>][-+0-9]*\s*(?:#.*)?$", line):
            block_indent = _indent(line)
    return rows


_NO_BAR = (
    "la réponse s'étend sur plusieurs lignes : écrivez « answer: | » sur cette ligne (avec la "
    "barre verticale), puis le texte en dessous, décalé de 4 espaces"
)


def _answer_layout(lines: list[str], row: int) -> SyntaxProblem | None:
    """An error inside an answer's text that comes from how the answer is laid out: `answer:`
    without « | » above several lines of text, or a line of an `answer: |` block indented like
    a field, which ends the block early (the error shows further down)."""
    if _indent(_line(lines, row)) <= FIELD_INDENT:
        return None
    for above in range(row, -1, -1):
        line = lines[above]
        if not line.strip() or _indent(line) > FIELD_INDENT:
            continue
        if _indent(line) < FIELD_INDENT:
            return None
        key = _KEY.match(line.strip())
        if key is None:
            return _shifted_answer_line(lines, above)
        if key.group(1) == "answer" and not re.search(r":\s*[|>]", line):
            return SyntaxProblem(above + 1, None, _NO_BAR)
        return None
    return None


def _shifted_answer_line(lines: list[str], row: int) -> SyntaxProblem | None:
    """A line of text at the fields' indentation just below an `answer: |` block."""
    for above in range(row - 1, -1, -1):
        line = lines[above]
        if not line.strip() or _indent(line) > FIELD_INDENT:
            continue
        if re.match(r"^\s*answer\s*:\s*[|>]", line) and _indent(line) == FIELD_INDENT:
            spaces = _indent(lines[row])
            return SyntaxProblem(
                row + 1,
                spaces + 1,
                f"cette ligne de la réponse n'est décalée que de {spaces} espaces : toutes les "
                f"lignes du texte après « answer: | » (ligne {above + 1}) se décalent de "
                f"{2 * FIELD_INDENT} espaces",
            )
        return None
    return None


def _unclosed_quote_before(lines: list[str], row: int) -> tuple[int, int] | None:
    """(row, column) of a value opened with a quote and not closed on its line, up to `row`."""
    for number in reversed(_outside_blocks(lines, row)):
        value = _value(lines[number])
        if not value or value[0] not in "\"'":
            continue
        quote = value[0]
        body = value[1:].replace("''", "") if quote == "'" else re.sub(r"\\.", "", value[1:])
        if quote not in body:
            return number, lines[number].index(value)
    return None


def _unclosed(lines: list[str], row: int, column: int) -> SyntaxProblem:
    quote = _line(lines, row)[column : column + 1] or '"'
    return SyntaxProblem(
        row + 1,
        column + 1,
        f"le guillemet « {quote} » ouvert ici n'est jamais refermé : ajoutez « {quote} » à la "
        "fin du texte, ou retirez celui du début",
    )


def _colon_message(line: str) -> str:
    note = TYPOGRAPHIC_NOTE if typographic_inside(_value(line)) else ""
    return (
        "« : » suivi d'une espace au milieu d'un texte sans guillemets : YAML y voit un nouveau "
        f"champ{note}. Mettez tout le texte entre guillemets : {_with_quoted_value(line)}"
    )


def _reserved(lines: list[str], row: int, column: int) -> SyntaxProblem:
    line = _line(lines, row)
    value = _value(line)
    if "-\t" in line.lstrip(" ")[:2] or value[:1] == "\t":
        return SyntaxProblem(row + 1, column + 1, _TAB_AFTER_DASH)
    closer = {"[": "]", "{": "}"}.get(value[:1])
    if closer is not None and closer not in value:
        return SyntaxProblem(
            row + 1,
            line.index(value) + 1,
            f"la liste ouverte par « {value[0]} » n'est jamais fermée : ajoutez « {closer} » à "
            f"la fin : {line.strip()}{closer}",
        )
    char = value[:1] if value[:1] in _RESERVED_START else line[column : column + 1] or "?"
    return SyntaxProblem(
        row + 1,
        column + 1,
        f"un texte qui commence par « {char} » a un autre sens en YAML : mettez tout le texte "
        f"entre guillemets : {_with_quoted_value(line)}",
    )


GLUED_DASH = re.compile(r"-(?=[^\s-])")
"""« -lieu de travail »: a list item typed without the space after its dash."""


def dash_without_space(line: str) -> str:
    """What to do about a list item typed « -texte »."""
    return (
        "il manque une espace après le tiret : écrivez « - "
        f"{line.strip()[1:]} » (un tiret, une espace, puis le texte), aligné sur les « - » du "
        "dessus"
    )


_MISSING_DASH = (
    "il manque « - » au début de cette ligne : chaque élément d'une liste (une formulation, par "
    "exemple) s'écrit « - texte », aligné sur ceux du dessus"
)


def _among_list_items(lines: list[str], row: int) -> bool:
    """A line of plain text with the indentation of the « - » items just above it."""
    line = _line(lines, row)
    if not line.strip() or line.strip().startswith("-") or _KEY.match(line.strip()):
        return False
    for above in range(row - 1, -1, -1):
        if lines[above].strip():
            other = lines[above]
            return other.strip().startswith("- ") and _indent(other) == _indent(line)
    return False


def _missing_colon(line: str) -> str:
    word = line.strip().split(" ")[0] if line.strip() else "le champ"
    return (
        f"« {word} » n'est pas suivi de « : » : un champ s'écrit « nom: valeur » (par exemple "
        "« questions: »). Si cette ligne est la suite d'un texte, écrivez le texte en bloc après "
        "« answer: | »"
    )


def _structure(lines: list[str], row: int, column: int) -> SyntaxProblem:
    """A block structure error: a line shifted by some spaces, or text after a closing quote."""
    line = _line(lines, row)
    if column > _indent(line):
        value = _value(line)
        if value[:1] in "\"'":
            return SyntaxProblem(
                row + 1,
                column + 1,
                "du texte suit le guillemet fermant : mettez tout le texte entre guillemets, "
                f"avec des guillemets d'une autre sorte à l'intérieur : {_requoted(line)}",
            )
        if value[:1] in _RESERVED_START:
            return _reserved(lines, row, line.index(value))
        return SyntaxProblem(row + 1, column + 1, _GENERAL)
    entry = _shifted_entry_above(lines, row)
    if entry is not None:  # the entry's fields are right, its « - id: » line is not
        return SyntaxProblem(entry + 1, _indent(lines[entry]) + 1, _indentation(lines, entry))
    return SyntaxProblem(row + 1, column + 1, _indentation(lines, row))


def _shifted_entry_above(lines: list[str], row: int) -> int | None:
    """The row of the `- id:` line of the entry that `row` is in, when that line is indented."""
    for above in range(row - 1, -1, -1):
        line = lines[above]
        if _ID_LINE.match(line.strip()):
            return above if _indent(line) > 0 else None
        if line.strip() and _indent(line) == 0:
            return None
    return None


def _indentation(lines: list[str], row: int) -> str:
    """What to do about a line whose indentation fits nothing above it."""
    line = lines[row]
    spaces, text = _indent(line), line.strip()
    shift = f"{spaces} espace{'s' if spaces > 1 else ''}"
    if _ID_LINE.match(text):
        return (
            f"cette entrée est décalée de {shift} : « - id: » s'écrit tout au début de la ligne, "
            "sans espace avant"
        )
    if text.startswith("-"):
        for above in range(row - 1, -1, -1):
            other = lines[above]
            if other.strip().startswith("- ") and 0 < _indent(other) != spaces:
                return (
                    f"élément de liste décalé de {shift}, alors que ceux du dessus le sont de "
                    f"{_indent(other)} (ligne {above + 1}) : alignez les « - » d'une même liste"
                )
            if _indent(other) == 0:
                break
    key = _KEY.match(text)
    if key and key.group(1) == "id" and spaces == 0:
        return (
            "« id: » sans « - » devant : une nouvelle entrée commence par « - id: », tout au "
            "début de la ligne ; ajoutez « - » (un tiret et une espace) devant « id: »"
        )
    if key:
        return (
            f"champ « {key.group(1)} » décalé de {shift} : les champs d'une entrée se décalent "
            f"de {FIELD_INDENT} espaces, comme « questions: » ; mettez {FIELD_INDENT} espaces "
            f"avant « {key.group(1)}: »"
        )
    return (
        f"ligne décalée de {shift}, ce qui ne correspond à rien au-dessus : alignez-la sur les "
        f"lignes du même niveau (les champs à {FIELD_INDENT} espaces, les « - » des questions à "
        f"{2 * FIELD_INDENT})"
    )
