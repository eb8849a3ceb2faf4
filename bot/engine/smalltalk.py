"""Small talk: messages that are not questions (hello, thanks, ok, lol, bye…) and need no lookup.

A message is small talk when, once its small-talk phrases are taken out, nothing is left but
filler words: "merci beaucoup !" is, "merci, et le salaire ?" is not. Each kind gets a short
reply of its own (`bot.replies`), and none is ever logged as an unanswered question.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.engine.language import Language
from bot.engine.normalize import Analysis

SmallTalk = Literal["greeting", "thanks", "ack", "laugh", "bye", "insult", "bot", "language"]

_PHRASES: dict[SmallTalk, tuple[str, ...]] = {
    "insult": (
        "nul nulle naze pourri pourrie debile idiot idiote stupide con conne inutile incompetent "
        "abruti merde merdique bidon useless stupid dumb sucks crap rubbish trash worst bof meh "
        "relou",
        "de la merde|tu sers a rien|sert a rien|t es nul|tu es nul|vous etes nul|ta gueule"
        "|comprends rien|comprend rien",
    ),
    "bot": (
        "robot bot ia chatbot humain human ai machine",
        "qui es tu|qui etes vous|t es qui|tu es qui|tes qui|t ki|c ki|who are you|what are you"
        "|are you real|vrai personne|une vraie personne|quelqu un de reel|quelqu un derriere"
        "|un humain derriere|humain derriere|real person|a real person|a human|es qui"
        "|quelqu un de vrai|qqn de vrai|qqn de reel|y a qqn|who made you|who built you"
        "|who created you|who programmed you|qui t a cree|qui t a fait|qui vous a cree"
        "|qui t a programme|qui vous a programme|tu sers a quoi|a quoi tu sers|a quoi sers tu"
        "|vous servez a quoi|a quoi servez vous|tu t appelles comment|comment tu t appelles"
        "|comment vous appelez vous|c est quoi ton nom|quel est ton nom|what s your name"
        "|whats your name|what is your name|vrai fonctionnaire|vraie fonctionnaire"
        "|t un fonctionnaire|t es un fonctionnaire|tu es un fonctionnaire"
        "|vous etes un fonctionnaire|etes vous un fonctionnaire",
    ),
    "language": (
        "english anglais french",
        "do you speak english|can you speak english|do you understand english|speak english"
        "|do u speak english|u speak english|can u speak english"
        "|can i ask in english|can i write in english|in english|english please|en anglais"
        "|tu parles anglais|vous parlez anglais|parlez vous anglais|parles tu anglais"
        "|tu comprends l anglais|vous comprenez l anglais|tu parles quelles langues"
        "|quelles langues|which languages|what languages",
    ),
    "bye": (
        "revoir bye ciao tchao adieu goodbye",
        "au revoir|a plus|a bientot|bonne journee|bonne soiree|bonne nuit|see you|see ya"
        "|have a nice day|a la prochaine|bonne fin de journee|bonne fin de soiree"
        "|bonne fin de semaine|bon week end|bon weekend|bonne continuation|je reviens vers vous"
        "|je reviendrai vers vous|je vous recontacte|je reviens vers toi|je vous laisse"
        "|je te laisse|je dois y aller|je dois filer|je file|je vais manger|je vais y aller"
        "|gotta go|got to go|i have to go",
    ),
    "thanks": (
        "merci mrc mci thx thanks thank cimer remercie ty cheers gentil gentille sympa "
        "bg meilleur meilleure grazie gracias danke obrigado obrigada appreciate appreciated "
        "aimable aimables",
        "merci beaucoup|merci bien|thank you|thanks a lot|mille mercis|pour info|pour les infos"
        "|pour la reponse|pour ta reponse|pour votre reponse|pour ton aide|pour votre aide"
        "|for the info|for your help|for the help|for helping|for the answers|for the answer"
        "|pour toutes ces informations|pour ces informations"
        "|pour les informations|pour toutes ces infos|pour ces infos|pour l info|pour tout"
        "|pour toutes ces reponses|pour vos reponses|pour tes reponses|for all the info"
        "|pour votre patience|pour ta patience|pour votre temps|pour ton temps"
        "|for your patience|for your time|pour ces elements|pour ces precisions"
        "|pour vos explications|pour ces explications|for the details|for the explanation"
        "|avez aide|avez aidee|avez bien aide|avez bien aidee|avez beaucoup aide"
        "|avez beaucoup aidee|as aide|as aidee|as bien aide|as bien aidee|a bien aide"
        "|a bien aidee|a beaucoup aide|ca aide|ca a aide|aide beaucoup|avez ete utile"
        "|avez ete tres utile|as ete utile|as ete tres utile|a ete utile|a ete tres utile"
        "|y voir plus clair|vois plus clair|you helped|that helps|that helped|very helpful"
        "|pour le coup de main|pour ton coup de main|pour votre coup de main|avoir repondu"
        "|avoir aide|avoir aidee|avoir pris le temps",
    ),
    "greeting": (
        "bonjour bonsoir salut hello hey he coucou hi yo bjr bsr slt cc re wesh wsh allo hola",
        "good morning|good evening|good afternoon|hello there|hi there|hey there|ca va"
        "|comment ca va|comment vas tu|comment allez vous|how are you|hope you are well"
        "|hope you re well|hope you re doing well|hope you are doing well|hope ur doing well"
        "|hope ur well|hope all is well",
    ),
    "ack": (
        "ok okay okk oki dac dacc dak daccord entendu compris super top parfait genial cool nickel "
        "great nice good perfect noted bien oui ouais yes yep yeah certes excellent ah oh "
        "clair clear helpful useful utile utiles impeccable interessant awesome accord bon "
        "rassurant sorry desole desolee pardon interesting brilliant amazing lovely wonderful "
        "fantastic superbe dommage",
        "ca marche|d accord|bien recu|tres bien|got it|pas mal|je vois|i see|c est note|est note"
        "|ca roule|bien vu|trop bien|tant pis|tant mieux|pas grave|c est pas grave"
        "|plus clair|pour la precision|pour les precisions|je vais tenter ma chance"
        "|jvais tenter ma chance|je tente ma chance|je vais tenter|jvais tenter|je vais postuler"
        "|jvais postuler|je vais candidater|jvais candidater|je vais y reflechir|je vais reflechir"
        "|i ll apply|i will apply|i ll give it a try|i ll give it a shot|ca rassure"
        "|ca me rassure|me rassurez|me rassures|me rassure|c est rassurant"
        "|je vais relire tout ca|je vais relire|in french|no worries|no problem|quand meme|qd meme"
        "|a air|a l air|sounds good|looks good|looks great",
    ),
    "laugh": ("lol mdr ptdr haha hahaha hihi xd xptdr", "mort de rire"),
}
"""Single words, then multi-word phrases (separated by |), by kind, most telling kind first."""

_FILLER = frozenset(
    "le la les l un une de du des ce cet cette c est es t tu te toi vous je j me moi m ai a "
    "et ou mais donc alors bien tres trop beaucoup vraiment meme encore ca cela vraiment "
    "you your u are is a the so very much really it this that i m me my an for all "
    "grand gros un peu ton ta votre vos son sa mon ma mes bcp bp please plz pls stp svp "
    "mate or y quoi etait vrai reponse reponses infiniment sincerement right hein etes "
    "pour ces comme mille ben bah beh euh heu hmm hm bref enfin tes lot lots franchement "
    "honnetement serieux honestly seriously madame monsieur mademoiselle mme mlle messieurs "
    "dames sir madam maam pff pfff rho btw only just chef boss truc machin jeune homme femme "
    "ami amie young man lady sounds sound looks seems dear buddy pal".split()
)
"""Words that may come with small talk ("t'es vraiment nul", "merci beaucoup à vous", "you're a
bot, right?", "merci pour ces réponses", "bon ok merci qd même", "euh ok", "merci t'es un bg",
"thx a lot, very helpful", "merci madame vous êtes bien aimable", "merci beaucoup jeune homme",
"thanks! btw do you speak english or only french?", "sounds interesting", "thank you dear")."""

_WORDS: dict[str, SmallTalk] = {}
_MULTI: list[tuple[tuple[str, ...], SmallTalk]] = []
for _kind, (_words, _phrases) in _PHRASES.items():
    for _word in _words.split():
        _WORDS.setdefault(_word, _kind)
    for _phrase in _phrases.split("|"):
        _MULTI.append((tuple(_phrase.split()), _kind))
_MULTI.sort(key=lambda item: -len(item[0]))
_MULTI_BY_FIRST: dict[str, list[tuple[tuple[str, ...], SmallTalk]]] = {}
"""`_MULTI` by first word, longest first: only those can start at a given word."""
for _phrase_words, _phrase_kind in _MULTI:
    _MULTI_BY_FIRST.setdefault(_phrase_words[0], []).append((_phrase_words, _phrase_kind))

_PRIORITY: tuple[SmallTalk, ...] = tuple(_PHRASES)

_REPEATED = re.compile(r"(.)\1+")
"""A letter held down: « merciii », « okkk », « coooool » (folding keeps two of a run)."""
_LAUGH = re.compile(r"(?:ha|ah|he|hi|hu){2,}h?|x?pt+d+r+|m+d+r+|l+o+l+")
"""Laughter of any length: « hahahaha », « mdrrr », « looool »."""


def _word_kind(token: str) -> SmallTalk | None:
    """The kind of a small-talk word, also when a letter is held down (« merciii »)."""
    kind = _WORDS.get(token)
    if kind is None and _LAUGH.fullmatch(token):
        return "laugh"
    if kind is None and _REPEATED.search(token):
        kind = _WORDS.get(_REPEATED.sub(r"\1", token)) or _WORDS.get(_REPEATED.sub(r"\1\1", token))
    return kind


_ENGLISH_CUES = frozenset(
    "thanks thank thx ty cheers hello hi hey bye goodbye great nice good perfect noted yes yep "
    "yeah awesome helpful useful you your got see morning evening afternoon day how lot much "
    "appreciate appreciated".split()
)
_FRENCH_CUES = frozenset(
    "merci mrc mci cimer bonjour bonsoir salut coucou bjr bsr slt cc revoir daccord accord dac "
    "genial nickel parfait bien oui ouais compris entendu mdr ptdr je tu vous es est ca beaucoup "
    "tres trop".split()
)
"""Words that tell which language small talk is in: « thanks a lot » and « hello there » are
too short for `language` (« a » is French too), « merci, thanks » is French."""


def small_talk_language(analysis: Analysis) -> Language:
    """The language of a small-talk message: English when it has an English cue and no French
    one, or reads as English anyway."""
    tokens = set(analysis.folded.split())
    if analysis.language == "en" or (tokens & _ENGLISH_CUES and not tokens & _FRENCH_CUES):
        return "en"
    return "fr"


MAX_SMALL_TALK_WORDS = 12
"""Longer messages carry something else than a greeting or a thank-you."""


_SEE_YOU = re.compile(r"^\W*a\s*\+\W*$", re.IGNORECASE)
"""« a+ », « A+ ! »: « à plus » in a text message, of which folding keeps only « a »."""


def is_laugh(word: str) -> bool:
    """Whether one folded word is a laugh (« lol », « mdr », « hahaha »)."""
    return _word_kind(word) == "laugh"


_PLAN_OPENERS: tuple[tuple[str, ...], ...] = (
    ("je", "vais"),
    ("jvais",),
    ("j", "vais"),
    ("je", "m", "en", "vais"),
    ("on", "va"),
    ("i", "ll"),
    ("i", "will"),
)
"""How one says what one will do next (« je vais leur écrire », « i'll email them »)."""

PLAN_WORDS = 4
"""Words of such a plan at most: « je vais leur envoyer un mail »."""

_ASKING = frozenset(
    "quand qd ou comment combien cb quoi qui quel quelle quels quelles pourquoi est ce "
    "when where how what who which why".split()
)
"""Question words: a plan that holds one asks something (« je vais candidater, c'est quand ? »)."""


def _phrase_at(tokens: list[str], position: int) -> tuple[tuple[str, ...], SmallTalk] | None:
    """The longest small-talk phrase that starts at `position`, if one."""
    for phrase, kind in _MULTI_BY_FIRST.get(tokens[position], ()):
        if tuple(tokens[position : position + len(phrase)]) == phrase:
            return phrase, kind
    return None


def _plan_end(tokens: list[str], position: int) -> int | None:
    """Where a plan that starts at `position` ends (`_PLAN_OPENERS`), or None if none starts
    there or it asks something. It ends before the next small-talk word or phrase."""
    opener = next(
        (o for o in _PLAN_OPENERS if tuple(tokens[position : position + len(o)]) == o), None
    )
    if opener is None:
        return None
    end = position + len(opener)
    while end < len(tokens) and end - position - len(opener) < PLAN_WORDS:
        token = tokens[end]
        if token in _ASKING:
            return None
        if _word_kind(token) is not None or _phrase_at(tokens, end) is not None:
            break
        end += 1
    return end if end > position + len(opener) else None


def small_talk(analysis: Analysis) -> SmallTalk | None:
    """The kind of small talk the message is, or None when it holds a question or anything else.

    What one will do next goes with a thank-you or an acknowledgement (« ok je vais leur
    écrire. merci beaucoup pour votre aide ! », tryout e55), never in a message that asks."""
    if _SEE_YOU.match(analysis.text):
        return "bye"
    tokens = analysis.folded.split()
    if not tokens:
        # Only emoji or punctuation: a reaction ("👍", "?!"), unless nothing was typed at all.
        return "ack" if analysis.text.strip(" ?!.,;:") else None
    if len(tokens) > MAX_SMALL_TALK_WORDS:
        return None
    asks = "?" in analysis.text
    found: set[SmallTalk] = set()
    position = 0
    while position < len(tokens):
        phrase = _phrase_at(tokens, position)
        if phrase is not None:
            found.add(phrase[1])
            position += len(phrase[0])
        else:
            plan_end = None if asks else _plan_end(tokens, position)
            if plan_end is not None:
                position = plan_end
                continue
            token = tokens[position]
            word_kind = _word_kind(token)
            if word_kind is not None:
                found.add(word_kind)
            elif token not in _FILLER:
                return None
            position += 1
    return next((kind for kind in _PRIORITY if kind in found), None)
