"""The decisions about défis made after the decision model: a part of a défi's card asked for
alone (« et les mentors ? »), a défi asked for on a theme that no défi has, the list of défis
offered with the suggestions for a question about a défi.

`Index.decide` calls these rules; the words they read are in `bot.engine.defis`.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from bot.engine.decision import NEAR_MISS_RANK, Candidate, Decision, Gathered, Ranking, Thresholds
from bot.engine.defis import (
    ASKING_ABOUT,
    DEFI_WORDS,
    GENERIC_DEFI_WORDS,
    HEARD_OF,
    HEARD_OF_WORDS,
    HOSTING_AND_PURPOSE,
    TEAM_BY_WHO,
    asks_for_a_part,
    asks_for_a_theme,
    asks_for_its_data,
    asks_in_general,
    asks_what_it_is,
    asks_what_was_done,
    aspects_asked,
    guessed_terms,
    names_a_theme,
    names_another_promotion,
    speaks_of_a_promotion_s_eig,
    speaks_of_all_defis,
    speaks_of_another,
    speaks_of_every_eig,
    speaks_of_oneself,
    speaks_of_the_defi,
    told_in_the_past,
)
from bot.engine.normalize import Analysis, fold, stem
from bot.engine.promotions import promotions_named, promotions_of_years
from bot.engine.vocabulary import Vocabulary
from bot.knowledge import Entry, KnowledgeBase
from bot.knowledge.topics import PROMOTIONS

RESULTS = ("resultats",)
"""The part of a card that « et ils ont fait quoi ? » asks for."""

NAME_ENTRIES = 3
"""Entries a word of a défi's name may be in and still name it: its own, the list of défis and
one more. For the words of its name and its people's, only the entries asked with them count:
the answers that mention a défi (« CibNav » in the support's and the open source's) do not."""

NO_FACTORS = np.zeros(0)
"""The factors of a term no entry holds."""

ONLY_THEME_WORDS = 2
"""Words besides the défi words that a theme alone takes (« l'éducation », « le logement
social »): a message with more may ask something else than a défi on a theme."""

THEME_WORDS = 3
"""Words besides the défi words above which a message says more than « a défi on X »: « je
viens d'etre retenu sur un defi lie aux finances publiques et on me parle d'une enquete de
securite » asks about the vetting, and was told that no défi is on its « theme »."""

THEY = re.compile(r"\b(?:ils|elles|they|them|their)\b")
"""The people of the défi just given, in a message's folded form (`kept_on_followed`)."""

ONE_OF_SEVERAL_SURE = 0.9
"""Ranking share from which one défi answers a question for défis in the plural: the ranking
is sure that one défi is meant (« which challenges were about health data », 0.91), where a
theme several défis share leaves it less sure (AI: ExploCode at 0.83)."""

FOLLOWED_SHARE = 0.5
"""Share of the ranking from which a choice led by the défi just given is that défi's answer."""

STRONGEST_RATIO = 4.0
"""A word counted this many times more in one entry's texts than in any other's is that entry's
own too (`_strongest_entries`): « avis » is PolyGraphe's (22 against IA Flash's 2), so « ils en
ont récup combien des avis » after its card asks for its results; « données » is no one's."""

STRONGEST_MIN = 3.0
"""…and counted at least this much: a word in one question (« called » of « what was it called »)
names no theme."""

OWN_TERM_ENTRIES = 1
"""A word in the questions of this défi alone is about it; a word other entries are asked with
may ask something else (« payé »), or name another défi (« amende » and « amendement » are one
stem: LexImpact's and IA Flash's; « avis » is PolyGraphe's and IA Flash's)."""

THEME_HOLDERS = 2
"""Défis on a theme offered with the list of défis; a word more défis have names no theme."""

SHARED_ADMINISTRATION = 3
"""Défis an administration's word may be shared by and still name them together (« Intérieur »:
IA Flash and Karfu'R); more is a word of many (« ministère », « Cour »)."""

MATCHED_NAME_WORDS = 2
"""Words naming one défi alone that make a long message about it (a first and a last name)."""

