"""Follow-ups: how much a message leans on the previous answer ("et pour les fonctionnaires ?").

Three signs, each a feature the ranking model weighs (fitted on conversations of the golden
tables): the message opens with a link word ("et", "mais", "and"), it points back with a
pronoun ("qui l'a porté ?", "ça commence quand ?", "qui en étaient les mentors ?"), and it is
short (a follow-up names little).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.engine.normalize import Analysis, fold, stem

_LINK = re.compile(
    r"^\W*(?:et|mais|sinon|alors|puis|pis|du coup|ok|d'accord|dac|and|but|so|what about)\b", re.I
)
"""Words a follow-up opens with (« pis », Quebec French for « puis »)."""
_POINTER = re.compile(
    r"(?:\b(?:l|qu)['’]\s*(?:a|ai|as|ont|est|était|etait)\b"
    r"|\ben\s+(?:est|sont|était|étaient|etait|etaient|a|ont|avait|avaient)\b"
    r"|\b(?:ça|ca|cela|celui|celle|ceux|celles|lui|leur|leurs|son|sa|ses|dessus|là|la-bas|là-bas"
    r"|y(?!\s*(?:en\s+)?(?:a|avait|aura|aurait|ait|a-t-il|avait-il)\b)"
    r"|it|its|this|that|there|he|she)\b"
    r"|\b(?:ce|cet|cette)\s+(?:outil|projet|défi|defi|truc|logiciel|appli|application|plateforme"
    r"|équipe|equipe)\b)",
    re.I,
)
"""Pronouns that point back. « y » does (« ils y sont restés ? »), not in « (il) y a » and « y
avait », which only say that something exists: « y a une asso des anciens ? » after a défi's
card asks about the alumni, not about that défi."""

_RESUMED = re.compile(
    r"^(?:(?:et|mais|ok|alors|sinon) )?(?:le|la|les|l|un|une|des|du|mon|ma|mes|votre|vos) "
    r"(?:\w+ ){1,3}(?:ca|cela)\b"
)
"""« et les congés payés ça donne quoi ? »: « ça » takes up the subject the message has just
named, in a message's folded form."""


def resumes_its_subject(analysis: Analysis) -> bool:
    """Whether the message's only pointer takes up its own subject (`_RESUMED`): it points back
    to nothing of the conversation."""
    return bool(_RESUMED.search(analysis.folded)) and len(_POINTER.findall(analysis.text)) == 1


SHORT_WORDS = 3
"""A message with at most this many content words names too little to stand alone."""


@dataclass(frozen=True, slots=True)
class Dependence:
    """Signs that a message continues the conversation rather than starting a new question."""

    link: float = 0.0
    pointer: float = 0.0
    short: float = 0.0

    @property
    def any(self) -> bool:
        return bool(self.link or self.pointer or self.short)


_THEY = re.compile(r"\b(?:ils|elles|they)\b")
"""« ils », « elles »: not a sign of a follow-up in general (« ils sont payés combien ? » asks
about the EIG), but after a défi's card, a message that asks only for a part of a card with them
(« ils ont sorti des trucs open source ? ») asks it of that défi's team."""


def speaks_of_them(analysis: Analysis) -> bool:
    return bool(_THEY.search(analysis.folded))


def without_link(text: str) -> str:
    """`text` without the link word it opens with: with no previous answer, « et le contrat
    c'est un cdi ? » asks what « le contrat c'est un cdi ? » asks."""
    match = _LINK.search(text)
    rest = text[match.end() :].lstrip(" ,") if match else text
    return rest or text


_THEM = re.compile(r"\b(?:they|them|their)\b", re.I)
"""English « they », « them », « their »: like « ils », they mostly speak of the EIG in general
(« ok and how much do they get paid » after the programme asks for the pay, tryout e55); after a
défi's card they speak of its team (« who were they », « what did they build »)."""


def dependence(analysis: Analysis, *, after_a_defi: bool = False) -> Dependence:
    """The follow-up signs of one message; `after_a_defi`: the bot has just given a défi."""
    text = analysis.text
    return Dependence(
        link=float(bool(_LINK.search(text))),
        pointer=float(bool(_POINTER.search(text)) or (after_a_defi and bool(_THEM.search(text)))),
        short=float(len(analysis.words) <= SHORT_WORDS),
    )


