"""What a message says about the défis: whether it asks about one, whether it names a theme,
and which part of a défi's card it asks for (its mentors, its team…).

The engine decides; the replies only read the decision (`Decision.unmatched_theme`,
`Decision.aspects`).
"""

from __future__ import annotations

import re

from bot.engine.normalize import Analysis, stem

PROJECT_WORDS = frozenset({"projet", "project", "challeng"})
"""Stems that ask about a project as such (with the base's own domain words, "eig", "def")."""

DEFI_WORDS = frozenset({"def", *PROJECT_WORDS})
"""Stems of "défi" and its synonyms: the message asks about a défi."""

ASKS_FOR_A_THEME = re.compile(
    r"\b(?<!appel a )(?<!appels a )(?:defis?|projets?|trucs?) "
    r"(?:(?:eig|de (?:la )?(?:3e )?(?:promo|promotion)(?: 3)?|(?:de |en )?2019) ){0,2}"
    r"(?:sur|autour|lies?|liees?|concernant|dans|pour|a propos"
    r"|en(?! general| moyenne| cours| promo| 20| tout| total))\b"
    r"(?! (?:lesquel|lequel|laquelle|quoi|quels? |quelles? ))"
    r"|\b(?:y ?en a|y ?en avait) (?:pas )?une? (?:sur|autour|concernant|dans|pour|a propos)\b"
    r"|\b(?:the one|a project|a challenge|projects|challenges) (?:about|on|around|with)\b"
    r"|\bthe (?!other\b|same\b|last\b|first\b|next\b)\w+(?: \w+)? one\b"
)
"""A défi asked for by its theme ("un défi sur l'environnement ?", « y avait pas un truc sur
l'agriculture bio ? », « un projet eig 2019 sur le logement ? », « un défi de la promo 3 sur
l'éducation ? »), in a message's folded form (not « l'appel à projets pour la promo 3 »,
the administrations' call);
"mon défi de cuisine" or "un défi sportif" use the word in another sense; « combien par projet
en général », « quel projet en promo 3 », « les projets en cours », « des trucs sur lesquels
les gens ont bossé », « combien de défis en tout », « vous évaluez les défis sur quels
critères » name no theme. « y en a un sur la couverture mobile ? » after the list, « the one
about speed cameras », « the refugee one », « the speed camera one » ask for one by its theme
too."""

GENERIC_DEFI_WORDS = frozenset(
    "defi defis projet projets liste tous toutes quel quels quelle quelles lesquels existe "
    "theme themes sujet sujets domaine domaines 3 2019 promotion promo eig entrepreneur "
    "entrepreneurs interet general generaux ya challenge challenges project projects list "
    "any there which what about ou".split()
)
"""Words of a question about the défis that name no theme ("quels sont les défis ?"; « ou » of
« la culture ou les musées »)."""

OTHER_PROMOTION_WORDS = frozenset(
    "1 2 4 5 6 2016 2017 2018 2020 2021 2022 premiere premieres deuxieme quatrieme "
    "ancienne anciennes ancien anciens precedente precedentes precedent precedents autres "
    "first second previous earlier older".split()
)
"""Words that name another promotion than the 3rd: « les défis en promo 1 » asks for those
défis, not for a theme that the 3rd promotion's défis lack."""


def names_another_promotion(analysis: Analysis) -> bool:
    return any(word in OTHER_PROMOTION_WORDS for word in analysis.words)


def asks_for_a_theme(analysis: Analysis) -> bool:
    """A défi asked for by its theme ("y a-t-il un défi sur l'environnement ?")."""
    return bool(ASKS_FOR_A_THEME.search(analysis.folded)) and not names_another_promotion(analysis)


