"""French text normalisation: accents, apostrophes, elisions, SMS spellings, stop words, stems."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
import stopwordsiso

from bot.engine.language import Language, language

# Characters folded before anything else: ligatures and the many apostrophes people type.
_TRANSLATE = str.maketrans(
    {
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "€": " euros ",
        "@": " a ",
        "&": " et ",
        "%": " pourcent ",
    }
)

# Where a question word carries intent, it survives as a marker term rather than being dropped.
# "où" is recognised before accents are folded away (after folding it collides with "ou" = "or").
_INTENT_WORDS: dict[str, str] = {
    "combien": "?combien",
    "cb": "?combien",
    "cbn": "?combien",
    "cmb": "?combien",
    "quand": "?quand",
    "qd": "?quand",
    "qand": "?quand",
    "kan": "?quand",
    "kand": "?quand",
    "comment": "?comment",
    "cmt": "?comment",
    "cmnt": "?comment",
    "koman": "?comment",
    "comen": "?comment",
    "qui": "?qui",
    "ki": "?qui",
    "kiki": "?qui",
    "pourquoi": "?pourquoi",
    "pq": "?pourquoi",
    "pk": "?pourquoi",
    "pkoi": "?pourquoi",
    "pourkoi": "?pourquoi",
    "who": "?qui",
    "when": "?quand",
    "where": "?ou",
    "wheres": "?ou",
    "whos": "?qui",
    "hows": "?comment",
    "whens": "?quand",
    "why": "?pourquoi",
    "how": "?comment",
    "jusquand": "?jusquand",
}

# Texting spellings and common contractions → the word they stand for (general French, not EIG:
# EIG vocabulary belongs to the staff-edited synonyms file).
_SMS: dict[str, str] = {
    "koi": "quoi",
    "kwa": "quoi",
    "ke": "que",
    "kel": "quel",
    "kelle": "quelle",
    "keske": "quoi",
    "kesako": "quoi",
    "kezako": "quoi",
    "kesk": "quoi",
    "jpeux": "peux",
    "jpx": "peux",
    "jsuis": "suis",
    "chu": "suis",
    "chui": "suis",
    "jsui": "suis",
    "jveux": "veux",
    "jvoudrais": "voudrais",
    "jdois": "dois",
    "jfais": "fais",
    "tjrs": "toujours",
    "tps": "temps",
    "pdt": "pendant",
    "tjr": "toujours",
    "bcp": "beaucoup",
    "ds": "dans",
    "pr": "pour",
    "pa": "pas",
    "ac": "avec",
    "avc": "avec",
    "tt": "tout",
    "ts": "tous",
    "mm": "meme",
    "qq": "quelque",
    "qqn": "quelqu",
    "qqch": "chose",
    "nn": "non",
    "ok": "",
    "dc": "donc",
    "quon": "on",
    "quil": "il",
    "quils": "ils",
    "jusqua": "jusqu",
    "pis": "puis",
    "pcq": "parce",
    "pck": "parce",
    "psk": "parce",
    "nb": "nombre",
    "presta": "prestataire",
    "prestas": "prestataire",
    "nbr": "nombre",
    "nbre": "nombre",
    "depl": "deplacement",
    "deplac": "deplacement",
    "auj": "aujourd",
    "mtn": "maintenant",
    "dsl": "desole",
    "stp": "",
    "svp": "",
    "slt": "",
    "bjr": "",
    "bsr": "",
    "cc": "",
    "mrc": "",
    "mci": "",
    "thx": "",
    "infos": "information",
    "info": "information",
    "whats": "what",
    "wats": "what",
}

# Words that say nothing about which entry is wanted: the stopwords-iso French list, plus
# conversational filler, minus the words that do carry meaning for EIG questions.
_EXTRA_STOP_WORDS = """
    fais faire faut pouvez pouvons pourriez veux veut voudrais voudrait voulez voulais souhaite
    souhaiterais aimerais aimerait dois devez sais savoir savez savais connaitre dites expliquer
    explique expliquez comprendre comprends compris bonjour bonsoir salut hello hey coucou
    remercie cordialement madame monsieur please question questions demande demander demandais
    renseigner renseignement renseignements estce oui ok svp stp ya cest cetait sest jai jsp
    chose truc genre vraiment simplement exactement precisement actuellement voila concretement
    info infos information informations hi thanks the of and to is est-ce justement franchement
    finalement bref enfin honnetement clairement
