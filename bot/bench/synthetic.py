"""Synthetic knowledge bases and queries for the benchmark, in the real YAML format.

The vocabulary mixes real FAQ words with generated French-like words (accents included), ranked
with Zipf-like frequencies: a few common terms appear in many entries, most terms in few, as in a
real FAQ. Each entry has a rare "signature" word and a few Zipf-drawn topic words; its phrasings
use question templates, a varying subset of the topic words in varying order, and some extra
words. Everything is drawn from a seeded `random.Random`, so a size always gives the same base.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

PHRASINGS_PER_ENTRY = 5
VOCABULARY_SIZE = 6000
ENTRIES_PER_FILE = 1000
ZIPF_EXPONENT = 1.05
SIGNATURE_FROM_RANK = 400
"""Signature words are drawn uniformly from the ranks after this one: rare terms."""

# Common FAQ words take the top ranks, so that the most frequent terms look like a real base's.
_REAL_WORDS = """
    programme candidature contrat salaire mission administration équipe défi mentor durée date
    dossier formation télétravail rémunération entretien sélection jury calendrier promotion
    données numérique projet service public agent état ministère poste recrutement lettre
    motivation curriculum diplôme expérience compétence développeur designer juriste statut
    congés vacances période essai démission fin début rentrée session accompagnement réseau
    événement atelier séminaire immersion bilan résultat impact code source ouvert licence
    logiciel outil plateforme accès serveur sécurité confidentialité déontologie cumul activité
    indépendant freelance étranger nationalité visa âge étudiant stage alternance thèse
    doctorat chercheur laboratoire partenaire financement budget coût prime indemnité
    déplacement transport logement ville région paris lyon lille bordeaux marseille nantes
    toulouse rennes strasbourg horaires temps partiel complet semaine mois année trimestre
    mail adresse téléphone contact question réponse aide assistance problème erreur compte
    inscription connexion mot passe formulaire pièce justificative attestation certificat
    visite médicale handicap aménagement parité diversité égalité inclusion
""".split()

# Letter groups of generated words, repeated to weight the draws (plain vowels most often).
_ONSETS = [
    *("b c d f g j l m n p r s t v".split() * 3),
    *("ch br cr dr fr gr pr tr pl cl bl gl qu".split()),
]
_NUCLEI = [
    *("a e i o u".split() * 5),
    *("é é é è ê â ô".split()),
    *("ou ai au eu oi an en in on".split()),
]
_CODAS = [
    *("" for _ in range(12)),
    *("r s l n t x".split()),
    *("tion ment age eur ence ité isme ure ette ière oire ique".split()),
]

_TEMPLATES = (
    "Comment {} ?",
    "Quel est le {} ?",
    "Quelle est la {} ?",
    "Est-ce que je peux {} ?",
    "Où trouver {} ?",
    "Quand a lieu {} ?",
    "Combien de {} ?",
    "C'est quoi {} ?",
    "{} : comment ça marche ?",
    "{}",
    "{} ?",
    "j'aimerais savoir pour {}",
    "Qui s'occupe de {} ?",
    "Pourquoi {} ?",
    "infos sur {}",
    "Est-il possible de {} ?",
    "À qui demander pour {} ?",
    "Je voudrais des précisions sur {}",
)
_JOINERS = ("", "", "", "de", "du", "des", "et", "pour", "avec", "le", "la", "les", "en", "sur")
_CATEGORIES = ("programme", "candidature", "mission", "defis", "administrations", "contact")

# Off-topic messages: real small talk and questions about other things, plus strings of words
# that share no term with any base (their letters make them unlike the generated words).
_OFF_TOPIC = (
    "quel temps fera-t-il demain à {} ?",
    "donne-moi une recette de {} facile",
    "qui a gagné le match de {} hier soir",
    "raconte-moi une blague sur les {}",
    "quel est le meilleur film de {} ?",
    "horaires du train pour {} ce week-end",
    "je cherche un plombier à {}",
    "comment réparer mon vélo {} ?",
    "{}",
    "{} {}",
)
_OFF_WORDS = """
    météo lasagnes football pizza guitare plombier vélo kayak chaton dinosaure croissant
    tartiflette marathon astronomie jardinage tricot échecs karaoké volcan pingouin