RIVAL_SHARE = 0.15
"""A rival entry that the ranking gives this share or more may be what a message naming a défi's
person asks: « Kim Montalibet est payée combien ? » keeps its choice of DataJust and the pay."""

PROMOTION_ORDINALS = frozenset({"3rd", "third", "troisiem"})
"""Terms of « 3rd promo » that `promotion_terms` does not hold (« 3e » is the term « 3 »)."""


class DefiRules:
    """The base's défis as these rules read them: each one's distinctive name words."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        vocabulary: Vocabulary,
        position: Mapping[str, int],
        synonyms: Mapping[str, str],
    ) -> None:
        """`position`: each entry's position in the base, by id (the index's own); `synonyms`:
        each one-word synonym → the term it is read as (`Normalizer.synonym_terms`)."""
        self._heard_of = HEARD_OF | {synonyms[w] for w in HEARD_OF_WORDS if w in synonyms}
        """The terms of `HEARD_OF_WORDS` as the base reads them (« twitter » as « contact »)."""
        self.knowledge = knowledge
        self.entries = knowledge.entries
        self.vocabulary = vocabulary
        self._position = position
        self._names = self._distinctive_names()
        self._administered = self._shared_administrations()
        self._asked_in = collections.Counter(
            itertools.chain.from_iterable(vocabulary.question_terms)
        )
        """Term → how many entries have it in their questions."""
        self._strongest = _strongest_entries(vocabulary.term_counts)
        self._other_promotions = self._other_promotions_defis()
        """The other promotions' défis (`_other_promotions_defis`), read once per base."""

    def with_aspects(self, decision: Decision, given: Sequence[int], follow_up: bool) -> Decision:
        """A défi answered for a message that asks only for a part of its card (« et les
        mentors ? », « qui l'a porté ? », « les mentors de Plume ? »): the one défi the message
        names, else the défi just given when the message reads as a follow-up (`follow_up`,
        worked out once by `Index.decide`); `given`: the positions of the entries just given, the
        latest last. Any other decision is kept as it is."""
        analysis, terms = decision.analysis, set(decision.analysis.terms)
        followed = self._followed(given, follow_up)
        if followed is not None and asks_what_was_done(analysis):
            target = Candidate(followed, 0.0, followed.title)
            return Decision(decision.query, "answer", (target,), analysis, aspects=RESULTS)
        if followed is not None and asks_for_its_data(analysis):
            target = Candidate(followed, 0.0, followed.title)
            return Decision(decision.query, "answer", (target,), analysis)
        if not asks_for_a_part(analysis):
            if followed is not None and self._leads_on_followed(decision, followed):
                first = decision.candidates[0]  # its whole card, then
                target = (
                    first if first.entry is followed else Candidate(followed, 0.0, followed.title)
                )
                return Decision(decision.query, "answer", (target,), analysis)
            return decision  # most messages: no part of a card asked for
        named = [self.entries[i] for i, name in self._names if name & terms]
        if not named and asks_for_a_theme(analysis):
            # « back to the refugee one, how many partners did they have »: named by its theme
            named = [self.entries[i] for i in self._theme_holders(analysis)]
        if len(named) > 1:
            return decision  # several défis named: which one is meant is not sure
        about_them = not (
            speaks_of_all_defis(analysis)
            or speaks_of_oneself(analysis)
            or speaks_of_another(analysis)  # « et l'autre défi au ministère de la Justice ? »
        )
        entry = named[0] if named else followed if about_them else None
        if entry is None:
            return decision
        ranked = (c for c in decision.candidates if c.entry.id == entry.id)
        target = next(ranked, None) or Candidate(entry, 0.0, entry.title)
        position = self._position[target.entry.id]
        asked = aspects_asked(analysis, self._about_the_defi(position, analysis))
        if not asked or (asked == RESULTS and not named and speaks_of_every_eig(analysis)):
            return decision  # « et après les 10 mois les EIG deviennent quoi ? »: all of them
        if not named and speaks_of_a_promotion_s_eig(analysis):
            return decision  # « combien d'eig de la promo 3 sont restés ? »
        if not named and asks_in_general(analysis):
            return decision  # « en general le code des eig est open source ? »
        if asks_what_it_is(analysis, self.vocabulary.name_terms[position]):
            return Decision(decision.query, "answer", (target,), analysis)
        return Decision(decision.query, "answer", (target,), analysis, aspects=asked)

    @staticmethod
    def _leads_on_followed(decision: Decision, followed: Entry) -> bool:
        """Whether a follow-up told in the past got a choice led by the défi just given (« ça
        répondait à quel problème ? » after ExploCode's card: ExploCode or the défis), or an
        answer about the programme while it names that défi with « ce défi » (« ça a commencé
        quand ce défi ? » after DataJust's card got the programme's creation, tryout e18)."""
        if decision.status == "fallback":
            return False
        analysis = decision.analysis
        first = decision.candidates[0].entry
        led = decision.status == "suggest" and first is followed
        pointed = decision.status == "answer" and not first.is_defi and speaks_of_the_defi(analysis)
        return (
            (led or pointed)
            and told_in_the_past(analysis)
            and not (
                speaks_of_all_defis(analysis)
                or speaks_of_oneself(analysis)
                or speaks_of_another(analysis)
            )
        )

    def kept_on_followed(
        self, decision: Decision, given: Sequence[int], follow_up: bool
    ) -> Decision:
        """The défi just given, for a message about its people (« ils », « they ») that another
        défi answers without being named: « which court decisions did they use » after
        DataJust's card got Open Justice (« court » reads « justice »), and the next messages
        (« who were the data scientists on it », « and the mentors? ») followed Open Justice.
        « et l'autre sur la justice ? » asks for another one, and a défi named by its name
        (« et ils ont fait quoi sur Open Justice ? ») or by its theme alone (« back to the refugee
        one, how many partners did they have ») is that one."""
        followed = self._followed(given, follow_up)
        entry, analysis = decision.entry, decision.analysis
        if followed is not None and self._led_by(decision, followed):
            return Decision(decision.query, "answer", decision.candidates[:1], analysis)
        if followed is None or entry is None or not entry.is_defi or entry is followed:
            return decision
        if not THEY.search(analysis.folded) or speaks_of_another(analysis):
            return decision
        if entry.name and fold(entry.name) in analysis.folded:
            return decision
        if asks_for_a_theme(analysis) and self._theme_holders(analysis) == [
            self._position[entry.id]
        ]:
            return decision  # « back to the refugee one, how many partners did they have »
        target = Candidate(followed, 0.0, followed.title)
        return Decision(decision.query, "answer", (target,), analysis)

    @staticmethod
    def _led_by(decision: Decision, followed: Entry) -> bool:
        """Whether a choice is led by the défi just given, well ahead of the rest, for a message
        about its people or told in the past: « Et combien d'avis ils ont réussi à collecter ? »
        after PolyGraphe's card, « c'était utilisé pour quel texte ? » after LexImpact's (tryout
        e57) got a choice of that défi and another entry."""
        if decision.status != "suggest" or decision.candidates[0].entry is not followed:
            return False
        if decision.candidates[0].score < FOLLOWED_SHARE:
            return False
        return bool(THEY.search(decision.analysis.folded)) or told_in_the_past(decision.analysis)

    def _about_the_defi(self, position: int, analysis: Analysis) -> frozenset[str]:
        """The terms a message may hold besides a part of the défi's card and still ask only for
        that part: the défi's name, the words of its own questions that no other entry is asked
        with (`OWN_TERM_ENTRIES`), and words the base does not know (« et les mentors ? j'ai
        l'impression qu'il y en avait bcp »): none of them points to another entry."""
        vocabulary = self.vocabulary
        own = {
            term
            for term in vocabulary.question_terms[position]
            if self._asked_in[term] <= OWN_TERM_ENTRIES or self._strongest.get(term) == position
        }
        unknown = {term for term in analysis.terms if term not in vocabulary.idf}
        return vocabulary.name_terms[position] | own | unknown

    def _followed(self, given: Sequence[int], follow_up: bool) -> Entry | None:
        """The défi a follow-up message follows: the first défi among the entries just given (a
        défi's card; after its card then a choice that offered another, `context_after`, still
        the one whose card was read: « who hosted it? » after Open Chronic's card then a choice
        led by DataJust asks about Open Chronic)."""
        defis = [self.entries[i] for i in given if self.entries[i].is_defi]
        return defis[0] if follow_up and defis else None

    def _distinctive_names(self) -> list[tuple[int, frozenset[str]]]:
        """Each défi's position with the words of its name, its people's names and its
        administration's name that name it alone (« ARCEP » names DataReg): not a word many
        entries use (« EIG » and « 2019 » of « EIG Link 2019 », « plateforme », « ministère »)
        nor one of several défis' (« open » of « Open Justice » and « Open Chronic »,
        « Intérieur » of IA Flash and Karfu'R)."""
        terms, carried = self.vocabulary.name_terms, self.vocabulary.administration_terms
        names = [(i, terms[i] | carried[i]) for i, e in enumerate(self.entries) if e.is_defi]
        shared = collections.Counter(term for _, name in names for term in name)
        postings, factors = self.vocabulary.postings, self.vocabulary.factors

        def names_alone(term: str, own: frozenset[str]) -> bool:
            if term in own:  # its name's or people's: the answers that mention it do not count
                used = int((factors.get(term, NO_FACTORS) == 1.0).sum())
            else:  # its administration's: « Économie » is in few questions, many answers
                used = len(postings.get(term, ()))
            return shared[term] == 1 and used <= NAME_ENTRIES

        return [(i, frozenset(t for t in name if names_alone(t, terms[i]))) for i, name in names]

    def _shared_administrations(self) -> dict[str, frozenset[int]]:
        """The words of an administration that hosts a few défis and names only them (a word
        the base seldom uses elsewhere) → those défis' positions: « Intérieur », « Justice »,
        « Transition écologique »."""
        carried = self.vocabulary.administration_terms
        hosts: dict[str, set[int]] = collections.defaultdict(set)
        for i, entry in enumerate(self.entries):
            if entry.is_defi:
                for term in carried[i]:
                    hosts[term].add(i)
        postings = self.vocabulary.postings
        return {
            term: frozenset(defis)
            for term, defis in hosts.items()
            if 1 < len(defis) <= SHARED_ADMINISTRATION
            and len(postings.get(term, ())) <= len(defis) + NAME_ENTRIES
        }

    def by_administration(self, decision: Decision, after_a_defi: bool = False) -> Decision:
        """The défis of an administration that hosts several, for a message that asks for the
        défis of that administration and nothing else: « quels défis pour le ministère de
        l'Intérieur en 2019 » is IA Flash and Karfu'R, « which projects were with the ministry of
        justice » DataJust and Open Justice (one défi's administration is `by_name`'s). Right
        after a défi's card (`after_a_defi`), the message need not say « défi »: « et sur la
        justice y avait quoi ? » after PolyGraphe's got Open Justice alone (tryout e38)."""
        terms = set(decision.analysis.terms)
        asks_for_defis = after_a_defi or bool(terms & (DEFI_WORDS | {"eig"}))
        if not asks_for_defis or self.named(decision.analysis) is not None:
            return decision  # « le défi de la DACS au ministère de la Justice » is DataJust's
        if speaks_of_another(decision.analysis):
            return decision  # « et l'autre défi au ministère de la Justice ? »: not both
        hosted = [self._administered[t] for t in terms if t in self._administered]
        if not hosted:
            return decision
        defis = frozenset.intersection(*hosted)
        if not defis:
            return decision
        own = frozenset().union(*(self.vocabulary.administration_terms[i] for i in defis))
        promotions = frozenset().union(*(promotion_terms(self.entries[i]) for i in defis))
        accounted = (
            own | promotions | PROMOTION_ORDINALS | DEFI_WORDS | ASKING_ABOUT | HOSTING_AND_PURPOSE
        ) | {"eig"}
        if not all(term.startswith("?") or term in accounted for term in terms):
            return decision
        ranked = {c.entry.id: c for c in decision.candidates}
        chosen = sorted(defis)
        answers = tuple(
            ranked.get(self.entries[i].id) or Candidate(self.entries[i], 0.0, self.entries[i].title)
            for i in chosen
        )
        return Decision(decision.query, "answer", answers, decision.analysis)

    def of_the_same_host(self, given: Iterable[int]) -> list[Entry]:
        """The other défis of the administration that hosts the défis `given` (positions), when
        it hosts several (`_administered`): Open Justice after DataJust, both of the Ministère de
        la Justice."""
        given = set(given)
        terms = set().union(*(self.vocabulary.administration_terms[i] for i in given))
        hosted = set().union(*(self._administered.get(t, frozenset()) for t in terms)) - given
        return [self.entries[i] for i in sorted(hosted)]

    def names_an_administration(self, analysis: Analysis) -> bool:
        """Whether the message names one défi or a few by their administration or name."""
        terms = set(analysis.terms)
        return self.named(analysis) is not None or bool(terms & self._administered.keys())

    def unmatched_theme(self, decision: Decision) -> bool:
        """Whether the answer is the list of défis to a question for défis on a theme (« un défi
        sur l'espace ? »): the reply then says that no défi of the promotion is on it. « on peut
        choisir plusieurs défis » names no theme, whatever entry answers it."""
        overview = self.knowledge.defi_overview
        return (
            overview is not None
            and decision.answered_ids == (overview.id,)
            and asks_for_a_theme(decision.analysis)
            and names_a_theme(decision.analysis)
            and not self.names_an_administration(decision.analysis)
            and len(_theme_words(decision.analysis)) <= THEME_WORDS
            and not self._theme_holders(decision.analysis)
        )

    def _theme_holders(self, analysis: Analysis) -> list[int]:
        """The défis whose name or declared theme holds a word of the theme the message asks
        for, or whose texts hold it far more than any other entry's (`STRONGEST_RATIO`): « ya
        deja eu des defis sur l'agriculture ? » is CartoBIO's (« agriculture biologique »),
        « ya des défis sur la santé ? » Open Chronic's (chronic diseases, told with the
        national health data: a tryout was told that no défi was on health)."""
        theme = _theme_words(analysis)
        names, themes = self.vocabulary.name_terms, self.vocabulary.theme_terms
        strongest = {self._strongest.get(word) for word in theme}
        return [
            i
            for i, entry in enumerate(self.entries)
            if entry.is_defi and (not theme.isdisjoint(names[i] | themes[i]) or i in strongest)
        ]

    def with_theme_holders(self, decision: Decision) -> Decision:
        """The défis on the theme asked for, offered with the list of défis, when the list
        answers a question for défis on a theme that one or two défis have: the list alone
        would say that no défi is on it (« ya deja eu des defis sur l'agriculture ? » got that,
        and CartoBIO is on organic farming). So for the other promotions' défis, when the
        message names no promotion and its theme is not theirs above all: « quels projets sur la
        santé ? » got them alone, and Open Chronic is on health."""
        overview = self.knowledge.defi_overview
        analysis = decision.analysis
        if overview is None or decision.status != "answer" or len(decision.candidates) != 1:
            return decision
        answered = decision.candidates[0].entry
        if answered is not overview and not (
            answered is self._other_promotions
            and not names_another_promotion(analysis)
            and not self._theme_of(answered, analysis)
        ):
            return decision
        if not (asks_for_a_theme(analysis) and names_a_theme(analysis)):
            return decision
        holders = self._theme_holders(analysis)
        if not 0 < len(holders) <= THEME_HOLDERS:
            return decision
        offered = [Candidate(self.entries[i], 0.0, self.entries[i].title) for i in holders]
        return Decision(decision.query, "suggest", (*offered, decision.candidates[0]), analysis)

    def by_theme(self, decision: Decision, gathered: Gathered, ranking: Ranking) -> Decision | None:
        """The list of défis, for a défi asked for by a theme that no défi has.

        "un défi sur l'environnement ?" matches no défi; the answer is the list of défis with
        their themes (`bot.replies` says that none is on this one), not "pas de réponse sûre",
        nor a choice that offers the list among entries that do not answer it (« un projet sur
        les énergies ? » came close to the list and to the other promotions' défis). A défi the
        ranking clearly puts first is offered with the list instead: a long message about « le
        truc avec les impôts » may fall back while LexImpact is the one meant, and no défi on
        taxes would be false; it is answered when the theme asked is that défi's own and no
        other's (« y avait pas un truc sur l'agriculture bio ? » is CartoBIO's). A choice that
        offers a défi first is left alone (« un défi sur les nounous ? » offers
        ACOSS-Plateforme, on employers of childminders, which it is), and so is one that does
        not offer the list: the message may ask something else.
        """
        analysis = ranking.analysis
        overview = self.knowledge.defi_overview
        if overview is None or not asks_for_a_theme(analysis) or speaks_of_another(analysis):
            return None  # « d'autres défis sur … ? »: `Index._another_defi` has answered
        if decision.status == "suggest" and (
            decision.candidates[0].entry.is_defi
            or (overview.id not in decision.offered_ids and not self._only_a_theme(analysis))
        ):
            return None
        listed = next((c for c in gathered.candidates if c.entry.id == overview.id), None)
        chosen = listed or Candidate(overview, 0.0, overview.title)
        first = ranking.candidates[0] if ranking.candidates else None
        query = decision.query
        if first is not None and first.entry.is_defi and first.score >= NEAR_MISS_RANK:
            if self._theme_holders(analysis) == [self._position[first.entry.id]]:
                return Decision(query, "answer", (first,), analysis)  # its theme, named
            return Decision(query, "suggest", (first, chosen), analysis)
        earlier = self._earlier_holder(analysis)
        if earlier is not None:
            found = next((c for c in gathered.candidates if c.entry is earlier), None)
            return Decision(
                query, "answer", (found or Candidate(earlier, 0.0, earlier.title),), analysis
            )
        return Decision(query, "answer", (chosen,), analysis)

    def _earlier_holder(self, analysis: Analysis) -> Entry | None:
        """The other promotions' défis, when no défi of the promotion has the theme asked for
        and that entry's questions name it: « le truc sur les orgues d'église c'était quoi ? » is
        the 1st promotion's inventory of organs (tryout e36), not the list with the note that no
        défi of the promotion is on organs. That entry is the first of the overview's `related`
        bound to no promotion (the staff's field)."""
        overview = self.knowledge.defi_overview
        if overview is None or self._theme_holders(analysis):
            return None
        if overview.promotion in promotions_named(analysis.folded) | promotions_of_years(
            analysis.folded
        ):
            return None  # « un défi sur l'éducation dans la promo 3 ? »: that promotion's list
        earlier = self._other_promotions
        if earlier is None:
            return None
        asked = self.vocabulary.question_terms[self._position[earlier.id]]
        return earlier if not _theme_words(analysis).isdisjoint(asked) else None

    def _theme_of(self, entry: Entry, analysis: Analysis) -> bool:
        """Whether a word of the theme asked for is told far more by `entry` than by any other
        (`STRONGEST_RATIO`): « orgues » of « il y avait un projet sur l'inventaire des orgues
        d'église ? » is the other promotions' défis'."""
        position = self._position[entry.id]
        return any(self._strongest.get(word) == position for word in _theme_words(analysis))

    def _other_promotions_defis(self) -> Entry | None:
        """The other promotions' défis: the first of the overview's `related` bound to no
        promotion (the staff's field)."""
        overview = self.knowledge.defi_overview
        if overview is None:
            return None
        return next(
            (
                entry
                for name in overview.related
                if (entry := self.knowledge.get(name)) is not None and entry.promotion is None
            ),
            None,
        )

    @staticmethod
    def _only_a_theme(analysis: Analysis) -> bool:
        """Whether the message asks for a défi on a theme and says nothing else: « y a un defi
        sur l'education ? » (a choice led by the civil servants' entry, that did not offer the
        list), not « un projet pour les fonctionnaires, c'est possible de candidater ? »."""
        return len(_theme_words(analysis)) <= ONLY_THEME_WORDS

    def named(self, analysis: Analysis) -> Entry | None:
        """The one défi the message names by the words that name it alone (`_distinctive_names`:
        its name, its people's, its administration's), None when it names none or several."""
        terms = set(analysis.terms)
        named = [i for i, name in self._names if name & terms]
        return self.entries[named[0]] if len(named) == 1 else None

    def by_guess(self, decision: Decision) -> Decision:
        """The défi whose name opens a guess of what it is (« plume c un outil pr l'assemblee
        nationale ? », « polygraphe c'est un détecteur de mensonge pour la police ? »), answered
        with its card when a choice or a fallback offers it: the card tells what it is. A
        message that guesses of two défis is left as it was."""
        if decision.status not in ("suggest", "fallback"):
            return decision
        analysis = decision.analysis
        terms = guessed_terms(analysis)  # read once, for every défi's name
        guessed = [i for i, name in self._names if name & terms]
        if len(guessed) != 1:
            return decision
        entry = self.entries[guessed[0]]
        target = next((c for c in decision.candidates if c.entry.id == entry.id), None)
        if target is None:
            return decision
        return Decision(decision.query, "answer", (target,), analysis)

    def by_name(self, decision: Decision) -> Decision:
        """The défi a message names (by its name, one of its people or its administration) and
        asks nothing else about, answered when a choice or a fallback offers it: « Kim
        Montalibet elle bossait sur quoi », « parlez-moi de DataJust », « ARCEP dans la promo 3,
        c'était quoi le projet ». Every other word is a question word, a word of the défi's
        name, administration or promotion, a word for a défi, for working on one or for being
        asked about it; a message that names two défis, or says more (« les mentors de DataJust
        sont payés ? », « comment saisir la Cour de cassation ? »), is left as it was."""
        if decision.status not in ("suggest", "fallback"):
            return decision
        entry = self.named(decision.analysis) or self._told_alone(decision.analysis)
        if entry is None:
            return decision
        target = next((c for c in decision.candidates if c.entry.id == entry.id), None)
        if target is None:
            return decision
        position = self._position[entry.id]
        own = self.vocabulary.name_terms[position] | self.vocabulary.administration_terms[position]
        accounted = (
            own
            | promotion_terms(entry)
            | DEFI_WORDS
            | TEAM_BY_WHO
            | ASKING_ABOUT
            | HOSTING_AND_PURPOSE
            | self._heard_of
        )
        terms = decision.analysis.terms
        if all(
            term.startswith("?") or term in accounted or self._its_alone(term, position)
            for term in terms
        ) or (
            decision.candidates[0] is target
            and self._named_twice(position, terms)
            and all(c.score < RIVAL_SHARE for c in decision.candidates[1:])
        ):
            return Decision(decision.query, "answer", (target,), decision.analysis)
        return decision

    def _told_alone(self, analysis: Analysis) -> Entry | None:
        """The one défi whose texts alone hold the word the message asks the meaning of
        (« dintilhac c quoi »: the classification DataJust used, on its card only), None when
        the message asks no meaning, or when no défi or several hold its words."""
        alone = {
            term: holder
            for term in analysis.terms
            if (holder := self._sole_holder(term)) is not None
        }
        held = set(alone.values())
        if len(held) != 1 or not asks_what_it_is(analysis, frozenset(alone)):
            return None
        entry = self.entries[held.pop()]
        return entry if entry.is_defi else None

    def _its_alone(self, term: str, position: int) -> bool:
        """Whether `term` is in the texts of the entry at `position` and of no other: what the
        message asks is on that défi's card (« karfur ils ont eu combien de beta testeurs »)."""
        return self._sole_holder(term) == position

    def _sole_holder(self, term: str) -> int | None:
        """The position of the one entry whose texts hold `term` (None: none or several)."""
        holders = self.vocabulary.postings.get(term)
        return int(holders[0]) if holders is not None and len(holders) == 1 else None

    def _named_twice(self, position: int, terms: Sequence[str]) -> bool:
        """Whether the message holds two of the words that name the défi at `position` alone (a
        person's first and last names): « Mon cousin Victor Journé a fait EIG en 2019, il m'en
        parle tout le temps mais j'ai jamais compris sur quoi il bossait » is about IA Flash
        whatever else it says, when the choice puts IA Flash first and nothing close second."""
        name = next(name for i, name in self._names if i == position)
        return len(name.intersection(terms)) >= MATCHED_NAME_WORDS

    def as_one_of_several(self, decision: Decision) -> Decision:
        """A choice of the défi answered and the list of défis, for a message that asks which
        défis did something (plural) and got one défi it does not name: « quels défis de 2019
        ont utilisé de l'intelligence artificielle ? » got ExploCode alone (tryout e57), and IA
        Flash, Open Justice, DataJust… used it too; the list tells each défi's theme."""
        overview = self.knowledge.defi_overview
        if overview is None or decision.status != "answer" or len(decision.candidates) != 1:
            return decision
        first = decision.candidates[0]
        if not first.entry.is_defi or not WHICH_DEFIS.search(decision.analysis.folded):
            return decision
        if self.named(decision.analysis) is not None:
            return decision
        if self._theme_holders(decision.analysis) == [self._position[first.entry.id]]:
            return decision  # « which projects worked on chronic diseases »: Open Chronic's
        if first.score >= ONE_OF_SEVERAL_SURE:
            return decision  # « which challenges were about health data »: Open Chronic, 0.91
        listed = Candidate(overview, 0.0, overview.title)
        return Decision(decision.query, "suggest", (first, listed), decision.analysis)

    def with_list(self, decision: Decision, limits: Thresholds) -> Decision:
        """Suggestions for a question about a défi also offer the list of défis.

        "un défi sur la biodiversité marine ?" may come close to two défis without being either:
        the list of défis and their themes is then the way to what the person looks for.
        """
        overview = self.knowledge.defi_overview
        if (
            overview is None
            or not set(decision.analysis.terms) & DEFI_WORDS
            or overview.id in decision.offered_ids
        ):
            return decision
        kept = decision.candidates[: limits.max_suggestions - 1]
        listed = Candidate(overview, 0.0, overview.title)
        return dataclasses.replace(decision, candidates=(*kept, listed))