""".split()
_MEANINGFUL = frozenset(
    """
    apres état etat sujet sujets seul seule seuls debut premier premiere deuxieme troisieme
    quatrieme cinquieme sixieme ouvert ouverte ouverts personne personnes essai piece pieces
    dix deux trois quatre cinq six sept huit neuf onze douze quinze vingt trente cent mille
    combien comment quand qui pourquoi ou haut retour sous sans avant durant pendant
    """.split()
)


_ENGLISH_FUNCTION_WORDS = """
    a an the is are was were be been being am do does did doing have has had having can could
    would should will shall may might must i me my mine you your yours we us our they them their
    it its he him his she her this that these those there here what which whom whose of to in
    on at by for with from about into onto over under after before as than then so such and or
    but if not no nor any some all each every other also just only very too much many more most
    get got getting need needs want wants like know tell please thanks thank hi hello hey ok
    okay anyone someone something anything one ones s t d ll re ve m don doesn didn isn aren
    wasn weren won wouldn couldn shouldn can't cannot im
"""
"""English words that say nothing about which entry is wanted (questions come in English too).
The question words (who, when, where, why, how) are kept as intents, see `_INTENT_WORDS`."""


def _stop_words() -> frozenset[str]:
    words = (
        set(stopwordsiso.stopwords("fr"))
        | set(_EXTRA_STOP_WORDS)
        | set(_ENGLISH_FUNCTION_WORDS.split())
    )
    folded = {w for word in words for w in fold(word).split()}
    return frozenset(w for w in folded - _MEANINGFUL if not w.startswith("?"))


SET_ASIDE_OPENERS = ("a part", "hormis", "apart from", "other than", "aside from")
"""What sets a word aside, folded: « on a un accompagnement à part les mentors ? », « other than
the pay? ». Not « en dehors de Paris », a place, nor « besides the EIG, who else is on the
team », which asks about the team."""
_OPENERS = "|".join(SET_ASIDE_OPENERS)
SET_ASIDE = re.compile(
    rf"\b(?:{_OPENERS})"
    r"(?: (?:de|des|du|d))?(?: (?:les|le|la|l|mes|ses|vos|the|my|your))? ([a-z0-9]+)"
)
"""The word set aside is not what the message asks for (in a message's folded form)."""
_SET_ASIDE_WORDS = frozenset(max(opener.split(), key=len) for opener in SET_ASIDE_OPENERS)
"""A message holds one of these words (each opener's longest) before `SET_ASIDE` is tried on it:
most do not."""
_SET_ASIDE_WRITTEN = re.compile(
    rf"\b(?:{_OPENERS.replace('a part', '[aà] part')})"
    r"(?:\s+(?:de|des|du|d['’]))?(?:\s+(?:les|le|la|l['’]|mes|ses|vos|the|my|your))?\s*\w+",
    re.IGNORECASE,
)
"""`SET_ASIDE` in a text as typed."""


def without_set_aside(text: str) -> str:
    """`text` without the words it sets aside (`SET_ASIDE`), for the encoder: « on a un
    accompagnement à part les mentors ? » means what « on a un accompagnement ? » means."""
    kept = _SET_ASIDE_WRITTEN.sub(" ", text).strip()
    return " ".join(kept.split()) if kept else text


_FILLER_PHRASES = re.compile(
    r"\bdu coup\b|\b[aà] partir d(?:e|u|es)?\b|\ben g[ée]n[ée]ral\b|\bin general\b", re.IGNORECASE
)
"""Expressions that say nothing about the entry wanted, while their words may (« coup » of
« ça vaut le coup ? », « partir » of « partir à l'étranger », « général » of « secrétariat
général »): « du coup ils ont produit quoi concrètement ? », « et à partir de 2021 ? » (after the
pay: that year's pay), « combien d'eig par defi en general » (tryout e49). Taken out of the text
before its words are read (as a synonym phrase, every « du » would send a message down the
slower reading of multi-word synonyms)."""

_A_LINK = re.compile(
    r"\b(?P<before>the|any|a|le|un|ton|votre|site|web|website|repo|code|github|gitlab) links?\b"
    r"|\blinks?(?= (?:to|for|of|vers|du|de|des)\b)",
    re.IGNORECASE,
)
"""« link » typed for a web address (« github link? », « whats the link to the site »), read as
« lien »: « EIG Link », « le défi Link », « l'équipe link » still name the défi EIG Link."""


def _as_lien(match: re.Match[str]) -> str:
    before = match.group("before")
    return f"{before} lien" if before else "lien"


_J_CONTRACTION = re.compile(r"^j[bcdfghklmnpqrstvwxz][a-z]{2,}$")
_ELIDING = frozenset("ldj")
"""Elisions people glue to the next word (« lentretien », « deig », « jenvoie »); « c' »,
« s' », « m' »… glued would read too many words wrongly (« codeurs » is not « c'odeurs »)."""
_VOWELS_AND_H = frozenset("aeiouyh")
MIN_UNGLUED = 4
"""Shortest rest read as a French word once the elision is taken off (« lose » is not « l'ose »);
a word of the synonyms (« eig ») may be shorter."""
_PLURAL_ENDINGS = frozenset("sxz")
"""A word ending so is its own plural in French (« cours », « prix », « nez »)."""
MIN_PLURAL_BASE = 4
"""Shorter synonym words get no plural of their own: « an » → « ans », « cb » → « cbs » would
be other words or none."""
_ORDINAL = re.compile(r"^(\d+)(?:e|eme|er|ere|nd|nde|ieme|emes|es)$")
_NUMBER_WORDS = {
    "deux": "2",
    "trois": "3",
    "quatre": "4",
    "cinq": "5",
    "six": "6",
    "dix": "10",
    "premier": "1",
    "premiere": "1",
    "deuxieme": "2",
    "second": "2",
    "seconde": "2",
    "troisieme": "3",
    "quatrieme": "4",
    "cinquieme": "5",
    "sixieme": "6",
}
_NON_WORD = re.compile(r"[^0-9a-z?]+")
_ELISION = re.compile(r"\b(?:jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])'")
_OU_ACCENT = re.compile(r"\boù\b", re.IGNORECASE)
_REPEATS = re.compile(r"([a-z])\1{2,}")
_GLUED_NUMBER = re.compile(r"\b([a-z]{3,})(\d{1,4})\b")
"""A number typed against its word (« promo3 », « eig2019 »): two words (« m2 », « mp3 »
keep theirs)."""

MAX_QUERY_CHARS = 1000
"""Longer messages are cut before matching: the question is in the first few sentences."""

_stemmer = snowballstemmer.stemmer("french")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball French stem of one folded word (intent markers and numbers are kept as they are)."""
    if word.startswith("?") or word.isdigit():
        return word
    return str(_stemmer.stemWord(word))


def fold(text: str) -> str:
    """Lower-case, drop accents, punctuation and elisions: 'L’Œuvre d’État !' → 'oeuvre etat'."""
    text = text.translate(_TRANSLATE).lower()
    text = _OU_ACCENT.sub(" ?ou ", text)
    text = _ELISION.sub(" ", text)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    text = text.replace("'", " ").replace("-", " ")
    text = _NON_WORD.sub(" ", text)
    text = _GLUED_NUMBER.sub(r"\1 \2", text)
    text = _REPEATS.sub(r"\1\1", text)  # "salaiiiire" → "salaiire": fuzzy matching does the rest
    words = (w if w == "?ou" else w.strip("?") for w in text.split())
    return " ".join(w for w in words if w)


_OU_START = re.compile(r"\W*(ou)\b", re.IGNORECASE)
_OU_END = re.compile(r"\b(ou)\W*$", re.IGNORECASE)
_OU_AFTER_IS = re.compile(r"\b(?:c['’]?est|c)\s+(ou)\b(?!\s+pas\b)", re.IGNORECASE)
"""« c'est ou », « cest ou », « c ou » ask where (« c'est ou qu'on bosse ? »); « c'est ou pas ? »
is « or »."""
_OU_AFTER_PLACE = re.compile(
    r"\b(?:passe|passent|trouve|trouvent|d[eé]roule|d[eé]roulent|situe|situent|situ[eé]s?"
    r"|bas[eé]s?|bosse|bossent|travaille|travaillent|sont)\s+(ou)\b(?!\s+(?:pas|non|bien)\b)",
    re.IGNORECASE,
)
"""« ça se passe ou les missions ? », « ils bossent ou les eig ? »: a verb of place then « ou »
asks where; « ils bossent ou pas ? » is « or »."""


def mark_where(text: str) -> str:
    """ "ou" typed without its accent at a question's edge is "où" ("ou on bosse ?", "c'est
    ou ?"); inside a sentence it stays "or", but after « c'est » or a verb of place (« se
    passe ou »). Done on the whole text, before `fold`, which works token by token."""
    start = _OU_START.match(text)
    if start:
        text = f"{text[: start.start(1)]}où{text[start.end(1) :]}"
    end = _OU_END.search(text, max(0, len(text) - 16))
    if end:
        text = f"{text[: end.start(1)]}où{text[end.end(1) :]}"
    for where in (_OU_AFTER_IS, _OU_AFTER_PLACE):
        found = where.search(text)
        if found:
            text = f"{text[: found.start(1)]}où{text[found.end(1) :]}"
    return text


_UNTIL_WHEN = re.compile(
    r"\bjusqu['’\s]*[aà]\s+(?:quand|qd|kan|kand)\b|\b(?:until|till)\s+when\b", re.IGNORECASE
)
"""« jusqu'à quand », « jusqua qd », « until when »: a deadline or an end, not « depuis quand »
(since when: how old the programme is), which « quand » alone would match as well."""


def mark_until_when(text: str) -> str:
    """« jusqu'à quand » as one intent word (`_INTENT_WORDS`), on the whole text before `fold`."""
    return _UNTIL_WHEN.sub(" jusquand ", text)