""".split()
_OFF_ONSETS = ("zw", "kh", "xy", "wh", "yk", "zk", "vw")


def _generated_word(rng: random.Random) -> str:
    syllables = rng.choice((2, 2, 2, 3, 3))
    parts = [rng.choice(_ONSETS) + rng.choice(_NUCLEI) for _ in range(syllables)]
    return "".join(parts) + rng.choice(_CODAS)


def vocabulary(size: int = VOCABULARY_SIZE, seed: int = 7) -> list[str]:
    """`size` distinct words, most frequent first: real FAQ words, then generated ones."""
    rng = random.Random(seed)
    words = list(dict.fromkeys(_REAL_WORDS))
    seen = set(words)
    while len(words) < size:
        word = _generated_word(rng)
        if word not in seen and len(word) >= 4:
            seen.add(word)
            words.append(word)
    # Shuffle the generated words among the real ones a little, so that rare terms are not all
    # generated: real words keep the top ranks on average.
    head, tail = words[: len(_REAL_WORDS)], words[len(_REAL_WORDS) :]
    mixed = head[:60] + sorted(head[60:] + tail[: len(head) * 2], key=lambda _: rng.random())
    return mixed + tail[len(head) * 2 :]


@dataclass(frozen=True, slots=True)
class SyntheticEntry:
    id: str
    category: str
    questions: tuple[str, ...]
    answer: str


class _Sampler:
    """Zipf-distributed draws from a ranked vocabulary."""

    def __init__(self, words: Sequence[str], rng: random.Random) -> None:
        self.words = list(words)
        self.rng = rng
        weights = [1.0 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(self.words))]
        self.cumulative = list(itertools.accumulate(weights))

    def zipf(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def rare(self) -> str:
        return self.rng.choice(self.words[SIGNATURE_FROM_RANK:])


def _phrasing(topic: Sequence[str], sampler: _Sampler) -> str:
    rng = sampler.rng
    chosen = rng.sample(list(topic), k=rng.randint(2, min(3, len(topic))))
    chosen += sampler.zipf(rng.choice((0, 0, 1, 1, 2)))
    rng.shuffle(chosen)
    words: list[str] = []
    for word in chosen:
        joiner = rng.choice(_JOINERS)
        if words and joiner:
            words.append(joiner)
        words.append(word)
    text = rng.choice(_TEMPLATES).format(" ".join(words))
    return text[0].upper() + text[1:] if rng.random() < 0.7 else text


def _answer(topic: Sequence[str], sampler: _Sampler) -> str:
    rng = sampler.rng
    sentences = []
    for _ in range(rng.randint(1, 3)):
        words = sampler.zipf(rng.randint(6, 16))
        sentences.append(" ".join(words).capitalize() + ".")
    first = f"Pour **{' '.join(topic[:2])}**, voici l'essentiel."
    return "\n\n".join([first, *sentences])


def generate(size: int, seed: int = 1) -> list[SyntheticEntry]:
    """A synthetic base of `size` entries with PHRASINGS_PER_ENTRY distinct phrasings each."""
    rng = random.Random(seed * 1_000_003 + size)
    sampler = _Sampler(vocabulary(), rng)
    entries: list[SyntheticEntry] = []
    for number in range(size):
        topic = [sampler.rare(), *dict.fromkeys(sampler.zipf(rng.randint(2, 3)))]
        questions: list[str] = []
        while len(questions) < PHRASINGS_PER_ENTRY:
            text = _phrasing(topic, sampler)
            if text not in questions:
                questions.append(text)
        entries.append(
            SyntheticEntry(
                id=f"synth-{number:05d}",
                category=_CATEGORIES[number % len(_CATEGORIES)],
                questions=tuple(questions),
                answer=_answer(topic, sampler),
            )
        )
    return entries


try:  # libyaml's emitter is much faster when PyYAML was built with it.

    class _BlockDumper(yaml.CSafeDumper):
        """Writes multi-line answers as `|` blocks, as staff do."""

except AttributeError:  # pragma: no cover - depends on how PyYAML was built

    class _BlockDumper(yaml.SafeDumper):  # type: ignore[no-redef]
        """Writes multi-line answers as `|` blocks, as staff do."""


def _represent_str(dumper: yaml.representer.SafeRepresenter, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_BlockDumper.add_representer(str, _represent_str)


def write(entries: Sequence[SyntheticEntry], directory: Path) -> list[Path]:
    """Write the entries as knowledge YAML files (ENTRIES_PER_FILE a file); return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for start in range(0, len(entries), ENTRIES_PER_FILE):
        chunk = entries[start : start + ENTRIES_PER_FILE]
        data = [
            {
                "id": e.id,
                "category": e.category,
                "questions": list(e.questions),
                "answer": e.answer,
            }
            for e in chunk
        ]
        path = directory / f"synth-{start // ENTRIES_PER_FILE:03d}.yaml"
        text = yaml.dump(
            data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=1000, indent=2
        )
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