_EXPLAIN = re.compile(
    r"\b(?:(?:est|etait|c) (?:quoi|koi)|concretement|exactement|precisement|en gros"
    r"|detaill?\w*|expliqu\w*|consist\w*|veut dire|a dire|mean\w*|marche|fonctionne"
    r"|exactly|precisely|whats? (?:is |s |was )?(?:that|this|it))\b"
)
"""Words asking to explain what was just said, in a message's folded form (« c'est » is
« est »); not a bare « quoi »: « et ils ont fait quoi ? » asks for something else."""

_EXPLAIN_TERMS = frozenset(
    [
        "?comment",
        *(
            stem(fold(word))
            for word in "consiste consistait détailler détaille expliquer explique gros veut "
            "dire marche fonctionne mean means exactly precisely".split()
        ),
    ]
)
"""The terms such a message may hold: nothing that names a subject of its own."""


BARE_QUESTIONS = frozenset({"?combien", "?pourquoi"})
"""« combien ? », « pourquoi ? » alone: a detail of what was just said (« quand ? » may ask
when the programme began, « je demande à qui ? » whom to write to, whatever was said)."""

BARE_QUESTION_WORDS = 3
"""Words of such a message at most: « combien en tout ? », « ah bon pourquoi ? » (« y en a eu
combien depuis ? » asks for more)."""


def asks_about_it(analysis: Analysis) -> bool:
    """Whether the message only asks to explain what was just said: « ça consiste en quoi
    concrètement ? », « c'est quoi exactement ? », « tu peux détailler ? », « comment ça
    marche ? », or asks only a question word of it (« combien ? » after the financing). « et
    ensuite ? » asks for something else, and « c'est quoi le salaire ? » names its subject."""
    terms = set(analysis.terms)
    if terms and terms <= BARE_QUESTIONS and len(analysis.folded.split()) <= BARE_QUESTION_WORDS:
        return True
    return bool(_EXPLAIN.search(analysis.folded)) and terms <= _EXPLAIN_TERMS


_CHANGED = re.compile(
    r"\b(?:ca|cela|c|ce|it|that|this|things?) (?:a |est |has |have |s )?"
    r"(?:change|changed|evolue|bouge|moved|evolved)\b"
    r"|\btoujours (?:le cas|d actualite|valable|vrai|pareil)\b|\bstill (?:the case|true|valid)\b"
)
"""« ça a changé depuis ? », « c'est toujours le cas ? », « has that changed since? »: whether
what was just said still holds, in a message's folded form."""

_CHANGED_TERMS = frozenset(
    stem(fold(word))
    for word in "change changé changed évolué bougé moved evolved since cas actualité "
    "valable vrai pareil still true valid today now".split()
)
"""The terms such a message may hold: nothing that names a subject of its own (« depuis »,
« maintenant » are no terms)."""


def asks_if_it_changed(analysis: Analysis) -> bool:
    """Whether the message only asks if what was just said still holds (« ça a changé
    depuis ? » after the financing, whose card tells what changed in 2020)."""
    return bool(_CHANGED.search(analysis.folded)) and set(analysis.terms) <= _CHANGED_TERMS


_SAME = re.compile(
    r"\b(?:pareil|idem|meme chose|meme question|same|likewise)\b|\bc est valable (?:pour|aussi)\b"
)
"""« pareil pour les data engineers ? », « mon copain est en alternance, pareil ? », « same for
designers? »: the question just answered, asked of something else (folded form)."""


def asks_the_same(analysis: Analysis) -> bool:
    """Whether the message asks the question just answered again, of something else."""
    return bool(_SAME.search(analysis.folded))


_THE_LINK = re.compile(
    r"^(?:(?:the|a|le|un|ton|votre) )?(?:link|lien|url|site)s?"
    r"(?: (?:pls|plz|please|svp|stp|s il (?:te|vous) plait|merci|thanks))?$"
)
"""« link pls », « le lien svp », « url please »: the address of what the message asks about, not
a question of its own (« link » alone names the défi EIG Link), in a message's folded form."""


def asks_for_the_link(analysis: Analysis) -> bool:
    """Whether the message only asks for a link (after a question, that question's)."""
    return bool(_THE_LINK.match(analysis.folded.strip()))