_STOP_WORDS = _stop_words()


_NEXT_OR_ACCORDING = re.compile(r"^\W*d['’]?apr[eè]s\W*$", re.IGNORECASE)
"""« d'après » (any apostrophe or none, any punctuation around it) says « next » (« celle
d'après », « l'année d'après ») or « according to », never the time after the programme that
« après » asks about: it gives no word."""


@lru_cache(maxsize=65536)
def _token_words(token: str) -> tuple[str, ...]:
    """Base words (before synonyms) of one whitespace-separated token.

    `fold` never looks across whitespace, so folding a text token by token gives the same words
    as folding it whole; caching by token spares the many repeated words of a base (and of the
    chat) the Unicode decomposition and the regular expressions.
    """
    if _NEXT_OR_ACCORDING.match(token):
        return ()
    words: list[str] = []
    for word in fold(token).split():
        word = _INTENT_WORDS.get(word, word)
        word = _SMS.get(word, word)
        if _J_CONTRACTION.match(word):  # "jcomprends", "jpense": j' typed without apostrophe
            word = word[1:]
        match = _ORDINAL.match(word)
        if match:
            word = match.group(1)
        word = _NUMBER_WORDS.get(word, word)
        if word:
            words.append(word)
    return tuple(words)


def _folded_words(text: str) -> list[str]:
    return [word for token in text.split() for word in _token_words(token)]