QueryKind = Literal["exact", "typo", "accents", "reordered", "off-topic"]
KIND_LABELS: dict[QueryKind, str] = {
    "exact": "formulations exactes",
    "typo": "fautes de frappe",
    "accents": "sans accents",
    "reordered": "mots dans le désordre",
    "off-topic": "hors sujet",
}
QUERY_MIX: tuple[tuple[QueryKind, float], ...] = (
    ("exact", 0.25),
    ("typo", 0.25),
    ("accents", 0.15),
    ("reordered", 0.20),
    ("off-topic", 0.15),
)


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    kind: QueryKind
    expected: str | None
    """The entry the query was made from; None for off-topic queries."""


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    match rng.randrange(4):
        case 0:  # swap two neighbours
            return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
        case 1:  # drop a letter
            return word[:i] + word[i + 1 :]
        case 2:  # double a letter
            return word[:i] + word[i] + word[i:]
        case _:  # replace a letter
            return word[:i] + rng.choice("aeioursntl") + word[i + 1 :]


def _with_typos(text: str, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    for i in rng.sample(long, k=min(len(long), rng.choice((1, 1, 2)))):
        words[i] = _typo(words[i], rng)
    return " ".join(words)


def _reordered(text: str, rng: random.Random) -> str:
    words = text.rstrip(" ?").split()
    for _ in range(5):
        shuffled = rng.sample(words, k=len(words))
        if shuffled != words or len(words) < 2:
            return " ".join(shuffled)
    return " ".join(reversed(words))


def _off_topic(rng: random.Random) -> str:
    template = rng.choice(_OFF_TOPIC)
    if template.count("{}") == 2:
        gibberish = (
            rng.choice(_OFF_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_ONSETS) + rng.choice("aoiy")
            for _ in range(2)
        )
        return template.format(*gibberish)
    return template.format(rng.choice(_OFF_WORDS))


def _variant(entry: SyntheticEntry, kind: QueryKind, rng: random.Random) -> str:
    phrasing = rng.choice(entry.questions)
    if kind == "accents":
        accented = [q for q in entry.questions if q != strip_accents(q)]
        return strip_accents(rng.choice(accented) if accented else phrasing)
    if kind == "typo":
        return _with_typos(phrasing, rng)
    if kind == "reordered":
        return _reordered(phrasing, rng)
    return phrasing


def queries(entries: Sequence[SyntheticEntry], count: int, seed: int = 2) -> list[Query]:
    """`count` queries in the QUERY_MIX proportions, made from phrasings of `entries`.

    A typo or reordered query always differs from every phrasing of the base (a phrasing too short
    to change is replaced by another one).
    """
    rng = random.Random(seed)
    kinds = [kind for kind, _ in QUERY_MIX]
    weights = [share for _, share in QUERY_MIX]
    phrasings = {q for e in entries for q in e.questions}
    out: list[Query] = []
    for kind in rng.choices(kinds, weights=weights, k=count):
        if kind == "off-topic":
            out.append(Query(_off_topic(rng), kind, None))
            continue
        for _ in range(20):
            entry = rng.choice(entries)
            text = _variant(entry, kind, rng)
            if kind not in ("typo", "reordered") or text not in phrasings:
                break
        out.append(Query(text, kind, entry.id))
    return out
