"""Which promotions a message names: « la promo 2 », « EIG 4 », « la première promotion »,
« les défis de 2018 ».

An entry bound to one promotion (its `promotion` field: the défis of the 3rd promotion and
their list) does not answer a message about another one: « et ceux de la promo 2 ? » after
the list of défis is not asking for that list again.
"""

from __future__ import annotations

import re

from bot.knowledge.topics import PROMOTIONS

ORDINALS: dict[str, int] = {
    **dict.fromkeys(("premiere", "premier", "1ere", "1re", "first", "1st"), 1),
    **dict.fromkeys(("deuxieme", "seconde", "second", "2e", "2eme", "2nd"), 2),
    **dict.fromkeys(("troisieme", "3e", "3eme", "third", "3rd"), 3),
    **dict.fromkeys(("quatrieme", "4e", "4eme", "fourth", "4th"), 4),
    **dict.fromkeys(("cinquieme", "5e", "5eme", "fifth", "5th"), 5),
    **dict.fromkeys(("sixieme", "6e", "6eme", "sixth", "6th"), 6),
}
"""Ordinals before a word for a promotion (« la deuxième promo »), folded."""

_COHORT = r"(?:promos?|promotions?|cohortes?|cohorts?|batch|eig)"
_NUMBERED = re.compile(rf"\b{_COHORT} ?(?:n ?)?(\d)\b|\beig(\d)\b")
"""« promo 2 », « EIG 4 », « promotion n° 3 », « eig2 »."""
_ORDINAL = re.compile(rf"\b({'|'.join(ORDINALS)}) {_COHORT}\b")
_YEAR = re.compile(
    rf"\b(?:{_COHORT}|defis?|projets?|projects?|challenges?)(?: (?:de|d|du|en|of|in))? (20\d\d)\b"
    rf"|\b(20\d\d) {_COHORT}\b"
)
"""A year after a word for a promotion or the défis (« les défis de 2018 »), or before a word
for a promotion (« the 2019 promo »); a year alone may be a date of the 3rd promotion's calendar
(its jury sat in 2018)."""

_YEARS = {year: number for number, year in PROMOTIONS.items()}

BARE_YEAR_COMPANIONS = frozenset(
    "et en pour de des du la le les ceux celles ca c est etait sinon alors quoi ou dans "
    "and in for of the what about".split()
)
"""Words that may come with a year alone and leave it naming a promotion (« et en 2018 ? » after
the défis of one); with any other word it is more often a date (« le jury de 2018 »)."""
_OF_THE = re.compile(
    r"(?:(?<=\bdefis de la )|(?<=\bdefi de la )|(?<=\bprojets de la )|(?<=\bprojet de la ))"
    r"(\d)(?:e|eme|ieme)?\b"
)
"""« les défis de la 4 », « les projets de la 2e »: a promotion by its number alone, after the
défis it had (« la 4 » alone could be anything)."""

_BARE_YEAR = re.compile(r"\b(20\d\d)\b")


def years_of(folded: str) -> frozenset[int]:
    """The years (20xx) a message holds, whatever the words around them."""
    return frozenset(int(y) for y in _BARE_YEAR.findall(folded))


def promotions_of_years(folded: str) -> frozenset[int]:
    """The promotions of the years a message holds, whatever the words around them (« how many
    people got selected in 2019 »: a date or the promotion, for the caller to tell)."""
    years = years_of(folded)
    return frozenset(_YEARS[y] for y in years if y in _YEARS and _YEARS[y] in PROMOTIONS)


def promotions_named(folded: str) -> frozenset[int]:
    """The promotions a message names, in its folded form (empty: it names none)."""
    named: set[int] = set()
    for match in _NUMBERED.finditer(folded):
        named.add(int(match.group(1) or match.group(2)))
    named.update(int(match.group(1)) for match in _OF_THE.finditer(folded))
    named.update(ORDINALS[match.group(1)] for match in _ORDINAL.finditer(folded))
    bare = all(w in BARE_YEAR_COMPANIONS or w.isdigit() for w in folded.split())
    years = _BARE_YEAR if bare else _YEAR
    found = (m.group(m.lastindex or 0) for m in years.finditer(folded))
    named.update(_YEARS[int(y)] for y in found if int(y) in _YEARS)
    return frozenset(n for n in named if n in PROMOTIONS)