def names_a_theme(analysis: Analysis) -> bool:
    """A question about the défis that names something besides them: a theme
    ("quels défis autour de l'écologie"), not the list ("quels sont les défis ?") nor a
    question word (« combien de défis dans cette promo »)."""
    if names_another_promotion(analysis):
        return False
    return any(
        word not in GENERIC_DEFI_WORDS and not word.startswith("?") for word in analysis.words
    )


ASPECTS: dict[str, frozenset[str]] = {
    "mentors": frozenset({"mentor", "mentored", "encadr"}),
    "equipe": frozenset({"equip", "team", "membr", "profil"}),
    "administration": frozenset(
        {"port", "porteur", "administr", "minister", "ministr", "ministry", "host", "hosted"}
        | {"ran", "run", "behind"}
    ),
    "resultats": frozenset(
        {"resultat", "result", "bilan", "about", "realis", "final", "achiev", "impact", "serv"}
        | {"continu", "prolong", "dur", "suit", "march", "exist", "outil", "produit", "build"}
        | {"sort", "dure", "last", "lasted", "onlin", "used"}
        | {"devenu", "advenu", "utilis", "utilisent", "happened", "afterward", "rest", "reste"}
        | {"stay", "devenus", "deven", "deviennent", "debouch"}
        | {"livr", "livrabl", "deliv", "delivered", "ouvert", "recup", "recuper", "collect"}
        | {"publi", "publish", "published"}
    ),
    "code": frozenset(
        {"cod", "github", "gitlab", "repo", "sourc", "sit", "websit", "web", "url", "lien", "lign"}
        | {"api"}
    ),
}
"""The parts of a défi's card a message may ask for alone, by the stems (after synonyms) that
ask for each: « et les mentors ? », « who mentored it? », « qui était dans l'équipe ? », « qui l'a
porté ? », « qui en était le porteur ? », « ça a donné quoi au final ? », « ça a marché ? », « ça
« existe encore ? », « il est devenu quoi ? », « c'est toujours utilisé ? », « et le code ? »,
« c'est en ligne ? », « website? », « qui les encadrait ? », « c quoi leurs profils ? », « who
hosted it? », « ils ont fait quoi comme outil ? », « ils sont restés après ? », « il a duré plus
longtemps ? », « how long did it last? » (a prolongation is told with the results), « ça a
débouché sur quoi ? », « ils ont livré quoi ? », « ils ont ouvert des données ? » (what was opened
is told with the results), « ils en ont récup combien des avis ? »."""

SIDE = frozenset({"cot"})
"""« côté » goes with any part: « qui portait le projet côté admin ? », « et côté mentors ? »."""

ASPECT_COMPANIONS: dict[str, frozenset[str]] = {
    "mentors": frozenset({"operationnel", "thematiqu", "nom"}) | SIDE,
    "equipe": frozenset({"person", "compos", "combien", "recrute", "recrut", "2", "3", "nom"})
    | frozenset({"eig", "peopl", "worked", "design", "developpeur", "scientist", "dat"})
    | SIDE,
    "administration": SIDE | {"rattach", "ven", "vient", "venait", "dependait", "depend"},
    "resultats": frozenset(
        {"fait", "concret", "don", "toujour", "encor", "temp", "apre", "fin", "promot", "dispo"}
        | {"truc", "eig", "longtemp", "10", "mois", "publ", "publi", "worked", "work"}
        | SIDE
    ),
    "code": frozenset(
        {"open", "dispo", "public", "publi", "publ", "lieu", "part", "toujour", "encor", "adress"}
        | {"ou", "sort", "truc", "voir", "see", "appel", "trouv"}
        | SIDE
    ),
}
"""Words that go with an aspect without asking for it alone (« qui étaient les deux personnes
recrutées dessus ? », « le code est dispo quelque part ? », « ya un site ou du code ? »,
« prolongé de combien de temps ? », « qu'est devenu l'outil après la fin de la promotion ? »,
« c quoi leurs noms et profils ? », « qui portait ce projet côté administration ? », « ils ont
sorti des trucs open source ? », « ils ont ouvert des données ? », « et côté mentor ? »;
« c rattaché à quelle administration ? », « ça venait de quelle direction ? », « ils ont publié
des outils ? »; « c'est où ? » alone asks for a place, not for the code; « don » is also the stem of
« données »; « les noms des mentors », « et le site il s'appelle comment »)."""