_TOKEN_CACHE_SIZE = 100_000
"""Tokens a Normalizer remembers (each cache is emptied when full, so memory stays bounded)."""


def _is_content(word: str) -> bool:
    return word not in _STOP_WORDS and (len(word) > 1 or word.isdigit())


@dataclass(frozen=True, slots=True)
class Analysis:
    """A text once normalised: its folded form, its content words and their stems."""

    folded: str
    words: tuple[str, ...]
    """Content words after synonyms, before stemming (what typo correction works on)."""
    terms: tuple[str, ...]
    """Stems of `words`, in order, duplicates removed."""
    text: str = ""
    """The text as typed, cut to `MAX_QUERY_CHARS` (what the sentence encoder reads)."""
    language: Language = "fr"
    """The language it is written in (the bot answers in French either way)."""


class Normalizer:
    """Turns French text into matching terms; built once with the staff synonyms."""

    def __init__(self, synonyms: Mapping[str, Sequence[str]] | None = None) -> None:
        self._single: dict[str, tuple[str, ...]] = {}
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, variants in (synonyms or {}).items():
            target = tuple(w for w in _folded_words(canonical) if w)
            if not target:
                continue
            for variant in variants:
                source = tuple(_folded_words(variant))
                if len(source) == 1:
                    self._single[source[0]] = target
                elif len(source) > 1:
                    self._phrases[source] = target
        for variant, target in list(self._single.items()):
            # « stagiaires » for « stagiaire »: staff list a word once, people type plurals.
            if variant[-1] not in _PLURAL_ENDINGS and len(variant) >= MIN_PLURAL_BASE:
                self._single.setdefault(variant + "s", target)
        self._longest_phrase = max((len(p) for p in self._phrases), default=1)
        self._phrase_starts = frozenset(phrase[0] for phrase in self._phrases)
        self._token_content: dict[str, tuple[str, ...]] = {}
        self._spanning: set[str] = set()

        targets = [*self._single.values(), *self._phrases.values()]
        self._domain = frozenset([*self._single, *(w for target in targets for w in target)])
        """The synonyms' one-word variants and the words they stand for (« eig »)."""

    def _base_words(self, text: str) -> list[str]:
        return [self._unglued(w) for token in text.split() for w in _token_words(token)]

    def _unglued(self, word: str) -> str:
        """The word without an elision typed without its apostrophe: « lentretien » is
        « l'entretien », « deig » « d'EIG », « linscription » « l'inscription ».

        Only when the word is not a French word itself (« leur », « dire » stay) and what
        follows the letter is one, or a word of the synonyms (« eig »)."""
        if len(word) < 3 or word[0] not in _ELIDING or word[1] not in _VOWELS_AND_H:
            return word
        from bot.engine.lexicon import is_common_word  # lexicon folds with this module

        rest = word[1:]
        if rest in self._domain or (len(rest) >= MIN_UNGLUED and is_common_word(rest)):
            return word if is_common_word(word) else rest
        return word

    def _apply_synonyms(self, words: Sequence[str]) -> list[str]:
        single, starts = self._single, self._phrase_starts
        if starts.isdisjoint(words):  # the usual case: no multi-word variant can start here
            return [w for word in words for w in single.get(word, (word,))]
        out: list[str] = []
        i = 0
        while i < len(words):
            if words[i] in starts:
                for size in range(min(self._longest_phrase, len(words) - i), 1, -1):
                    target = self._phrases.get(tuple(words[i : i + size]))
                    if target:
                        out.extend(target)
                        i += size
                        break
                else:
                    out.extend(single.get(words[i], (words[i],)))
                    i += 1
                continue
            out.extend(single.get(words[i], (words[i],)))
            i += 1
        return out

    def content_words(self, text: str) -> list[str]:
        """Folded words after SMS spellings and synonyms, without stop words."""
        text = _A_LINK.sub(_as_lien, _FILLER_PHRASES.sub(" ", text))
        text = mark_until_when(mark_where(text))
        tokens = text.split()
        cache = self._token_content
        try:
            parts = [cache[token] for token in tokens]
        except KeyError:
            parts = [self._token_content_words(token) for token in tokens]
        if self._spanning and not self._spanning.isdisjoint(tokens):
            # A multi-word synonym may start in one of the tokens: read the text whole.
            return [w for w in self._apply_synonyms(self._base_words(text)) if _is_content(w)]
        return list(itertools.chain.from_iterable(parts))

    def _token_content_words(self, token: str) -> tuple[str, ...]:
        """The content words of one token, cached. Synonyms of one word and stop words are
        decided word by word, so the content words of a text are those of its tokens in turn,
        unless a multi-word synonym may start in a token: such tokens go to `_spanning`."""
        cache = self._token_content
        if token in cache:
            return cache[token]
        words = tuple(map(self._unglued, _token_words(token)))
        if not self._phrase_starts.isdisjoint(words):
            if len(self._spanning) >= _TOKEN_CACHE_SIZE:
                self._spanning.clear()
            self._spanning.add(token)
            return ()
        if len(cache) >= _TOKEN_CACHE_SIZE:
            cache.clear()
        content = cache[token] = tuple(w for w in self._apply_synonyms(words) if _is_content(w))
        return content

    def analyze(self, text: str) -> Analysis:
        """Normalise one text; never raises, whatever the input."""
        typed = text[:MAX_QUERY_CHARS]
        text = mark_until_when(mark_where(typed))
        words = tuple(self.content_words(text))
        folded = fold(text)
        words = self._without_set_aside(words, folded)
        return Analysis(
            folded=folded,
            words=words,
            terms=tuple(unique(stem(w) for w in words)),
            text=typed,
            language=language(folded),
        )

    def _without_set_aside(self, words: tuple[str, ...], folded: str) -> tuple[str, ...]:
        """`words` without the word the message sets aside (`SET_ASIDE`), unless it is all the
        message names."""
        if _SET_ASIDE_WORDS.isdisjoint(folded.split()):
            return words  # the usual case
        aside = {w for m in SET_ASIDE.finditer(folded) for w in self.content_words(m[0])}
        kept = tuple(w for w in words if w not in aside)
        return kept if kept else words

    def synonym_terms(self) -> dict[str, str]:
        """Each one-word synonym variant → the stem it stands for (for typo correction)."""
        return {
            variant: stem(target[0])
            for variant, target in self._single.items()
            if len(target) == 1 and target[0] not in _STOP_WORDS
        }


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order without duplicates."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