WHICH_DEFIS = re.compile(
    r"\b(?:quels|quelles|which|what) (?:\w+ )?(?:defis|projets|sujets|challenges|projects)\b"
)
"""« quels défis », « quels autres projets », « which challenges »: défis asked for in the
plural, in a message's folded form."""


def _theme_words(analysis: Analysis) -> set[str]:
    """The terms of what a question for défis names besides them: « agricultur » in « ya deja
    eu des defis sur l'agriculture ? »."""
    return {stem(word) for word in analysis.words if word not in GENERIC_DEFI_WORDS} - DEFI_WORDS


def promotion_terms(entry: Entry) -> frozenset[str]:
    """The terms that name a défi's promotion: « promo 3 », « 2019 »."""
    if entry.promotion is None:
        return frozenset()
    return frozenset({"promot", "promo", str(entry.promotion), str(PROMOTIONS[entry.promotion])})


def _strongest_entries(term_counts: Sequence[Mapping[str, float]]) -> dict[str, int]:
    """Term → the position of the entry whose texts count it `STRONGEST_RATIO` times more
    than any other entry's, and at least `STRONGEST_MIN` (terms without one are left out)."""
    best: dict[str, tuple[float, int, float]] = {}  # term → (count, position, runner-up)
    for position, counts in enumerate(term_counts):
        for term, count in counts.items():
            top, owner, second = best.get(term, (0.0, -1, 0.0))
            if count > top:
                best[term] = (count, position, top)
            else:
                best[term] = (top, owner, max(second, count))
    return {
        term: owner
        for term, (top, owner, second) in best.items()
        if top >= max(STRONGEST_RATIO * second, STRONGEST_MIN)
    }