MEANING_LITTLE = frozenset(
    {"actually", "basically", "realli", "really", "exact", "exactly", "still", "again"}
)
"""English words the index keeps (a phrasing has them) that add nothing to a part asked for:
« what did they actually build », « is it still online? »."""

OPENED, DATA = "ouvert", "donne"
"""« ouvert » and the term of « données »: data opened is told with a défi's results; the data
a défi used (« ils ont utilisé quelles données ? ») is told in its whole card."""

WHO = "?qui"
"""The term of « qui » and « who »."""

WORK = "travail"
"""The stem of « travail », and of « work », which the synonyms read so."""

WORKING = frozenset({"boss", "travaill", "work", "worked", "built", "mad"})
"""Stems of working on something (« qui bossait dessus ? », « combien bossaient dessus ? », « who
made it? »)."""

TEAM_BY_WHO = frozenset(
    {"eig", "peopl", "person", *WORKING} | {"design", "developpeur", "scientist"}
)
"""« qui c'était les EIG dessus ? », « qui bossait dessus ? », « who were the people on it? »,
« et le designer c'était qui ? »: who, with a word for people, for working or for a profile on
a team line, asks for a défi's team (alone, « eig » or « travail » is no part of a card: « et
les EIG ? » may ask anything); so does who alone, on it (`ON_IT`)."""

ON_IT = re.compile(r"\b(?:dedans|dessus|on it|on that)\b")
"""« qui était dedans ? », « qui était dessus ? »: who, and nothing else but being on the défi."""

MADE_IT = re.compile(
    r"\b(?:qui|ki|who)\b.*\b(?:fait|fabrique|developpe|construit|made|built|did)\b"
)
"""« qui l'a fait ? », « c ki ki l'a fait ? », « qui a développé ça ? »: who, and the verb of
making it (no term)."""


ASKING_ABOUT = frozenset(
    "parl racont present detail expliqu info savoir particip consist programm sert servent march "
    "fonction".split()
)
"""« parlez-moi de DataJust », « racontez-moi Plume », « des détails sur CibNav », « la Cour de
cassation a participé au programme ? », « il consistait en quoi ? », « DataJust ça sert à
quoi ? », « celui de la Cour de cassation, ça marche comment ? »: asking about what the message
names, and nothing else."""


HOSTING_AND_PURPOSE = frozenset(
    "accueil port porteur men equip host hosted hosting ran run problem resoudr object enjeu "
    "goal aim purpos solv".split()
)
"""« quels défis ont été portés par le ministère de l'Intérieur ? », « la Cour de cassation a
accueilli une équipe EIG : quel était le problème à résoudre ? » (tryout e57): hosting a défi, or
what it set out to do, asks about the défi the message names, and nothing else."""


HEARD_OF_WORDS = (
    "entendu entendre entends vu lu passer passe radio tele television televise article articles "
    "presse journal journaux reportage media medias podcast linkedin twitter insta instagram "
    "facebook tiktok youtube reseaux post heard read saw seen news vois voit partout everywhere"
).split()
"""« c quoi le truc datajust dont g entendu parler a la radio », « heard about CibNav on a
podcast », « jai vu passer ca sur twitter », « ce defi link que je vois partout »: where the
défi was heard of, which asks nothing more about it (as the base reads them: its synonyms read
« twitter » as « contact »)."""

HEARD_OF = frozenset(map(stem, HEARD_OF_WORDS))