def without_promotions(folded: str, *, relative: bool = False) -> str:
    """A message's folded form without the promotions it names by number, rank or year (and,
    with `relative`, relative to another: « les promos d'après »): what it asks of them
    (« salaire eig promo 3 » → « salaire eig »)."""
    bare = all(w in BARE_YEAR_COMPANIONS or w.isdigit() for w in folded.split())
    patterns = (
        _NUMBERED,
        _ORDINAL,
        _OF_THE,
        _BARE_YEAR if bare else _YEAR,
        *(_RELATIVE,) * relative,
    )
    for pattern in patterns:
        folded = pattern.sub(" ", folded)
    if relative and (_BARE.match(folded.strip()) or _BEFORE_ALONE.match(folded.strip())):
        return ""
    return " ".join(folded.split())


_RELATIVE = re.compile(
    r"\b(?:promos?|promotions?|cohortes?|cohorts?|annee|edition|celle|la|the|year|one)"
    r" (?:d )?(?:(avant(?! de\b| d\b)|precedente|previous|before|earlier)"
    r"|(apres|suivante|next|after))\b"
    r"|\b(?:la|the) (?:(precedente|previous)|(suivante|next))\b"
)
"""« la promo d'avant » (or « d avant », typed without its apostrophe), « l'année d'avant »,
« la précédente », « celle d'après », « the year before », « the next one », in a message's
folded form (elisions dropped); not « cette année avant de candidater », before doing something."""


def names_others_relatively(folded: str) -> bool:
    """Whether a message names promotions relative to one it does not name: « et pr les promos
    d apres ? », « and the previous one? »."""
    return bool(_RELATIVE.search(folded) or _BEFORE_ALONE.match(folded.strip()))


RELATIVE_TO_ONE = re.compile(
    r"\b(?:avant|apres|depuis|before|after|since) (?:la |le |l |the )?(?:promo|cohort|eig|20\d\d)"
)
"""« et avant la promo 3 ? », « after the 2019 cohort »: a promotion named to ask about others."""

_BARE = re.compile(
    rf"^(?:et|and|sinon)? ?(?:dans|pour|pr|chez|in|for)? ?(?:la|the|what about the)? ?"
    rf"({'|'.join(ORDINALS)}|\d)(?: one)?$"
)
"""« et la 2 ? », « et dans la 1 ? », « et la première ? », « and the first one? »: a promotion
by its rank alone."""


_BEFORE_ALONE = re.compile(r"^(?:ok |et |and |sinon |what about )*(?:avant|before|previously)$")
"""« et avant ? » after an entry of one promotion: the promotion before it (not « et après ? »,
which after a défi's card asks what came of it)."""


def promotions_after(folded: str, current: int) -> frozenset[int]:
    """The promotions a follow-up names relative to the promotion just answered about (`current`):
    « et la promo d'avant ? » after the 3rd promotion's figures is the 2nd, « et la première ? »
    the 1st. Empty when it names none that way."""
    named: set[int] = set(promotion_by_rank(folded))
    if _BEFORE_ALONE.match(folded.strip()):
        named.add(current - 1)
    for match in _RELATIVE.finditer(folded):
        before = match.group(1) or match.group(3)
        named.add(current - 1 if before else current + 1)
    return frozenset(n for n in named if n in PROMOTIONS and n != current)


def promotion_by_rank(folded: str) -> frozenset[int]:
    """The promotion a follow-up names by its rank alone (« et la 1ère ? », « et la 2 ? »)."""
    bare = _BARE.match(folded.strip())
    if not bare:
        return frozenset()
    word = bare.group(1)
    rank = int(word) if word.isdigit() else ORDINALS[word]
    return frozenset({rank}) if rank in PROMOTIONS else frozenset()
