"""The values `category` and `promotion` may take: the menu's topics and the programme's promotions.

They live here, below the replies, because the validator checks them: a misspelt category would
otherwise hide its entry from the /faq menu without a word.
"""

from __future__ import annotations

import difflib

TOPICS: dict[str, str] = {
    "programme": "Le programme",
    "candidature": "Candidater",
    "mission": "La mission d'EIG",
    "defis": "Les défis",
    "administrations": "Proposer un défi",
    "contact": "Contact",
}
"""Entry categories shown as topics, in menu order, with their French label."""

PROMOTIONS: dict[int, int] = {1: 2017, 2: 2018, 3: 2019, 4: 2020, 5: 2021, 6: 2022}
"""Promotion number → the year it started (the `promotions` entry tells the same story).
A défi's `promotion` must be one of these; a new promotion is one more line here."""


def promotion_label(number: int) -> str:
    """'1re promotion (2017)', '3e promotion (2019)'."""
    ordinal = "1re" if number == 1 else f"{number}e"
    year = PROMOTIONS.get(number)
    return f"{ordinal} promotion ({year})" if year else f"{ordinal} promotion"


def category_problem(category: str) -> str | None:
    """Why `category` is not a topic, with the closest one; None when it is one."""
    if category in TOPICS:
        return None
    close = difflib.get_close_matches(category, list(TOPICS), n=1, cutoff=0.5)
    hint = f"vouliez-vous dire « {close[0]} » ? " if close else ""
    return (
        f"thème « {category} » inconnu : {hint}(thèmes possibles : {', '.join(TOPICS)}) ; "
        "sans thème valide, l'entrée n'apparaît dans aucun menu"
    )


def promotion_problem(promotion: int) -> str | None:
    """Why `promotion` is not one of the programme's promotions; None when it is one."""
    if promotion in PROMOTIONS:
        return None
    known = ", ".join(f"{number} ({year})" for number, year in PROMOTIONS.items())
    return (
        f"promotion {promotion} inconnue : le programme compte ces promotions : {known} ; "
        "une nouvelle promotion s'ajoute dans bot/knowledge/topics.py (demandez-le à l'équipe "
        "technique)"
    )