def asks_for_the_team_by_who(analysis: Analysis) -> bool:
    terms = set(analysis.terms)
    if terms == {WHO}:
        return bool(ON_IT.search(analysis.folded) or MADE_IT.search(analysis.folded))
    return WHO in terms and bool(terms & TEAM_BY_WHO)


HOW_MANY = "?combien"
"""The term of « combien » (« how many » reads as « ?comment » and a count word)."""

COUNTED = frozenset({"eig", "person", "peopl", "entrepreneur"})
"""« ils étaient combien dessus ? », « combien d'EIG ? », « how many people? »: a count of people,
or nothing counted at all, after a défi's card asks for its team."""

THE_TEAM = COUNTED | {"2", "3", "gar", "mec", "fill", "nan", "gen", "guy"}
"""Words for the défi's people, which go with any part of its card: « ils sont devenus quoi les
deux gars après ? », « et les mentors des EIG ? » (« gar » is the stem of « gars »)."""


TEAM_SIZES = frozenset({"2", "3", "4", "ou"})
"""« ils étaient 2 ou 3 ? »: team sizes and nothing else ask for the team too."""


TEAM_PROFILES = frozenset({"design", "developpeur", "scientist", "dat", "profil"})
"""« donc une designer et un dev, pas de data scientist ? »: profiles and nothing else, after a
défi's card, ask about its team."""


def asks_for_the_team_by_profile(terms: set[str]) -> bool:
    """« c quoi leurs profils ? », « data scientists tous les 2 ? »."""
    return bool(terms & TEAM_PROFILES) and terms <= TEAM_PROFILES | TEAM_SIZES


def asks_for_the_team_by_count(terms: set[str]) -> bool:
    """« combien d'EIG ? », « combien d'eig sur le projet ? », « combien d'entrepreneurs
    bossaient dessus ? », « ils étaient 2 ou 3 ? »; not « combien de défis ? »."""
    if HOW_MANY in terms:
        rest = terms - {HOW_MANY, WHO}  # « ils étaient combien et c'était qui ? »
        if not rest <= COUNTED | DEFI_WORDS | WORKING:
            return False
        return bool(rest & COUNTED) or not rest & DEFI_WORDS
    return bool(terms) and terms <= TEAM_SIZES and bool(terms - {"ou"})


ALL_DEFIS = re.compile(
    r"\b(?:ces|les|tous|toutes|vos|des|these|those|all|your)\s+(?:les\s+)?"
    r"(?:projets|defis|projects|challenges)\b"
    r"|\b(?:un|une|chaque|each|any|every|an?)\s+(?:projet|defi|mission|project|challenge)\b"
)
"""« le code de ces projets est-il public ? », « tous les défis ont un site ? », « un défi peut
avoir plusieurs mentors opérationnels ? », « ça dure combien de temps une mission EIG ? »: the
défis in the plural, or any défi, in a message's folded form; a part asked for them is not the
part of the one just given."""


THE_DEFI = re.compile(
    r"\b(?:le|ce|du|au|this|the) (?:projet|defi|project|challenge)\b"
    r"(?! (?:de|d|du|des|of|sur|on|about) )"
)
"""« qui portait le projet côté admin ? », « who ran the project? »: the défi just given, named
by a word for a défi (not « le projet de mon administration »)."""


def speaks_of_the_defi(analysis: Analysis) -> bool:
    return bool(THE_DEFI.search(analysis.folded))


def speaks_of_all_defis(analysis: Analysis) -> bool:
    return bool(ALL_DEFIS.search(analysis.folded))


ANOTHER = re.compile(
    r"\b(?:autres?|others?)\b(?! (?:questions?|choses?|sujets?|points?|things?|subjects?"
    r"|membres?|members?|personnes?|persons?|mentors?|eig|gars|mecs?|filles?|devs?|developpeurs?"
    r"|designers?|data))"
)
"""« et l'autre sur la justice ? », « and what about the other justice one », « y avait d'autres
défis sur la sécurité routière ? »: another than the one just given (folded, « l'autre » reads
« autre »); « une autre question » is no défi, and
« l'autre membre de l'équipe », « l'autre mentor » are of the same défi."""


