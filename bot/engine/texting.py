"""Texting spellings written out in full, for the sentence encoder.

The word side reads « qd », « cb » or « jai » through the normaliser's own tables, which map
them to folded words. The encoder reads the message as typed, and it was trained on written
French: « jusqua qd on peut postuler » is far from « jusqu'à quand peut-on candidater ? » for it,
the same question written out is not. Only general French lives here; the programme's own
words (« eig », « promo ») belong to the staff-edited synonyms.
"""

from __future__ import annotations

import re

from bot.engine.lexicon import is_common_word
from bot.engine.normalize import fold

WRITTEN_OUT: dict[str, str] = {
    "qd": "quand",
    "qand": "quand",
    "kan": "quand",
    "kand": "quand",
    "cb": "combien",
    "cbn": "combien",
    "cmb": "combien",
    "cmt": "comment",
    "cmnt": "comment",
    "koman": "comment",
    "ki": "qui",
    "kiki": "qui c'est qui",
    "pq": "pourquoi",
    "pk": "pourquoi",
    "pkoi": "pourquoi",
    "pourkoi": "pourquoi",
    "koi": "quoi",
    "kwa": "quoi",
    "ke": "que",
    "kel": "quel",
    "kelle": "quelle",
    "keske": "qu'est-ce que",
    "kesk": "qu'est-ce que",
    "kesako": "qu'est-ce que c'est",
    "kezako": "qu'est-ce que c'est",
    "cest": "c'est",
    "cetait": "c'était",
    "sest": "s'est",
    "jai": "j'ai",
    "jsuis": "je suis",
    "jsui": "je suis",
    "chu": "je suis",
    "chui": "je suis",
    "jpeux": "je peux",
    "jpx": "je peux",
    "jveux": "je veux",
    "jdois": "je dois",
    "jfais": "je fais",
    "jsais": "je sais",
    "jsp": "je ne sais pas",
    "quon": "qu'on",
    "quil": "qu'il",
    "quils": "qu'ils",
    "jusqua": "jusqu'à",
    "ya": "il y a",
    "tjrs": "toujours",
    "tjr": "toujours",
    "tps": "temps",
    "pdt": "pendant",
    "bcp": "beaucoup",
    "ds": "dans",
    "pr": "pour",
    "pa": "pas",
    "ac": "avec",
    "avc": "avec",
    "tt": "tout",
    "mm": "même",
    "qq": "quelques",
    "qqn": "quelqu'un",
    "qqch": "quelque chose",
    "dc": "donc",
    "pis": "puis",
    "pcq": "parce que",
    "pck": "parce que",
    "psk": "parce que",
    "auj": "aujourd'hui",
    "mtn": "maintenant",
    "dsl": "désolé",
    "stp": "s'il te plaît",
    "svp": "s'il vous plaît",
    "bjr": "bonjour",
    "slt": "salut",
    "mrc": "merci",
    "xp": "expérience",
    "dxp": "d'expérience",
    "prog": "programme",
    "depl": "déplacement",
    "dépl": "déplacement",
    "deplac": "déplacement",
    "admin": "administration",
    "rému": "rémunération",
    "remu": "rémunération",
    "whats": "what's",
    "wats": "what's",
    "wheres": "where's",
    "whos": "who's",
    "hows": "how's",
    "whens": "when's",
}
"""A texting spelling (lower case, as typed) → the words it stands for."""

_GLUED_ELISION = re.compile(r"^(j|l|d|qu)([aeiouyhéèêàâîôû]\w{3,})$", re.IGNORECASE)
"""A word that may be an elision glued to the next word (« jutilise », « lentretien »); whether it
is one is the lexicon's call (« quelle », « lundi » are words: see `written_out`)."""

_TOKEN = re.compile(r"(?<!['’])\b[^\W\d_]+\b(?!['’])")
"""A word typed alone: not a piece of « c'est » or « aujourd'hui »."""


def _written(match: re.Match[str]) -> str:
    token = match.group(0)
    lower = token.lower()
    found = WRITTEN_OUT.get(lower)
    if found is not None:
        return found
    glued = _GLUED_ELISION.match(token)
    if glued is None or is_common_word(fold(token)):
        return token
    elided, rest = glued.groups()
    spelled = WRITTEN_OUT.get(rest.lower())  # « ladmin »: l'administration
    if spelled is not None:
        return f"{elided}'{spelled}"
    return f"{elided}'{rest}" if is_common_word(fold(rest)) else token


def written_out(text: str) -> str:
    """`text` with its texting spellings written out: « jai que 2 ans dxp c mort ? » →
    « j'ai que 2 ans d'expérience c mort ? », « jutilise mon mac » → « j'utilise mon mac ».
    « c » stays: « le calendrier c'est quoi » reads further from the base than « le calendrier
    c quoi » to the decision model, which declined the first with a typo in it.
    A glued elision is cut only when the word is not French and what follows the apostrophe
    is (« lentretien »; « leur », « dire », « quelle » stay)."""
    return _TOKEN.sub(_written, text)
