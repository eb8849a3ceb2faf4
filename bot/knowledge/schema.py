"""The schema of one entry as staff write it, and pydantic's errors said in French."""

from __future__ import annotations

import difflib
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.knowledge.yaml_errors import TYPOGRAPHIC_NOTE, quoted, typographic_inside

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_ID_LENGTH = 40
"""Ids travel in Telegram button data (64 bytes in all) and in deep links."""

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class EntryModel(BaseModel):
    """One entry of a knowledge file, before cross-entry checks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=ID_PATTERN, max_length=MAX_ID_LENGTH)
    ]
    questions: Annotated[list[NonEmpty], Field(min_length=1)]
    answer: NonEmpty
    category: NonEmpty | None = None
    related: list[NonEmpty] = []
    links: list[Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]] = []
    source: NonEmpty | None = None
    name: NonEmpty | None = None
    administration: NonEmpty | None = None
    promotion: int | None = None
    theme: NonEmpty | None = None


KNOWN_FIELDS = tuple(EntryModel.model_fields)
FIELD_NAME = re.compile(r"[a-z_]+")
"""What a field's name looks like; a key with a space, a capital or an accent is text."""
DEFI_FIELDS = ("name", "administration", "promotion")

_MESSAGES: dict[str, str] = {
    "missing": "champ obligatoire manquant ; ajoutez-le",
    "string_type": "doit être un texte ; mettez-le entre guillemets s'il le faut",
    "list_type": "doit être une liste, un élément par ligne commençant par « - »",
    "too_short": "la liste est vide ; ajoutez au moins un élément",
    "string_too_short": "est vide ; écrivez-y un texte",
    "string_too_long": f"trop long : {MAX_ID_LENGTH} caractères au plus",
    "int_type": "doit être un nombre entier (par exemple 3)",
    "int_parsing": "doit être un nombre entier (par exemple 3)",
    "int_from_float": "doit être un nombre entier, sans virgule (par exemple 3)",
}


def french_message(error: Any, typed: str | None = None) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) as a French instruction;
    `typed` is the value as written in the file, when YAML read a text as « key: value »."""
    kind = error["type"]
    loc = error["loc"]
    if kind == "extra_forbidden":
        name = str(loc[0])
        close = difflib.get_close_matches(name, KNOWN_FIELDS, n=1, cutoff=0.5)
        if not close and not FIELD_NAME.fullmatch(name):
            return _text_read_as_field(name)
        hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
        return f"champ inconnu{hint} (champs possibles : {', '.join(KNOWN_FIELDS)})"
    if kind == "string_type" and isinstance(error.get("input"), dict):
        return _colon_message(loc, error["input"], typed)
    if kind == "string_type" and error.get("input") is None:
        return (
            "vide : écrivez le texte après les deux-points (pour une réponse : « answer: | » "
            "puis le texte en dessous, décalé de 4 espaces)"
        )
    if (
        kind == "list_type"
        and loc[0] in ("related", "links")
        and isinstance(error.get("input"), str)
    ):
        return (  # « related: lieu, contrat »: the brackets the README's examples have
            "doit être une liste : mettez les éléments entre crochets, séparés par des virgules "
            f"({loc[0]}: [{error['input']}]), ou un par ligne commençant par « - »"
        )
    if kind == "string_pattern_mismatch":
        if loc[0] == "links":
            return "lien invalide : une adresse qui commence par https:// est attendue"
        return (
            "identifiant invalide : seulement des minuscules sans accents, des chiffres et des "
            "tirets (ex. : remuneration, defi-datajust)"
        )
    # pydantic's own messages are English: staff get a French one whatever the error type.
    return _MESSAGES.get(kind, "valeur invalide pour ce champ ; comparez avec un exemple du README")


def _text_read_as_field(name: str) -> str:
    """A line of text shifted by 2 spaces only, with a colon: YAML reads « Horaires : … »
    under an entry as one more field of it (the last line of an answer, most often)."""
    return (
        f"« {name} » n'est pas un champ : cette ligne de texte n'est décalée que de 2 espaces, "
        "et avec son « : » YAML la lit comme un champ de l'entrée. Si elle fait partie de la "
        "réponse, décalez-la de 4 espaces, comme les lignes du texte au-dessus"
    )


def _colon_message(loc: tuple[Any, ...], value: dict[Any, Any], typed: str | None) -> str:
    """A text YAML read as « key: value » because of a colon followed by a space."""
    pairs = [f"{key}: {inner}" if inner is not None else f"{key}:" for key, inner in value.items()]
    text = typed or " ".join(pairs)
    written = f"- {quoted(text)}" if len(loc) > 1 else f"{loc[0]}: {quoted(text)}"
    first, rest = next(iter(value.items()))
    cut = f" (« {first} » et « {rest} »)" if len(value) == 1 and rest is not None else ""
    note = TYPOGRAPHIC_NOTE if typographic_inside(text) else ""
    return (
        "« : » suivi d'une espace dans un texte sans guillemets : YAML coupe le texte en "
        f"deux{cut}{note}. Mettez tout le texte entre guillemets : {written}"
    )