def speaks_of_another(analysis: Analysis) -> bool:
    return bool(ANOTHER.search(analysis.folded))


ONESELF = re.compile(
    r"\b(?:(?:on|je|j|nous) (?:peu[tx]|pourr\w*|doi[st]|devr\w*|a le droit|ai le droit|reste\w*)"
    r"|can (?:i|we)|(?:do|must|should) (?:i|we))\b"
    r"(?! (?:voir|avoir|acceder|trouver|consulter|lire|telecharger|tester|utiliser|essayer"
    r"|see|find|get|use|try|access|read)\b)"
)
"""« on peut rester après les 10 mois ? », « can I stay on after? »: the one who asks, about
themselves; after a défi's card this asks about the programme, not for a part of that défi's
card (unless the message names the défi). « je peux voir le code ? » still asks for the défi's
code."""


def speaks_of_oneself(analysis: Analysis) -> bool:
    return bool(ONESELF.search(analysis.folded))


EVERY_EIG = re.compile(r"\b(?:les|des|the) (?:eig|entrepreneurs)\b|\b(?:en|in) general\b")
"""« et après les 10 mois les EIG deviennent quoi ? »: what became of the EIG in general, after
a défi's card too, also with « ils » (« ils deviennent quoi les eig ? » names them twice);
« et les EIG ils sont restés après ? », « les EIG de ce défi ont continué ? » point back to its
team (`speaks_of_every_eig`); « les EIG c'était qui ? » asks for the team."""


IN_GENERAL = re.compile(r"\b(?:en|in) general\b|\bgeneral(?:e)?ment\b|\bgenerally\b")
"""« en général le code des EIG est open source ? » after a défi's card: every défi's, not its
part of the card (in a message's folded form)."""


def asks_in_general(analysis: Analysis) -> bool:
    """Whether the message asks about every défi or every EIG (« en général »)."""
    return bool(IN_GENERAL.search(analysis.folded))


IN_THE_PAST = re.compile(r"\b(?:sont|ont|etaient|avaient)\b")
"""« et les eig sont restés après ? », « les EIG ont continué ? »: told in the past, after a
défi's card, what its team did; « les EIG deviennent quoi ? » asks what becomes of them all.
Wider than `PAST_TENSE` (an auxiliary alone is enough): « les EIG » already points at people."""


PAST_TENSE = re.compile(
    r"\b(?!(?:fait|plait|sait|parfait|souhait)\b)\w{2,}(?:ait|aient)\b"
    r"|\b(?:a|ont)\s+(?:ete|eu|\w+e)\b"
)
"""A verb in the past (« ça répondait à quel problème ? », « il y avait combien de testeurs »,
« qui y a travaillé ? »): what a défi of 2019 was or did, where the programme's rules are told in
the present (« c'est toujours 3 personnes par projet ? »). « ça fait quoi » is present."""


def told_in_the_past(analysis: Analysis) -> bool:
    return bool(PAST_TENSE.search(analysis.folded))


EIG_OF_A_PROMOTION = re.compile(
    r"\b(?:eig|entrepreneurs)s? (?:de|of|in) (?:la |the )?(?:\w+ )?(?:promo|promotion|cohort)"
)
"""« combien d'eig de la promo 3 sont restés ? », « EIG of the 3rd promotion »: every EIG of a
promotion, in the past too, whatever part of a défi's card the words would ask for (« combien »
reads as the team's size): a défi's team is not a promotion."""


def speaks_of_a_promotion_s_eig(analysis: Analysis) -> bool:
    return bool(EIG_OF_A_PROMOTION.search(analysis.folded))


def speaks_of_every_eig(analysis: Analysis) -> bool:
    folded = analysis.folded
    if not EVERY_EIG.search(folded) or IN_THE_PAST.search(folded):
        return False
    return not (ON_IT.search(folded) or THE_DEFI.search(folded))


def asks_for_a_part(analysis: Analysis) -> bool:
    """Whether any word of the message asks for a part of a défi's card."""
    terms = set(analysis.terms)
    if asks_for_the_team_by_who(analysis) or asks_for_the_team_by_count(terms):
        return True
    if asks_for_the_team_by_profile(terms):
        return True
    return any(stems & terms for stems in ASPECTS.values())


WHAT_WAS_DONE = re.compile(
    r"\b(?:fait|font|faisaient|faisait|construit|fabrique|developpe|did|do|does|built|made)\b"
)
"""« et ils ont fait quoi ? », « ils font quoi ? »: made of words the index leaves out (no term
at all), they ask a défi's results when they follow its card."""


WHAT_CAME_OF_IT = re.compile(r"\bdonnes?\b")
"""« ça a donné quoi ? », « qu'est-ce que ça a donné ? »: the verb, whose one term « don » is
also the stem of « données » (hence only in a message with no other term)."""


AND_THEN = ("apre",)
"""The terms of « et après ? », « ok et après ? »: after a défi's card, what came of it (alone,
« après » is the stem of the programme's « après les 10 mois »)."""


IN_THE_END = frozenset({"don", "fin", "final"})
"""The terms of « ça a donné quoi à la fin ? », « qu'est-ce que ça a donné au final ? »."""

PRODUCED = frozenset({"produc", "produit", "deliv", "livr", "output"})
"""The terms of « what did it produce? », « ils ont livré quoi ? », « what was the output? »:
after a défi's card, what came of it (its results)."""

IT_WORKED = re.compile(r"\b(?:did|does|has|have) (?:it|that|this|they) (?:really )?work")
"""« did it work? », « has it worked? »: « work » reads « travail », a word for working on it
(`WORKING`); asked so, it is whether the défi worked (its results)."""


ITS_DATA = frozenset({DATA, "dat"})
ABOUT_DATA = ITS_DATA | {"utilis", "sourc", "bas", "avaient", "avait", "use", "used"}


def asks_for_its_data(analysis: Analysis) -> bool:
    """« ils ont utilisé quelles données ? », « which data did they use »: after a défi's card,
    the data it worked on, which its whole card tells (not a part of it)."""
    terms = set(analysis.terms)
    return bool(terms & ITS_DATA) and terms <= ABOUT_DATA


def asks_what_was_done(analysis: Analysis) -> bool:
    """A message with no term but a verb of doing, with only the verb « donner » (and « à la
    fin »), only « après », only « produire » or « livrer », or « did it work? »: what a défi's
    team did (its results)."""
    terms = set(analysis.terms)
    if not terms:
        return bool(WHAT_WAS_DONE.search(analysis.folded))
    if analysis.terms == AND_THEN or terms <= PRODUCED:
        return True
    if IT_WORKED.search(analysis.folded) and terms <= {WORK}:
        return True
    return "don" in terms and terms <= IN_THE_END and bool(WHAT_CAME_OF_IT.search(analysis.folded))


WHAT_IT_IS = re.compile(r"\b(?:est|etait|c) (?:quoi|koi)\b|\bwhat (?:is|was|s)\b")
"""« c'est quoi », « c'était quoi », « what is », in a message's folded form (« c'est » is
« est »)."""

AND_WORDS = frozenset({"et", "and"})
"""« c'est quoi et qui l'a porté ? »: what the défi is, then something else about it."""


def asks_what_it_is(analysis: Analysis, name_terms: frozenset[str]) -> bool:
    """Whether the message asks what the défi is, next to its name, besides a part of its card:
    « c'est quoi DataJust et qui bossait dessus ? », « DataJust c'était quoi, et l'équipe ? »,
    « what is DataJust and who worked on it »; such a message gets the whole card, which holds
    that part too; so does a guess of what it is (`guesses_what_it_is`). « et le site c'est quoi
    l'adresse » asks what the address is."""
    folded = analysis.folded
    for match in WHAT_IT_IS.finditer(folded):
        before, after = folded[: match.start()].split(), folded[match.end() :].split()
        if after and (after[0] in AND_WORDS or stem(after[0]) in name_terms):
            return True
        if before and stem(before[-1]) in name_terms:
            return True
    return guesses_what_it_is(analysis, name_terms)


GUESS = re.compile(
    r"\b(?:c|est|etait|ca|sa|is|was|it s)\s+(?:un|une|pour|genre|comme|a|an|for|like)\b"
    r"|\b(?:sert|servait|serve)\s+a\b"
    r"|\b(?:c|est|etait|was|is)\s+(?:porte|portee|mene|menee|run|hosted|led)\s+(?:par|by)\b"
)
"""« c'est un … », « c'est pour … », « ça sert à … », « is it a … », « était porté par … »: what
something is or who carried it, guessed or asked, in a message's folded form."""


def guessed_terms(analysis: Analysis) -> frozenset[str]:
    """The terms right before a guess of what something is (`GUESS`): « plume » in « plume c un
    outil pr l'assemblee nationale ? »."""
    folded = analysis.folded
    before = (
        [word for word in folded[: match.start()].split() if len(word) > 1]
        for match in GUESS.finditer(folded)
    )  # « Karfu'R était porté par » folds to « karfu r etait porte par »
    return frozenset(stem(words[-1]) for words in before if words)


def guesses_what_it_is(analysis: Analysis, name_terms: frozenset[str]) -> bool:
    """Whether the message says what the défi is, right after its name, as a guess to check:
    « plume c un outil pr l'assemblee nationale ? », « polygraphe c'est un détecteur de mensonge
    pour la police ? », « explocode c'est pour apprendre à coder aux chômeurs ? ». The défi's
    card tells what it is, which corrects a wrong guess; the rest of the message may name
    another défi's administration, or words the base does not know."""
    return not guessed_terms(analysis).isdisjoint(name_terms)


ABOUT_A_SUBJECT = re.compile(r"\bport\w* sur\b")
"""« quel défi portait sur l'agriculture bio ? »: « porter sur » says what a défi is about, not
who carried it."""


def aspects_asked(analysis: Analysis, about_it: frozenset[str]) -> tuple[str, ...]:
    """The parts of a défi's card that the message asks for and nothing else: every term is
    one of those aspects' words, a question word, or a word about the défi itself (`about_it`:
    its name's, see `DefiRules._about_the_defi`).

    « et les mentors ? » asks for the mentors; « et les mentors, ils sont payés combien ? »
    asks something else about mentors, and gets no aspect."""
    asked = [name for name, stems in ASPECTS.items() if stems.intersection(analysis.terms)]
    if "administration" in asked and ABOUT_A_SUBJECT.search(analysis.folded):
        return ()
    accounted = set(about_it) | DEFI_WORDS | THE_TEAM | MEANING_LITTLE  # « qui portait ce défi ? »
    if not asked and asks_for_the_team_by_who(analysis):
        asked, accounted = ["equipe"], accounted | TEAM_BY_WHO
    if not asked and asks_for_the_team_by_count(set(analysis.terms)):
        return ("equipe",)
    if not asked and asks_for_the_team_by_profile(set(analysis.terms)):
        return ("equipe",)
    if not asked:
        return ()
    for name in asked:
        accounted |= ASPECTS[name] | ASPECT_COMPANIONS.get(name, frozenset())
    if OPENED in analysis.terms:
        accounted |= {DATA}  # « ils ont ouvert des données ? », not « quelles données ? »
    if all(term.startswith("?") or term in accounted for term in analysis.terms):
        return tuple(asked)
    return ()
