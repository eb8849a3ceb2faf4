"""What people mean, not only their words: meaning, English, follow-ups, two questions, small talk.

Every question here was written for this test (none is a phrasing of the base or a golden line);
the engine runs for real, with the real sentence encoder.
"""

from __future__ import annotations

import dataclasses

import pytest
from conftest import EMBEDDINGS

from bot.engine import Decision, Dialogues, Index, defis
from bot.engine.passage import AnswerLines, asked_line
from bot.engine.promotions import promotion_by_rank, promotions_named
from bot.knowledge import Entry, markup
from bot.knowledge.markup import french_spacing as spaced
from bot.replies import render
from bot.replies.render import ENGLISH_NOTE, ENGLISH_NOTES, NO_DEFI_ON_THEME
from bot.staff.embeddings import FileVectorStore


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("how much money will I earn each month", "remuneration", id="english-pay"),
        pytest.param("who pays for the whole scheme", "financement", id="english-funding"),
        pytest.param("le projet contre les avis bidons sur internet", "defi-polygraphe", id="idea"),
        pytest.param("qui chapeaute tout ce dispositif côté État", "pilotage", id="no-keyword"),
    ],
)
def test_a_question_is_understood_by_its_meaning(
    index: Index, question: str, expected: str
) -> None:
    ranking = index.search(question)
    assert ranking.candidates[0].entry.id == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [("le calendirer c quoi", "calendrier"), ("les mentros ils font quoi", "mentors")],
)
def test_a_misspelt_word_is_read_as_the_word_meant(
    index: Index, question: str, expected: str
) -> None:
    """The encoder reads « calendirer » as the base's « calendrier » (both fell back when the
    encoder read the typo itself)."""
    decision = index.decide(question)
    assert decision.answered_ids == (expected,)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("jusqua qd on peut candidater", "calendrier"),
        ("jai que 1 an dxp c mort", "experience"),
        ("c koi le contrat en gros", "contrat"),
        ("cest ou quon bosse en fait", "lieu"),
        ("slt c koi exactement le prog eig ?", "programme"),
        ("la rému c combien", "remuneration"),
        ("on est payé combien pdt ce temps la ?", "remuneration"),
        ("dead line candidature promo 3 ?", "calendrier"),
    ],
)
def test_a_question_typed_as_a_text_message_is_answered(
    index: Index, question: str, expected: str
) -> None:
    """The encoder reads « jusqu'à quand », « d'expérience », « quoi », « où qu'on »,
    « programme », « rémunération »: read as typed (« jusqua qd », « dxp », « c koi »,
    « ou quon », « prog », « rému », « pdt »), each of these was offered as a choice or
    declined."""
    assert index.decide(question).answered_ids == (expected,)


@pytest.mark.parametrize("message", ["cest jusqua qd", "c'est jusqu'à quand ?"])
def test_until_when_asks_for_the_deadline(index: Index, message: str) -> None:
    """Tryout e16: « cest jusqua qd » after « comment on candidate » got a choice led by how to
    apply; alone, a choice of the calendar and the programme's creation (« depuis quand »)."""
    assert index.decide(message).answered_ids == ("calendrier",)
    dialogues = Dialogues()
    assert dialogues.decide(index, "chat", "comment on candidate").answered_ids == ("candidater",)
    assert dialogues.decide(index, "chat", message).answered_ids == ("calendrier",)
    assert index.decide("depuis quand ça existe").answered_ids == ("historique",)


def test_a_word_the_base_lacks_is_not_read_as_a_typo(index: Index) -> None:
    """« arcanes » is not « vacances », nor « expat » « exact »; English is left as it is."""
    for text in ("rien aux arcanes de l'administration", "Expat à Singapour", "the rules"):
        assert index._spelled(text, index.normalizer.analyze(text).language) == text
    assert index._spelled("le salaiire", "fr") == "le salaire"


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("what is the monthly salary of an EIG?", "€"),
        ("whats the deadline", "15 octobre 2018"),
        ("wat is eig", "programme de l'État"),
        ("eig salary", "€"),
        ("who runs eig", "Etalab"),
    ],
)
def test_an_english_question_gets_a_french_answer_with_one_english_line(
    index: Index, question: str, fact: str
) -> None:
    """« whats the deadline » got the French answer without the English line in a tryout:
    « whats » and « wat » were no English words."""
    decision = index.decide(question)
    assert decision.language == "en"
    reply = render.render_decision(decision, index.knowledge)
    first, _, rest = reply.plain.partition("\n\n")
    assert first == ENGLISH_NOTES[decision.status]
    assert spaced(fact) in rest or "Vouliez-vous dire" in rest


@pytest.mark.parametrize(
    "question",
    [
        "is there some info session before applying? i'd like to ask questions irl",
        "any info session?",
    ],
)
def test_an_information_evening_asked_in_english_gets_its_date(index: Index, question: str) -> None:
    """Tryout e13: « info session » fell back; the base says « soirée d'information »."""
    decision = index.decide(question)
    reply = render.render_decision(decision, index.knowledge)
    assert decision.answered_ids == ("calendrier",)
    assert spaced("3 octobre 2018 : soirée d'information") in reply.plain


def test_an_english_question_without_an_answer_is_not_told_what_was_found(index: Index) -> None:
    decision = index.decide("how do I join the US Digital Service")
    assert decision.status == "fallback"
    first = render.render_decision(decision, index.knowledge).plain.partition("\n\n")[0]
    assert "no sure answer" in first and "found" not in first


@pytest.mark.parametrize("question", ["quel est le salaire d'un eig ?", "un job ?", "karfur"])
def test_a_french_question_gets_no_english_line(index: Index, question: str) -> None:
    decision = index.decide(question)
    assert decision.language == "fr"
    assert ENGLISH_NOTE not in render.render_decision(decision, index.knowledge).plain


@pytest.mark.parametrize(
    ("opening", "follow_up", "expected"),
    [
        pytest.param("c'est quoi le défi DataJust ?", "qui l'a porté ?", "defi-datajust"),
        pytest.param("quel est le salaire ?", "et pour la 5e promo ?", "remuneration"),
        pytest.param("c'est quoi le défi CartoBIO ?", "et celui sur les réfugiés ?", "defi-karfur"),
    ],
)
def test_a_follow_up_is_read_after_the_previous_answer(
    index: Index, opening: str, follow_up: str, expected: str
) -> None:
    dialogues = Dialogues()
    assert dialogues.decide(index, "chat", opening).status == "answer"
    decision = dialogues.decide(index, "chat", follow_up)
    assert decision.candidates[0].entry.id == expected
    assert decision.status in {"answer", "suggest"}


@pytest.mark.parametrize(
    ("opening", "message", "expected"),
    [
        pytest.param("c koi eig en gros", "c paye combien", "remuneration", id="pay"),
        pytest.param("date limite ?", "comment on postule", "candidater", id="apply"),
        pytest.param(
            "le truc des orgues c'etait qui ?", "y a une asso des anciens ?", "apres", id="y-a"
        ),
        pytest.param("what is EIG?", "and where would i work", "lieu", id="and"),
        pytest.param("qui finance ?", "et eux ils sont payés combien ??", "remuneration", id="et"),
        # Tryouts e4, e46: a choice led by the entry just given, which the message gets alone.
        pytest.param(
            "un fonctionnaire peut devenir eig ?",
            "et si je me mets en dispo ?",
            "fonctionnaires",
            id="same-entry",
        ),
    ],
)
def test_a_short_question_that_the_conversation_does_not_change_is_answered(
    index: Index, opening: str, message: str, expected: str
) -> None:
    alone = index.decide(message)
    assert (alone.status, alone.answered_ids) == ("answer", (expected,))
    dialogues = Dialogues()
    assert dialogues.decide(index, "chat", opening).status == "answer"
    assert dialogues.decide(index, "chat", message).answered_ids == (expected,)


@pytest.mark.parametrize(
    ("opening", "message", "expected"),
    [
        ("c'est quoi le programme EIG", "ok and how much do they get paid", "remuneration"),
        ("c quoi karfur", "who were they", "defi-karfur"),
        ("c quoi karfur", "what did they build", "defi-karfur"),
    ],
)
def test_they_points_back_to_a_defi_s_team_not_to_the_programme(
    index: Index, opening: str, message: str, expected: str
) -> None:
    """Tryouts e55, e58: « ok and how much do they get paid » after the programme got the
    programme again: « they » are the EIG, as « ils » are. After a défi's card they are its
    team."""
    dialogues = Dialogues()
    assert dialogues.decide(index, "chat", opening).status == "answer"
    assert dialogues.decide(index, "chat", message).answered_ids == (expected,)


@pytest.mark.parametrize(
    ("opening", "message", "defi"),
    [
        (
            "la DGCCRF a eu quel défi en 2019 ?",
            "Et combien d'avis ils ont réussi à collecter ?",
            "defi-polygraphe",
        ),
        (
            "un défi a aidé les députés à évaluer l'impact d'une réforme fiscale ?",
            "c'était utilisé pour quel texte ?",
            "defi-leximpact",
        ),
    ],
)
def test_a_choice_led_by_the_defi_just_given_is_its_answer_when_asked_of_it(
    index: Index, opening: str, message: str, defi: str
) -> None:
    """Tryout e57: after a défi's card, a question about its team (« ils ») or in the past got a
    choice led by that défi, well ahead of the other entry offered."""
    dialogues = Dialogues()
    assert dialogues.decide(index, "chat", opening).answered_ids == (defi,)
    assert dialogues.decide(index, "chat", message).answered_ids == (defi,)


def test_a_follow_up_pointing_back_by_a_pronoun_gets_the_entry_just_given(index: Index) -> None:
    """Tryouts e8, e11, e52: « il y passe combien de temps ? » after the mentors got a choice of
    the mentors and the contract."""
    dialogues = Dialogues()
    assert dialogues.decide(index, "c", "c koi un mentor operationnel").answered_ids == ("mentors",)
    assert dialogues.decide(index, "c", "il y passe combien de temps ?").answered_ids == (
        "mentors",
    )


@pytest.mark.parametrize(
    ("opening", "message", "expected"),
    [
        (
            "un etudiant peut postuler ?",
            "ok et mon copain il est en alternance, pareil ?",
            "etudiants",
        ),
        ("quels profils vous cherchez ?", "pareil pour les data engineers ?", "profils"),
        ("combien on est paye ?", "pareil pour les designers ?", "remuneration"),
    ],
)
def test_the_same_question_asked_of_someone_else_gets_the_entry_just_given(
    index: Index, opening: str, message: str, expected: str
) -> None:
    """Tryout e46: « pareil ? » asks the question just answered of someone else; it got a
    choice led by that entry (alone, the message falls back with it first)."""
    dialogues = Dialogues()
    assert dialogues.decide(index, "chat", opening).answered_ids == (expected,)
    assert dialogues.decide(index, "chat", message).answered_ids == (expected,)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param("c'est paye combien du coup", "remuneration", id="pay"),
        pytest.param("ok et pour postuler je fais comment", "candidater", id="apply"),
    ],
)
def test_a_question_on_the_programme_after_a_defi_s_card_is_answered(
    index: Index, message: str, expected: str
) -> None:
    """After a défi's card, the pay or how to apply is the programme's, not a part of the card:
    a candidate tryout got a choice with the défi for both, all the rest of the conversation."""
    dialogues = Dialogues()
    opening = dialogues.decide(index, "chat", "c'est quoi le défi ADLER ?")
    assert opening.answered_ids == ("defi-adler",)
    assert dialogues.decide(index, "chat", message).answered_ids == (expected,)


@pytest.mark.parametrize(
    "follow_up", ["ok et apres ?", "et ca a donne quoi a la fin", "what did it produce?"]
)
def test_and_then_after_a_defi_s_card_asks_what_came_of_it(index: Index, follow_up: str) -> None:
    """Tryouts: « ok et apres ? » after IA Flash's card got a choice between the défi and the
    programme's « après les 10 mois »; « et ça a donné quoi à la fin » a choice without it."""
    _after_card(index, "c quoi le defi iaflash", follow_up, "lab")


def test_how_many_defis_after_a_defi_s_card_is_not_its_team(index: Index) -> None:
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "c quoi open chronic")
    assert dialogues.decide(index, "chat", "combien de defis ?").answered_ids == ("defis",)


@pytest.mark.parametrize("follow_up", ["et celle d'apres ?", "et la suivante ?"])
def test_the_next_one_after_a_list_is_looked_for_in_that_list(index: Index, follow_up: str) -> None:
    dialogues = Dialogues()
    opening = dialogues.decide(index, "chat", "et la 1ere promo c'etait quoi comme projets ?")
    assert opening.answered_ids == ("defis-autres-promotions",)
    decision = dialogues.decide(index, "chat", follow_up)
    assert decision.candidates[0].entry.id == "defis-autres-promotions"
    assert "apres" not in (*decision.answered_ids, *decision.offered_ids)


def test_the_same_follow_up_alone_has_no_context_to_lean_on(index: Index) -> None:
    alone = index.decide("qui l'a porté ?")
    after = Dialogues()
    after.decide(index, "chat", "c'est quoi le défi DataJust ?")
    assert alone.candidates[:1] != after.decide(index, "chat", "qui l'a porté ?").candidates[:1]


def test_a_follow_up_about_the_programme_gets_the_answer_it_gets_alone(index: Index) -> None:
    """« ça » points to the programme, whose duration is the contract's: the choice that the
    previous answer made the model hesitate into did not even offer the programme."""
    dialogues = Dialogues()
    assert dialogues.decide(index, "chat", "c'est quoi le programme eig").answered_ids == (
        "programme",
    )
    assert dialogues.decide(index, "chat", "et ca dure combien ?").answered_ids == ("contrat",)


@pytest.mark.parametrize(
    "follow_up",
    ["ca consiste en quoi concretement", "c'est quoi exactement ?", "tu peux détailler ?"],
)
def test_a_follow_up_asking_to_explain_the_answer_gets_that_answer(
    index: Index, follow_up: str
) -> None:
    dialogues = Dialogues()
    assert dialogues.decide(index, "chat", "je peux etre mentor ?").answered_ids == ("mentors",)
    assert dialogues.decide(index, "chat", follow_up).answered_ids == ("mentors",)


@pytest.mark.parametrize(
    ("opening", "follow_up", "expected"),
    [
        ("qui finance le programme ?", "combien ?", "financement"),
        ("combien d'eig en 2019 ?", "pourquoi si peu ?", "promotion-3"),
    ],
)
def test_a_bare_question_word_asks_about_the_answer_just_given(
    index: Index, opening: str, follow_up: str, expected: str
) -> None:
    """Tryouts: « combien ? » after the financing got a choice with the promotions' figures,
    « pourquoi si peu ? » after the share of women the programme's card."""
    dialogues = Dialogues()
    assert dialogues.decide(index, "chat", opening).answered_ids == (expected,)
    assert dialogues.decide(index, "chat", follow_up).answered_ids == (expected,)


def test_a_follow_up_that_names_its_subject_is_not_read_as_explain_it(index: Index) -> None:
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "je peux etre mentor ?")
    assert dialogues.decide(index, "chat", "et c'est quoi le salaire ?").answered_ids == (
        "remuneration",
    )


def _card_line(index: Index, entry_id: str, label: str) -> str:
    entry = index.knowledge.get(entry_id)
    assert entry is not None
    return next(line.lstrip("- ") for line in entry.answer.splitlines() if label in line)


@pytest.mark.parametrize(
    ("opening", "follow_up", "label"),
    [
        ("c'est quoi datajust", "et les mentors ?", "Mentors :"),
        ("c quoi karfur", "qui était dans l'équipe ?", "Équipe :"),
        ("karfur c quoi ?", "et le designer c'etait qui ?", "Équipe :"),
        ("cartobio", "et le code ?", "Site :"),
        ("leximpact c quoi", "et leur code il est publié ?", "Code :"),
        ("cartobio", "et le site c'est quoi l'adresse", "Site :"),
    ],
)
def test_a_follow_up_on_a_part_of_a_defi_gets_that_part(
    index: Index, opening: str, follow_up: str, label: str
) -> None:
    dialogues = Dialogues()
    first = dialogues.decide(index, "chat", opening)
    defi = first.entry
    assert defi is not None and defi.is_defi
    decision = dialogues.decide(index, "chat", follow_up)
    assert decision.status == "answer" and decision.entry == defi
    plain = render.render_decision(decision, index.knowledge).plain
    assert spaced(_card_line(index, defi.id, label)) in plain
    assert len(plain) < len(defi.answer) / 2  # the part, not the whole card again


@pytest.mark.parametrize(
    ("opening", "follow_up", "aspect", "fact"),
    [
        ("Qu'est-ce que DataJust ?", "Et qui portait ce défi ?", "administration", "Justice"),
        ("Qu'est-ce que DataJust ?", "Et qui en était le porteur ?", "administration", "Justice"),
        ("Qu'est-ce que IA Flash ?", "and who mentored it?", "mentors", "Ansellem"),
        ("Qu'est-ce que CibNav ?", "qui c'etait les eig dessus", "equipe", "Loridant"),
        (
            "IA Flash c'est quoi",
            "qui étaient les 2 personnes recrutées dessus ?",
            "equipe",
            "Journé",
        ),
        (
            "Parlez-moi de PolyGraphe",
            "Et de combien de temps a-t-il été prolongé ?",
            "resultats",
            "prolongé de 2 mois",
        ),
        (
            "c quoi open justice",
            "il est devenu quoi cet outil apres la fin de la promo ?",
            "resultats",
            "NoDaLiDa",
        ),
        # Tryout e48: « extended » was an unknown word; a choice of ADLER and PolyGraphe.
        ("c quoi polygraphe", "was it extended?", "resultats", "prolongé de 2 mois"),
    ],
)
def test_a_part_of_a_defi_asked_with_a_verb_gets_that_part(
    index: Index, opening: str, follow_up: str, aspect: str, fact: str
) -> None:
    """Asked with a verb or in English, and naming « ce défi »: these were offered as a choice
    between défis in a tryout (a journalist, an English speaker)."""
    assert _after_card(index, opening, follow_up, fact).aspects == (aspect,)


def _after_card(index: Index, opening: str, follow_up: str, fact: str) -> Decision:
    """The decision for `follow_up` after the défi card `opening` gets: that défi answered,
    with `fact` in the reply."""
    dialogues = Dialogues()
    defi = dialogues.decide(index, "chat", opening).entry
    decision = dialogues.decide(index, "chat", follow_up)
    assert decision.status == "answer" and decision.entry == defi
    assert spaced(fact) in render.render_decision(decision, index.knowledge).plain
    return decision


@pytest.mark.parametrize(
    ("opening", "follow_up", "aspect", "fact"),
    [
        ("Karfu'R c'est quoi ?", "ils etaient combien dessus", "equipe", "Lamrissi"),
        ("Karfu'R c'est quoi ?", "c quoi leurs profils ? dev, designer ?", "equipe", "Stéphan"),
        ("Qu'est-ce que Open Chronic ?", "ils etaient 2 ou 3 ?", "equipe", "Jachiet"),
        ("Qu'est-ce que Open Chronic ?", "qui les encadrait", "mentors", "Condemine"),
        (
            "Qu'est-ce que Open Chronic ?",
            "ils ont sorti des trucs open source ?",
            "code",
            "gitlab.com/healthdatahub",
        ),
        ("c'est quoi LexImpact", "combien d'eig", "equipe", "Lambinet"),
        (
            "c'est quoi LexImpact",
            "qui portait ce projet cote administration",
            "administration",
            "Sénat",
        ),
        ("c quoi le defi iaflash", "et les eig ils sont restes apres ?", "resultats", "lab"),
        ("ia flash c quoi", "et les eig sont restes apres ?", "resultats", "lab"),
        ("what is IA Flash?", "who hosted it", "administration", "ANTAI"),
        ("c quoi polygraphe", "cool, how long did it last", "resultats", "prolong"),
        ("what is Karfu'R?", "whats the website", "code", "refugies.info"),
        (
            "c'est quoi Plume ?",
            "et les mentors ? j'ai l'impression qu'il y en avait bcp",
            "mentors",
            "Trojette",
        ),
        ("c quoi le defi iaflash", "ils sont restés apres les 10 mois ?", "resultats", "lab"),
        ("c quoi le defi iaflash", "et l'equipe est restee apres ?", "resultats", "lab"),
        ("Qu'est-ce que CibNav ?", "qui etait le data scientist la bas", "equipe", "Loridant"),
        (
            "c'etait quoi le projet sur les amendes a cause de plaques copiees ?",
            "et ils sont devenus quoi les deux gars apres ?",
            "resultats",
            "lab",
        ),
        ("open justice c'etait quoi", "qui portait le projet cote admin", "administration", "Cour"),
        (
            "open justice c'etait quoi",
            "combien d entrepreneurs bossaient dessus",
            "equipe",
            "Perez",
        ),
        ("c quoi open chronic", "combien d eig sur le projet", "equipe", "Jarry"),
        ("c quoi explocode", "qui etait dedans", "equipe", "Havel"),
        ("what is IA Flash?", "who ran it", "administration", "ANTAI"),
        ("c quoi open chronic", "les noms des mentors svp", "mentors", "Condemine"),
        ("c quoi le defi iaflash", "data scientists tous les 2 ?", "equipe", "Journé"),
        ("Karfu'R c'est quoi ?", "et le site il s'appelle comment", "code", "refugies.info"),
        (
            "un exemple de defi sur le droit du travail ?",
            "le code source est dispo qq part ?",
            "code",
            "github.com/SocialGouv",
        ),
        (
            "c quoi datajust exactement",
            "du coup ils ont produit quoi concretement",
            "resultats",
            "annotation",
        ),
        ("Qu'est-ce que CibNav ?", "ils ont ouvert des donnees?", "resultats", "data.gouv.fr"),
        ("c quoi polygraphe", "did it work?", "resultats", "150"),
        ("c'etait quoi DataReg", "et cote mentor?", "mentors", "Toustou"),
        ("c'etait quoi DataReg", "ils ont livré quoi", "resultats", "Mobile"),
        ("c quoi cartobio", "c rattaché a quelle administration", "administration", "Agence"),
        ("c quoi open chronic", "ca venait de quelle direction", "administration", "DREES"),
        ("c quoi open chronic", "ils ont publie des outils ?", "resultats", "dictionnaire"),
        ("c quoi adler", "ils etaient combien et c'etait qui", "equipe", "Berkouk"),
        ("c quoi polygraphe", "qui l'a fait", "equipe", "Bastard"),
        ("c koi le truc avec les refugies", "ok et c ki ki l'a fait ?", "equipe", "Lamrissi"),
        ("c quoi polygraphe", "ils en ont recup combien des avis", "resultats", "150"),
        ("what is datajust", "what did they actually build", "resultats", "annotation"),
        ("c quoi le defi iaflash", "les 2 api on les trouve ou", "code", "github.com/ia-flash"),
        # A fallback offering open source, Open Justice and Plume: « publish » asked nothing.
        ("c quoi open justice", "did they publish anything academic?", "resultats", "NoDaLiDa"),
    ],
)
def test_a_part_asked_with_a_general_word_is_the_defis_part(
    index: Index, opening: str, follow_up: str, aspect: str, fact: str
) -> None:
    """A tryout of défi conversations: after a défi's card, « combien d'eig », « c quoi leurs
    profils ? », « qui les encadrait », « ils ont sorti des trucs open source ? » got the
    programme's cards on promotions, profiles, mentors and open source (17 wrong answers of 60
    messages), and the thread was lost for every message after them. Later tryouts: « ils ont
    livré quoi » got ADLER's card, « et côté mentor ? » the programme's mentors; « du coup ils
    ont produit quoi concrètement », « did it work? », « qui l'a fait » got a choice."""
    decision = _after_card(index, opening, follow_up, fact)
    assert aspect in decision.aspects  # « sorti » also asks for the results


@pytest.mark.parametrize(
    ("opening", "follow_up", "expected"),
    [
        ("c quoi explocode", "et apres les 10 mois les eig deviennent quoi", "apres"),
        ("c quoi cibnav", "combien d'eig de la promo 3 sont restes dans l'admin ?", "apres"),
        ("c'est quoi ADLER ?", "bon et apres les 10 mois ils deviennent quoi les eig", "apres"),
        ("c quoi cibnav", "ok, et ca dure combien de temps une mission eig", "contrat"),
    ],
)
def test_a_question_on_every_eig_after_a_defi_s_card_is_about_the_programme(
    index: Index, opening: str, follow_up: str, expected: str
) -> None:
    """Tryouts: « et après les 10 mois les eig deviennent quoi » after ExploCode's card got
    ExploCode's results, « ok, et ça dure combien de temps une mission eig » CibNav's: they ask
    about every EIG, every mission. Tryout e19: « ils … les eig », the EIG named twice, is still
    every EIG (it got ADLER's card). Tryout e23: « combien d'eig de la promo 3 sont restés »,
    after CibNav's card, got CibNav's card: the EIG of a promotion are not a défi's team."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", opening)
    decision = dialogues.decide(index, "chat", follow_up)
    assert decision.answered_ids == (expected,)


def test_a_follow_up_in_the_past_after_a_promotion_s_card_is_about_that_promotion(
    index: Index,
) -> None:
    """Tryout e10: after the 3rd promotion's card, « et combien ont ete pris au final ? » got a
    choice of that card and every promotion's: told in the past, it asks about the one just
    given."""
    dialogues = Dialogues()
    opening = "j'avais candidate a la promo 3 en 2018, vous savez combien on etait a postuler ?"
    assert dialogues.decide(index, "chat", opening).answered_ids == ("promotion-3",)
    decision = dialogues.decide(index, "chat", "et combien ont ete pris au final ?")
    assert decision.answered_ids == ("promotion-3",)


def test_a_follow_up_in_the_past_offered_the_defi_just_given_first_gets_it(
    index: Index,
) -> None:
    """Golden follow-ups (« ça répondait à quel problème ? », « qui y a travaillé ? ») got a
    choice led by the défi just given: told in the past, they ask about that défi of 2019. A
    question in the present on how défis go in general keeps its choice."""
    _after_card(index, "c'est quoi Karfu'R ?", "ils bossaient ou", "Karfu")
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "open justice c'etait quoi")
    assert dialogues.decide(index, "chat", "c'est toujours 3 eig par defi ?").status == "suggest"


def test_when_this_defi_began_asked_in_the_past_is_that_defi_s(index: Index) -> None:
    """Tryout e18: « ca a commence quand ce defi ? » after DataJust's card got the programme's
    creation (2016); « ce défi » is DataJust, whose card tells its promotion (2019)."""
    _after_card(index, "c quoi datajust", "ca a commence quand ce defi ?", "DataJust")


@pytest.mark.parametrize(
    ("opening", "fact"),
    [("c quoi datajust", "JURICA"), ("c quoi open chronic", "SNDS")],
)
def test_the_data_a_defi_used_is_told_by_its_whole_card(
    index: Index, opening: str, fact: str
) -> None:
    """A tryout: « ils ont utilisé quelles données » after DataJust's card got its results line,
    which does not say which data; its whole card does."""
    decision = _after_card(index, opening, "ils ont utilise quelles donnees", fact)
    assert decision.aspects == ()


def test_a_laugh_after_a_card_is_a_reaction_not_the_card_again(index: Index) -> None:
    """A tryout: « lol les voleurs de plaques vont pleurer » after IA Flash's card got the card
    again; a laugh then a question is still a question."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "c quoi le defi iaflash")
    laugh = dialogues.decide(index, "chat", "lol les voleurs de plaques vont pleurer")
    assert (laugh.status, laugh.small_talk) == ("smalltalk", "laugh")
    asked = dialogues.decide(index, "chat", "haha et ils etaient combien")
    assert asked.answered_ids == ("defi-iaflash",) and asked.aspects == ("equipe",)


def test_where_they_work_after_a_defi_s_card_keeps_that_defi_for_what_follows(
    index: Index,
) -> None:
    """Tryout e24: after CartoBIO's card, « ils sont ou » got the place of work (right: the
    défi's card does not tell it), and then « le site » got the programme's contact, « et les
    mentors » the programme's mentors: the conversation had lost CartoBIO."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "cartobio cest quoi")
    assert dialogues.decide(index, "chat", "ils sont ou").answered_ids == ("lieu",)
    site = dialogues.decide(index, "chat", "le site")
    assert site.answered_ids == ("defi-cartobio",)
    mentors = dialogues.decide(index, "chat", "et les mentors")
    assert mentors.answered_ids == ("defi-cartobio",) and "mentors" in mentors.aspects
    # Tryout e35: « les eig ils … » in the present is every EIG, and the défi is not kept.
    dialogues.decide(index, "chat", "et globalement les eig ils restent apres les 10 mois ?")
    code = dialogues.decide(index, "chat", "what about the code, is it open source")
    assert code.answered_ids == ("open-source",)


def test_a_link_asked_after_a_defi_s_card_is_that_defi_s_not_eig_link(index: Index) -> None:
    """Tryout e30: after Karfu'R's card, « github link? » got EIG Link's card: « link » read as
    that défi's name. « EIG Link », « l'équipe link » still name it."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "what is Karfu'R?")
    assert dialogues.decide(index, "chat", "github link?").answered_ids == ("defi-karfur",)
    assert index.decide("c quoi eig link").answered_ids == ("defi-eig-link",)
    assert index.decide("equipe link etalab").answered_ids == ("defi-eig-link",)


def test_an_english_chat_on_a_defi_keeps_it_and_comes_back_to_it_by_its_theme(
    index: Index,
) -> None:
    """Tryouts e29, e30: after Karfu'R's card, « is it still online? » fell back and « which
    ministry was behind it again » got a choice; after Open Chronic's card, « back to the
    refugee one, how many partners did they have » fell back."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "hello, which EIG project was for refugees?")
    online = dialogues.decide(index, "chat", "is it still online?")
    assert online.answered_ids == ("defi-karfur",) and "resultats" in online.aspects
    host = dialogues.decide(index, "chat", "which ministry was behind it again")
    assert host.answered_ids == ("defi-karfur",) and "administration" in host.aspects
    dialogues.decide(index, "chat", "cool. any project on chronic diseases?")
    back = dialogues.decide(
        index, "chat", "back to the refugee one, how many partners did they have"
    )
    assert back.answered_ids == ("defi-karfur",)


def test_whether_a_defi_worked_is_asked_of_its_results(index: Index) -> None:
    """Tryout e43: after PolyGraphe's team, « and it worked? what results » was cut in two
    questions, and got a choice of two other défis and the calendar."""
    decision = index.decide("and it worked? what results", context=["defi-polygraphe"])
    assert decision.answered_ids == ("defi-polygraphe",) and "resultats" in decision.aspects


def test_they_after_a_defi_s_card_are_its_people_whatever_another_defi_shares(
    index: Index,
) -> None:
    """An English tryout: « which court decisions did they use » after DataJust's card got
    Open Justice (« court » reads « justice »), and the next messages followed Open Justice."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "what is datajust")
    used = dialogues.decide(index, "chat", "which court decisions did they use")
    assert used.answered_ids == ("defi-datajust",)
    team = dialogues.decide(index, "chat", "who were the data scientists on it")
    assert team.answered_ids == ("defi-datajust",)
    other = dialogues.decide(index, "chat", "whats the other justice one, about publishing rulings")
    assert "defi-datajust" not in other.answered_ids


def test_after_how_to_propose_a_defi_the_jury_is_the_defis_jury(index: Index) -> None:
    """A tryout of administrations: after how défis are judged, « c est qui dans le jury »
    got the jury that recruits the candidates; a candidate's own question stays theirs."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "comment une administration propose un defi ?")
    assert dialogues.decide(index, "chat", "c est qui dans le jury").answered_ids == (
        "proposer-defi",
    )
    dialogues.decide(index, "other", "comment une administration propose un defi ?")
    assert (
        "proposer-defi"
        not in dialogues.decide(index, "other", "et moi je peux candidater ?").answered_ids
    )


@pytest.mark.parametrize(
    "message",
    [
        "vous evaluez les defis sur quels criteres",
        "qui choisit les defis au final",
        "on est une region, on a le droit de deposer un defi ?",
        # Tryouts e36, e43: a choice, and the list of défis.
        "quel genre de projet est refusé d'office ?",
        "what kind of projects get turned down?",
        # Tryout e49: answered on the candidates' side (their criteria, choosing their défis).
        "sur quels criteres vous selectionnez les defis",
        "comment sont choisis les defis ?",
        # Tryout e57: the candidates' criteria, and their application form and dates.
        "sur quels critères les défis sont-ils sélectionnés par le jury ?",
        "ou est ce qu'on depose le dossier de candidature du defi ?",
    ],
)
def test_an_administration_asking_of_its_defi_gets_its_side_not_a_choice(
    index: Index, message: str
) -> None:
    """Tryout e39: the first got the list of défis, with the note that no défi is on the theme
    « criteres »; the others a choice led by the list or by the administrations' entry."""
    assert index.decide(message).answered_ids == ("proposer-defi",)


def test_in_general_names_nothing_and_leaves_the_defi_just_given(index: Index) -> None:
    """Tryout e49: « en général » drew every promotion's figures (« général »), and the teams'
    size got a choice; after a défi's card, it still asks about every défi's code."""
    assert index.decide("cb d eig par equipe en general").answered_ids == ("equipes",)
    dialogues = Dialogues()
    assert dialogues.decide(index, "c", "c quoi open justice").answered_ids == (
        "defi-open-justice",
    )
    message = "en general le code des eig est open source ?"
    assert dialogues.decide(index, "c", message).answered_ids == ("open-source",)


@pytest.mark.parametrize(
    "message", ["how do i apply?? link pls", "comment on postule ? le lien svp"]
)
def test_a_closing_request_for_the_link_is_no_question_on_eig_link(
    index: Index, message: str
) -> None:
    """Tryout e48: « link pls » was read as a second question, and the défi EIG Link's card
    came after how to apply."""
    decision = index.decide(message)
    assert decision.answered_ids == ("candidater",)
    assert "EIG Link" not in render.render_decision(decision, index.knowledge).plain


@pytest.mark.parametrize(
    "message",
    [
        "promo 2 projects list pls",
        "what did the first promotion work on",
        "et la promo 1 ils avaient fait quoi ?",
        "c'etait quoi les defis de la promo 4 ?",
        # Tryout e52: every promotion's figures.
        "c quoi les defis de la 4",
        # Tryout e56: Open Justice, the Cour de cassation's défi of 2019.
        "la cour de cassation a eu d'autres defis apres 2019 ?",
        "y a eu d'autres défis avant la promo 3 ?",
        # Tryout e63: the 3rd promotion's list.
        "dans les promos d'avant, c'était quoi comme sujets ?",
    ],
)
def test_what_another_promotion_did_is_its_defis(index: Index, message: str) -> None:
    """Tryouts e46, e48: choices of every promotion's figures and the other promotions' défis,
    or those figures alone; counting them is still the figures. « avant de candidater » names
    no promotion."""
    assert index.decide(message).answered_ids == ("defis-autres-promotions",)
    this_year = "je veux voir la liste des projets proposés cette année avant de candidater"
    assert index.decide(this_year).answered_ids == ("defis",)
    assert index.decide("promo 4 combien de defis").answered_ids == ("promotions",)
    assert index.decide("how many challenges in the 4th cohort?").answered_ids == ("promotions",)
    assert index.decide("when did the fourth cohort start?").answered_ids == ("promotions",)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("financement", "et apres 2019 ?"),
        ("remuneration", "et apres 2019 ?"),
        ("remuneration", "et depuis 2020 ?"),
    ],
)
def test_the_promotions_after_one_get_the_answer_that_tells_each(
    index: Index, given: str, message: str
) -> None:
    """Tryout e64: « et après 2019 ? » after the financing got every promotion's figures; the
    financing says what changed in 2020, as the pay tells each promotion's."""
    assert index.decide(message, context=[given]).answered_ids == (given,)


def test_a_candidate_choosing_defis_keeps_the_candidates_side(index: Index) -> None:
    """The same terms as « comment sont choisis les défis ? », asked by a candidate."""
    assert index.decide("comment choisir mes defis ?").answered_ids == ("candidater",)


def test_an_unsure_choice_on_the_administrations_side_is_not_their_answer(index: Index) -> None:
    """Tryout e43: after how to propose a défi, an off-topic question led by a weak choice of the
    civil servants' entry was answered with the call for projects."""
    message = (
        "Unrelated, but do you know how to post a contractuel job on Place de l'emploi public?"
    )
    assert index.decide(message, context=["proposer-defi"]).status != "answer"


def test_the_defis_proposed_asked_on_the_administrations_side_are_not_applicants(
    index: Index,
) -> None:
    """Tryout e39: after how défis are chosen, « défis candidats » (the défis proposed) was read
    as people applying, and got the candidates' eligibility."""
    message = "y avait combien de defis candidats la derniere fois"
    decision = index.decide(message, context=["proposer-defi"])
    assert decision.answered_ids == ("proposer-defi",)
    assert "42 défis" in render.render_decision(decision, index.knowledge).plain


def test_an_administration_speaking_as_we_stays_on_its_side(index: Index) -> None:
    """Tryout e27: after how to propose a défi, « on a combien de chances d etre pris en vrai »
    got the candidates' experience, then « ok et on saura quand si c retenu » the candidates'
    calendar; alone, « quels sont les criteres pour que notre defi soit selectionné » got the
    candidates' criteria. « on » and « notre défi » are the administration's; so are « dépôt des
    défis » (the candidates' calendar came first) and « proposer un défi » (how much it costs got
    how to propose a défi, not the financing)."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "comment une administration propose un defi ?")
    chances = dialogues.decide(index, "chat", "on a combien de chances d etre pris en vrai")
    assert chances.answered_ids == ("proposer-defi",)
    when = dialogues.decide(index, "chat", "ok et on saura quand si c retenu")
    assert when.answered_ids == ("proposer-defi",)
    alone = index.decide("quels sont les criteres pour que notre defi soit selectionné")
    assert alone.answered_ids == ("proposer-defi",)
    deadline = index.decide("date limite depot des defis eig 3 ?")
    assert deadline.answered_ids == ("proposer-defi",)
    cost = index.decide(
        "bonjour, je suis au service numerique d un hopital, on reflechit a proposer un defi eig. "
        "ca coute combien en vrai pour nous ?"
    )
    assert cost.answered_ids == ("financement",)
    for message in (
        "c quoi les criteres pour qu un defi soit retenu",
        "qui est dans le jury qui choisit les defis",
    ):
        assert index.decide(message).answered_ids == ("proposer-defi",)
    grid = dialogues.decide(index, "chat", "c'est quoi la grille d'eval")
    assert grid.answered_ids == ("proposer-defi",)
    assert index.decide("on est payés combien ?").answered_ids == ("remuneration",)


def test_an_administration_s_conversation_stays_on_its_side_after_the_financing(
    index: Index,
) -> None:
    """Tryout e5: a town hall asked how to propose a défi, then who pays, then « faut envoyer
    quoi comme dossier » and « c quoi les criteres pour etre retenu »: both got a choice of
    the administrations' entry and the financing. The candidate who says so leaves that side."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "je bosse dans une mairie, on peut proposer un defi ?")
    assert dialogues.decide(index, "chat", "et qui paye du coup").answered_ids == ("financement",)
    for message in ("faut envoyer quoi comme dossier", "c quoi les criteres pour etre retenu"):
        assert dialogues.decide(index, "chat", message).answered_ids == ("proposer-defi",)
    own = dialogues.decide(
        index, "chat", "ok. et nos propres agents, ils peuvent candidater comme EIG sur ce defi ?"
    )
    assert "proposer-defi" not in (*own.answered_ids, *own.offered_ids[:1])  # tryout e7
    assert (
        "proposer-defi"
        not in dialogues.decide(index, "chat", "et moi je peux candidater ?").answered_ids
    )
    after = dialogues.decide(index, "chat", "c quoi les criteres pour etre retenu")
    assert "proposer-defi" not in after.answered_ids


@pytest.mark.parametrize(
    "message",
    [
        "faut payer combien",
        "et c'est nous qui payons ?",
        "et concretement ca couterait combien a la mairie",
    ],
)
def test_after_how_to_propose_a_defi_what_it_costs_is_the_financing(
    index: Index, message: str
) -> None:
    """Tryouts e11, e14, e15: after how to propose a défi, what it costs the administration got
    the EIG's pay, « pas de réponse sûre » or the same card again; what the EIG earn stays
    their pay."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "comment une administration propose un defi ?")
    assert dialogues.decide(index, "chat", message).answered_ids == ("financement",)
    dialogues.decide(index, "other", "comment une administration propose un defi ?")
    earned = dialogues.decide(index, "other", "et les eig ils sont payes combien ?")
    assert "remuneration" in (*earned.answered_ids, *earned.offered_ids)


def test_what_the_message_sets_aside_is_not_what_it_asks_for(index: Index) -> None:
    """A tryout: « on a un accompagnement à part les mentors ? » got the mentors' card."""
    decision = index.decide("on a un accompagnement a part les mentors ?")
    assert decision.answered_ids == ("accompagnement",)


def test_a_letter_without_a_question_mark_is_read_for_what_it_asks(index: Index) -> None:
    """A tryout: « Bonjour, je souhaiterais savoir quelle entité administrative pilote ce
    dispositif. Cordialement, M. Lefranc » fell back: its last sentence, the one the engine
    leaned towards, was the signature."""
    decision = index.decide(
        "Bonjour, je souhaiterais savoir quelle entité administrative pilote ce dispositif. "
        "Cordialement, M. Lefranc"
    )
    assert (decision.answered_ids or decision.offered_ids)[:1] == ("pilotage",)


def test_a_question_that_asks_to_explain_the_other_is_one_question(index: Index) -> None:
    """A golden question, « is it financed by the PIA? whats that exactly », got the financing
    and the programme's card: the second half only asks to explain the first."""
    decision = index.decide("is it financed by the PIA? whats that exactly")
    assert decision.answered_ids == ("financement",)


def test_a_question_about_oneself_after_a_card_is_not_about_that_defi(index: Index) -> None:
    """A tryout: « ok et après les 10 mois on peut rester ? » after IA Flash's card got IA
    Flash's results; it asks what happens to an EIG after the programme."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "c quoi le defi iaflash")
    decision = dialogues.decide(index, "chat", "ok et apres les 10 mois on peut rester ?")
    assert "defi-iaflash" not in decision.answered_ids


@pytest.mark.parametrize(
    "follow_up",
    [
        "and what about the other justice one, the compensation thing",
        "et l'autre sur la justice ?",
        "et l'autre défi au ministère de la justice ?",
        "et l'autre défi du même ministère ?",  # tryout e66: ExploCode, of the Travail
    ],
)
def test_the_other_defi_after_a_card_is_another_one(index: Index, follow_up: str) -> None:
    """An English tryout: « and what about the other justice one, the compensation thing »
    after Open Justice's card got Open Justice again; DataJust was meant."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "she worked on anonymising court decisions, which project?")
    decision = dialogues.decide(index, "chat", follow_up)
    assert decision.answered_ids == ("defi-datajust",)


def test_other_defis_on_a_theme_no_other_defi_has_offer_the_other_promotions(
    index: Index,
) -> None:
    """Tryout e30: after IA Flash's card, « ok et y avait d autres defis sur la securite
    routiere ? » got IA Flash's card again (« autres » was not read as « autre »); CibNav,
    on maritime safety, is not on road safety either; the other promotions' défis are."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "c quoi ia flash")
    decision = dialogues.decide(
        index, "chat", "ok et y avait d autres defis sur la securite routiere ?"
    )
    assert "defi-iaflash" not in decision.answered_ids
    assert "defi-cibnav" not in decision.answered_ids
    assert "defis-autres-promotions" in (*decision.answered_ids, *decision.offered_ids)


def test_the_other_defi_asked_by_its_team_s_profile_is_that_defi(index: Index) -> None:
    """A golden conversation: « et l'autre défi avec des géomaticiens ? » after CartoBIO got
    CartoBIO again (read alone, the profiles came first, not a défi)."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "ya un defi avec de la carto sur l'agriculture bio ?")
    decision = dialogues.decide(index, "chat", "et l'autre defi avec des geomaticiens ?")
    assert decision.answered_ids == ("defi-datareg",)


def test_the_other_member_of_the_team_is_of_the_same_defi(index: Index) -> None:
    _after_card(index, "Karfu'R c'est quoi ?", "et l'autre membre de l'equipe ?", "Lamrissi")


def test_a_question_on_any_defi_after_a_card_is_not_about_that_defi(index: Index) -> None:
    """A golden conversation: « un défi peut avoir plusieurs mentors opérationnels ? » after
    ExploCode asks about the défis in general, not for ExploCode's mentors."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "c'est quoi ExploCode ?")
    decision = dialogues.decide(
        index, "chat", "un défi peut avoir plusieurs mentors opérationnels ?"
    )
    assert "defi-explocode" not in decision.answered_ids


def test_a_follow_up_after_a_choice_of_defis_is_about_the_card_read(index: Index) -> None:
    """« who hosted it? » after Open Chronic's card then a choice led by another défi (a golden
    conversation) is about Open Chronic: the card that was read, not the défi offered."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "Tell me about Open Chronic")
    offered = dialogues.decide(index, "chat", "what about the courts")
    assert offered.status != "answer" and offered.offered_ids[0] == "defi-plume"
    decision = dialogues.decide(index, "chat", "who hosted it?")
    assert decision.answered_ids == ("defi-open-chronic",) and decision.aspects == (
        "administration",
    )


def test_a_choice_in_between_keeps_the_defi_a_follow_up_is_about(index: Index) -> None:
    """A tryout: after PolyGraphe's card, « et celui-là il se passe où ? » was not answered
    (a choice, or no sure answer), and « qui était le mentor ? » then got the card about
    mentors in general."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "celui sur les faux avis en ligne, il est porté par qui ?")
    assert dialogues.decide(index, "chat", "et celui-là il se passe où ?").status != "answer"
    decision = dialogues.decide(index, "chat", "qui était le mentor ?")
    assert decision.answered_ids == ("defi-polygraphe",) and decision.aspects == ("mentors",)


@pytest.mark.parametrize(
    "follow_up", ["et c'etait qui dans l'equipe sur celui-la ?", "who worked on that one?"]
)
def test_a_defi_offered_second_is_what_a_follow_up_points_to(index: Index, follow_up: str) -> None:
    """Tryouts: a choice offered the list of défis, then ADLER; « c'était qui l'équipe sur
    celui-là ? » got three other défis, as only the first entry offered was remembered. The
    same when both are given, as two answers to a message that asks two things."""
    dialogues = Dialogues()
    opening = "vous avez un exemple de projet concret ? genre celui qui repere la fraude"
    first = dialogues.decide(index, "chat", opening)
    given = first.answered_ids or first.offered_ids
    assert given[0] != "defi-adler" and "defi-adler" in given
    decision = dialogues.decide(index, "chat", follow_up)
    assert decision.answered_ids == ("defi-adler",) and decision.aspects == ("equipe",)


@pytest.mark.parametrize(
    ("follow_up", "aspect"),
    [("super, et qui était dans l'équipe ?", "equipe"), ("ok merci, et le code est où ?", "code")],
)
def test_a_follow_up_opened_with_thanks_still_follows(
    index: Index, follow_up: str, aspect: str
) -> None:
    """« cool, and who were the people on it? » got a choice of general cards: the « cool »."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "c'est quoi le défi Plume ?")
    decision = dialogues.decide(index, "chat", follow_up)
    assert decision.answered_ids == ("defi-plume",) and decision.aspects == (aspect,)


def test_a_defi_half_remembered_by_its_theme_is_offered_not_denied(index: Index) -> None:
    """A tryout: a long message about « le truc avec les impôts » fell back to the list of
    défis, which then said that no défi is on that theme: LexImpact is."""
    decision = index.decide(
        "je ne me souviens plus du nom mais il y avait un défi sur les impôts, vous voyez lequel ?"
    )
    assert not decision.unmatched_theme
    assert "defi-leximpact" in (*decision.answered_ids, *decision.offered_ids)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("yen a un sur la couverture reseau mobile / les antennes ?", "defi-datareg"),
        ("the one with speed cameras and cloned plates, whats it called", "defi-iaflash"),
        # Tryout e43: a fallback naming IA Flash, after the eligibility.
        ("the speed camera one sounds sick, what was it about", "defi-iaflash"),
    ],
)
def test_one_asked_for_by_its_theme_is_that_defi(index: Index, message: str, expected: str) -> None:
    """Tryouts: after the list of défis, « yen a un sur la couverture réseau mobile ? » and
    « the one with speed cameras … » fell back (DataReg, IA Flash as hints), and the
    conversation then followed a défi only offered."""
    assert index.decide(message).answered_ids == (expected,)


def test_a_defi_asked_as_a_thing_on_its_own_theme_is_answered(index: Index) -> None:
    """A tryout: « y avait pas un truc sur l'agriculture bio dans la promo 3 ? » got « pas de
    réponse sûre » with CartoBIO as a hint; organic farming is CartoBIO's theme and no other
    défi's."""
    decision = index.decide("y avait pas un truc sur l'agriculture bio dans la promo 3 ?")
    assert decision.status == "answer" and decision.answered_ids == ("defi-cartobio",)


def test_a_defi_asked_by_what_it_was_about_gets_its_whole_card(index: Index) -> None:
    """A tryout: « Quel défi portait sur l'agriculture bio ? » got only CartoBIO's
    administration: « porter sur » says what it was about, not who carried it."""
    decision = index.decide("Quel défi portait sur l'agriculture bio ?")
    assert decision.answered_ids == ("defi-cartobio",) and decision.aspects == ()


def test_a_message_that_says_more_than_a_theme_is_not_told_that_no_defi_has_it(
    index: Index,
) -> None:
    """A tryout: this was told that no défi of the 3rd promotion is on its « theme », above a
    list holding ADLER, the défi that needs a security clearance."""
    message = (
        "je viens d'etre retenu sur un defi lie aux finances publiques et on me parle d'une "
        "enquete de securite. pourquoi et il se passe quoi si ca coince ?"
    )
    assert not index.decide(message).unmatched_theme


def test_the_call_for_projects_is_not_a_defi_asked_by_its_theme(index: Index) -> None:
    """Tryout e8: « l'appel à projets pour la promo 3 » was told that no défi of the 3rd
    promotion is on that theme."""
    decision = index.decide("c etait quand l appel a projets pour la promo 3")
    assert not decision.unmatched_theme and "defis" not in decision.answered_ids


def test_an_elision_typed_without_its_apostrophe_is_read_as_written_with_it(index: Index) -> None:
    """A tryout: « un defi sur l environnement ? » got the equipment card (« l'environnement
    technique »), while « un défi sur l'environnement ? » gets the list of défis."""
    typed = index.decide("un defi sur l environnement ?")
    assert typed.answered_ids == index.decide("un défi sur l'environnement ?").answered_ids
    assert typed.answered_ids == ("defis",) and typed.unmatched_theme


@pytest.mark.parametrize(
    "message",
    [
        "un défi sur la culture ou les musées dans la 3e promotion ?",
        "y avait un projet sur l'énergie ou le nucléaire en 2019 ?",
        "y a un defi sur l'education ?",
        "un projet eig 2019 sur le logement social / hlm ?",
    ],
)
def test_a_theme_no_defi_has_is_said_rather_than_offered(index: Index, message: str) -> None:
    """Tryout: these got a choice of the lists of défis and of the promotion, where the list
    that says that no défi of the promotion is on the theme answers them. Tryout e19: « sur
    l'éducation » got a choice led by the civil servants' entry, without the list; « un projet
    eig 2019 sur … » was not read as a défi asked for by its theme."""
    decision = index.decide(message)
    assert decision.answered_ids == ("defis",) and decision.unmatched_theme


def test_defis_asked_in_the_plural_are_not_answered_with_one_of_them(index: Index) -> None:
    """Tryout e57: a journalist asking which défis used AI got ExploCode alone, though several
    did; a plural question on a theme that one défi has is still that défi's."""
    message = "journaliste, quels défis de 2019 ont utilisé de l'intelligence artificielle ?"
    decision = index.decide(message)
    assert decision.status == "suggest"
    assert set(decision.offered_ids) >= {"defi-explocode", "defis"}
    for one in (
        "which projects worked on chronic diseases",
        "which challenges were about health data",
    ):
        assert index.decide(one).answered_ids == ("defi-open-chronic",)


def test_a_theme_only_an_earlier_promotion_has_gets_the_other_promotions_defis(
    index: Index,
) -> None:
    """Tryout e36: « le truc sur les orgues d'eglise » got the 3rd promotion's list, with the
    note that none of its défis is on organs; the 1st promotion's inventory of organs is on the
    other promotions' card. Named with the 3rd promotion, the theme still gets its list."""
    decision = index.decide("le truc sur les orgues d'eglise c'etait quoi ?")
    assert decision.answered_ids == ("defis-autres-promotions",)
    assert "orgues" in render.render_decision(decision, index.knowledge).plain
    in_2019 = index.decide("un défi sur les orgues dans la promo 3 ?")
    assert in_2019.answered_ids == ("defis",) and in_2019.unmatched_theme


@pytest.mark.parametrize(
    ("message", "defi"),
    [
        ("un defi sur les nounous ca existe ?", "defi-acoss"),
        ("la DREES a eu quel projet en promo 3 ?", "defi-open-chronic"),
        ("ya deja eu des defis sur l'agriculture ?", "defi-cartobio"),
        # Found probing the themes of tryout e57: the other promotions' défis alone.
        ("quels projets sur la santé ?", "defi-open-chronic"),
    ],
)
def test_a_defi_that_exists_is_never_said_to_be_missing(
    index: Index, message: str, defi: str
) -> None:
    """A tryout: the agriculture question was told that no défi is on that theme, then the
    list of défis named CartoBIO, on organic farming."""
    decision = index.decide(message)
    assert not decision.unmatched_theme
    assert defi in (*decision.answered_ids, *decision.offered_ids)


@pytest.mark.parametrize(
    ("message", "defi"),
    [
        ("qui bossait avec Victor Journé ?", "defi-iaflash"),
        ("c'est qui Luc Salommez ?", "defi-polygraphe"),
        ("Kim Montalibet elle bossait sur quoi", "defi-datajust"),
        ("Victor Journé il bossait sur quoi", "defi-iaflash"),
        ("parlez moi de DataJust", "defi-datajust"),
        ("racontez-moi DataJust", "defi-datajust"),
        ("ARCEP dans la promo 3, c'etait quoi le projet", "defi-datareg"),
        ("la DREES a eu quel projet en promo 3 ?", "defi-open-chronic"),
        ("La Cour de cassation a participé au programme ? pour faire quoi ?", "defi-open-justice"),
        ("datajust ca sert a quoi", "defi-datajust"),
        ("a quoi sert cibnav ?", "defi-cibnav"),
        ("celui de la cour de cassation ca marche comment ?", "defi-open-justice"),
        (  # tryout e57: a choice of Open Justice, the list and how to propose a défi
            "La Cour de cassation a accueilli une équipe EIG en 2019 : quel était le problème à "
            "résoudre ?",
            "defi-open-justice",
        ),
    ],
)
def test_a_defi_is_found_by_the_name_of_one_of_its_people(
    index: Index, message: str, defi: str
) -> None:
    """Tryouts: a défi asked for by a name on its team line or by its administration fell
    back, or got a choice of that défi and the mentors or the list; « à quoi sert CibNav ? »
    got a choice because other answers mention CibNav."""
    assert index.decide(message).answered_ids == (defi,)


@pytest.mark.parametrize(
    "message",
    [
        "karfur ils ont eu combien de beta testeurs",
        "Karfu'R, il y avait combien de bêta-testeurs ?",
    ],
)
def test_a_defi_named_with_what_only_its_card_tells_gets_its_card(
    index: Index, message: str
) -> None:
    """Tryout e14: asked by name for something that only Karfu'R's card tells (its 70
    bêta-testeurs), the message fell back: « beta » also reads as beta.gouv."""
    assert index.decide(message).answered_ids == ("defi-karfur",)


@pytest.mark.parametrize(
    ("message", "defi", "fact"),
    [
        ("plume c un outil pr l'assemblee nationale ?", "defi-plume", "Cour des comptes"),
        ("polygraphe c un detecteur de mensonge pr la police? 😂", "defi-polygraphe", "DGCCRF"),
        ("explocode c pour apprendre a coder aux chomeurs ?", "defi-explocode", "droit du travail"),
        # Tryout e44: a choice of Karfu'R, the call for projects and the list.
        (
            "le defi Karfu'R etait porte par le ministere de la sante c'est ca ?",
            "defi-karfur",
            "DIAIR",
        ),
    ],
)
def test_a_wrong_guess_of_what_a_defi_is_gets_its_card(
    index: Index, message: str, defi: str, fact: str
) -> None:
    """Tryout e21: a guess of what a défi is, built on a wrong premise, got a choice of Plume and
    LexImpact (« assemblée nationale » is LexImpact's), a fallback (« détecteur de mensonge » is
    not in the base), or ExploCode's site and code lines alone (« coder »). The card tells what
    the défi is, which corrects the guess."""
    decision = index.decide(message)
    assert decision.answered_ids == (defi,)
    assert fact in render.render_decision(decision, index.knowledge).plain


def test_whether_every_eig_s_code_is_classified_is_the_rule_not_one_defi(index: Index) -> None:
    """Tryout e21: « le code des eig c classé secret defense jimagine ? » got ADLER's card alone,
    the one défi that needed a clearance; the rule is that the code is public, with exceptions,
    ADLER's among them."""
    decision = index.decide("le code des eig c classé secret defense jimagine ?")
    assert decision.answered_ids == ("open-source",)
    assert "ADLER" in render.render_decision(decision, index.knowledge).plain


def test_the_programme_s_start_names_the_directorate_of_the_time(index: Index) -> None:
    """Tryout e21: « la dinum existait deja en 2016 quand ca a commencé ? » got the programme's
    creation with Etalab alone: in 2016 it was within the DINSIC, since become the DINUM."""
    decision = index.decide("la dinum existait deja en 2016 quand ca a commencé ?")
    assert decision.answered_ids == ("historique",)
    reply = render.render_decision(decision, index.knowledge).plain
    assert "DINSIC" in reply and "DINUM" in reply


def test_who_sits_on_the_jury_is_told_as_public_and_private(index: Index) -> None:
    """Tryout e21: « le jury de selection c que des fonctionnaires ? » got the selection's card,
    which did not say that the jury mixed public and private figures."""
    decision = index.decide("le jury de selection c que des fonctionnaires ?")
    assert decision.answered_ids == ("selection",)
    assert "publiques et privées" in render.render_decision(decision, index.knowledge).plain


@pytest.mark.parametrize(
    ("message", "defi", "word"),
    [
        ("dintilhac c quoi", "defi-datajust", "Dintilhac"),
        ("c'est quoi orphee", "defi-adler", "ORPHEE"),
    ],
)
def test_what_a_word_only_one_defi_s_card_holds_means_gets_that_card(
    index: Index, message: str, defi: str, word: str
) -> None:
    """Tryout e26: after DataJust's card, « dintilhac c quoi » got a choice of DataJust and the
    list of défis; the classification is told on DataJust's card alone."""
    decision = index.decide(message)
    assert decision.answered_ids == (defi,)
    assert word in render.render_decision(decision, index.knowledge).plain


def test_whether_mentors_are_supported_too_is_told(index: Index) -> None:
    """Tryout e27: « les mentors ont ils un accompagnement eux aussi » got the mentors' card,
    which did not say that the programme supports them too (sessions of their own)."""
    decision = index.decide("les mentors ont ils un accompagnement eux aussi")
    reply = render.render_decision(decision, index.knowledge).plain
    assert "sessions réservées aux mentors" in reply


def test_a_defi_person_named_in_full_in_a_story_gets_the_defi(index: Index) -> None:
    """Tryout: a choice of IA Flash, EIG Link and the mentors, for a story around a name."""
    message = (
        "Mon cousin Victor Journé a fait EIG en 2019, il m'en parle tout le temps mais j'ai "
        "jamais compris sur quoi il bossait. Tu sais ?"
    )
    assert index.decide(message).answered_ids == ("defi-iaflash",)


def test_a_defi_person_named_with_another_question_keeps_the_choice(index: Index) -> None:
    decision = index.decide("Kim Montalibet est payée combien ?")
    assert decision.status == "suggest" and "remuneration" in decision.offered_ids


def test_a_question_to_an_administration_of_a_defi_is_not_that_defi(index: Index) -> None:
    """Naming an administration is not asking for its défi when the message asks anything
    else of it: the Cour de cassation is Open Justice's, and not a way to appeal."""
    assert index.decide("comment saisir la Cour de cassation ?").status == "fallback"


@pytest.mark.parametrize(
    ("message", "defis"),
    [
        ("cartobio et karfur c'est quoi", ("defi-cartobio", "defi-karfur")),
        ("c'est quoi iaflash et plume", ("defi-iaflash", "defi-plume")),
    ],
)
def test_two_defis_named_in_one_message_are_both_answered(
    index: Index, message: str, defis: tuple[str, str]
) -> None:
    """Tryout: two défis asked for by name got a choice between them (the whole message
    looked off topic to the model, so its halves were offered, not given)."""
    assert index.decide(message).answered_ids == defis


@pytest.mark.parametrize(
    ("message", "defis"),
    [
        ("quels defis pour le ministere de l interieur en 2019", ("defi-iaflash", "defi-karfur")),
        (
            "which projects in the 3rd promo were with the ministry of justice",
            ("defi-datajust", "defi-open-justice"),
        ),
        (  # tryout e57: a choice of the list, EIG Link and the 3rd promotion
            "Quels défis ont été portés par le ministère de l'Intérieur en 2019 ?",
            ("defi-iaflash", "defi-karfur"),
        ),
    ],
)
def test_the_defis_of_an_administration_that_hosts_several_are_all_answered(
    index: Index, message: str, defis: tuple[str, str]
) -> None:
    """Tryout: the first said that no défi was on that theme before listing IA Flash and
    Karfu'R, both of the Intérieur; the second offered Open Justice and the list."""
    decision = index.decide(message)
    assert decision.answered_ids == defis and not decision.unmatched_theme


def test_the_defis_of_an_administration_asked_after_a_defi_s_card_are_all_answered(
    index: Index,
) -> None:
    """Tryout e38: after PolyGraphe's card, « et sur la justice y avait quoi ? » got Open
    Justice alone; DataJust is of the Ministère de la Justice too."""
    message = "trop bien. et sur la justice y avait quoi ?"
    after = index.decide(message, context=["defi-polygraphe"])
    assert after.answered_ids == ("defi-datajust", "defi-open-justice")


def test_a_follow_up_whose_ca_takes_up_its_own_subject_gets_that_subject(index: Index) -> None:
    """Tryout e41: after the pay, « et les conges payes ca donne quoi ? » got a choice of the pay
    and the leave: « ça » was read as pointing back to the pay. « le site ça existe encore ? »
    after a défi's card still asks about that défi."""
    leave = index.decide("et les conges payes ca donne quoi ?", context=["remuneration"])
    assert leave.answered_ids == ("conges",)
    site = index.decide("et le site ca existe encore ?", context=["defi-karfur"])
    assert site.answered_ids == ("defi-karfur",)


@pytest.mark.parametrize("message", ["ca a change depuis ?", "is that still the case?"])
def test_whether_it_still_holds_is_asked_of_the_entry_just_given(
    index: Index, message: str
) -> None:
    """Tryout e41: after the financing, « ça a changé depuis ? » got a choice of the financing
    and the pay; the financing's card tells what changed in 2020."""
    assert index.decide(message, context=["financement"]).answered_ids == ("financement",)


def test_the_defis_of_a_year_asked_after_the_experience_are_the_defis(index: Index) -> None:
    """Tryout e41: after the experience asked (whose card gives each promotion's average age),
    « y avait quoi comme defis en 2019 ? » got the experience again, as if it asked the same of
    another promotion."""
    decision = index.decide("y avait quoi comme defis en 2019 ?", context=["experience"])
    assert decision.answered_ids == ("defis",)


@pytest.mark.parametrize(
    "message",
    [
        "ok how do i get in touch with them to ask about the nationality thing",
        "qui contacter pour poser une question sur le salaire ?",
        "a qui ecrire pour une question sur mon eligibilite",
    ],
)
def test_whom_to_ask_about_a_topic_gets_the_contact(index: Index, message: str) -> None:
    """Tryout e37: the topic of the question to ask made the model unsure, and the bot said it
    had no sure answer, with the contact first."""
    assert index.decide(message).answered_ids == ("contact",)


def test_a_defi_named_by_its_own_administration_is_answered_alone(index: Index) -> None:
    assert index.decide("le défi de la DACS au ministère de la justice").answered_ids == (
        "defi-datajust",
    )


@pytest.mark.parametrize(
    ("message", "defi"),
    [
        ("slt, c quoi le truc datajust dont g entendu parler a la radio", "defi-datajust"),
        ("entendu parler de karfur a la tele, c quoi", "defi-karfur"),
        ("slt c quoi le truc plume jai vu passer ca sur twitter", "defi-plume"),
        # Tryout e36: a choice of EIG Link and the list.
        ("c'est quoi ce defi 'link' que je vois partout ?", "defi-eig-link"),
    ],
)
def test_a_defi_heard_of_somewhere_is_answered(index: Index, message: str, defi: str) -> None:
    """Tryout e2: where the défi was heard of made a choice of DataJust and ADLER. Tryout e11:
    « jai vu passer ca sur twitter » fell back (the base reads « twitter » as « contact »)."""
    assert index.decide(message).answered_ids == (defi,)


@pytest.mark.parametrize(
    "message",
    ["c'est quoi DataJust et qui bossait dessus ?", "DataJust c'était quoi et qui l'a porté"],
)
def test_what_a_defi_is_and_a_part_of_it_get_the_whole_card(index: Index, message: str) -> None:
    """Tryout: the reply was the team line alone, without what DataJust was."""
    decision = index.decide(message)
    assert decision.answered_ids == ("defi-datajust",) and decision.aspects == ()


def test_two_parts_asked_with_en_get_both(index: Index) -> None:
    """« Qui en étaient les mentors ? » points back with « en »: it got the open-source card."""
    dialogues = Dialogues()
    defi = dialogues.decide(index, "chat", "Le défi sur les maladies chroniques, c'est quoi ?")
    assert defi.answered_ids == ("defi-open-chronic",)
    decision = dialogues.decide(
        index, "chat", "Qui en étaient les mentors ? Et est-ce que le code a été publié ?"
    )
    assert decision.answered_ids == ("defi-open-chronic",)
    assert set(decision.aspects) == {"mentors", "code"}


def test_a_defi_named_with_a_part_gets_that_part_without_context(index: Index) -> None:
    decision = index.decide("qui étaient les mentors de plume ?")
    assert decision.answered_ids == ("defi-plume",) and decision.aspects == ("mentors",)


@pytest.mark.parametrize(
    ("opening", "follow_up"),
    [
        ("c'est quoi datajust", "et les mentors ils sont payés combien ?"),
        ("c'est quoi un mentor", "et l'équipe ?"),
    ],
)
def test_a_follow_up_that_asks_more_than_a_part_is_not_cut_to_it(
    index: Index, opening: str, follow_up: str
) -> None:
    dialogues = Dialogues()
    dialogues.decide(index, "chat", opening)
    assert not dialogues.decide(index, "chat", follow_up).aspects


@pytest.mark.parametrize(
    "follow_up",
    ["Le code de ces projets est-il public ?", "tous les projets ont leur code sur github ?"],
)
def test_a_part_asked_of_all_the_defis_is_not_the_last_defi_s(index: Index, follow_up: str) -> None:
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "et le défi sur les faux avis en ligne ?")
    decision = dialogues.decide(index, "chat", follow_up)
    assert not decision.aspects and decision.answered_ids == ("open-source",)


def test_the_mentors_of_the_programme_are_not_a_defi_s(index: Index) -> None:
    assert not index.decide("qui sont les mentors des EIG").aspects


def test_a_part_the_card_lacks_gets_the_whole_card(index: Index) -> None:
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "c'est quoi polygraphe")
    decision = dialogues.decide(index, "chat", "et le code ?")
    assert decision.aspects == ("code",) and decision.entry is not None
    whole = render.render_entry(decision.entry, index.knowledge)
    reply = render.render_decision(decision, index.knowledge)
    assert reply.plain.endswith(whole.plain) and reply.buttons == whole.buttons
    # A tryout: « et le site » got the same card again, and the reader looked in vain for a site.
    assert reply.plain.startswith(spaced("La fiche de PolyGraphe n'indique ni site ni code"))
    # Its results have no line of their own, and its card tells them: no such line before it.
    figures = dialogues.decide(index, "chat", "ils en ont recup combien des avis")
    assert figures.aspects == ("resultats",)
    assert render.render_decision(figures, index.knowledge).plain == whole.plain


@pytest.mark.parametrize(
    ("message", "expected"),
    [("c'est quoi le programme eig", "programme"), ("prof titulaire ca passe ?", "fonctionnaires")],
)
def test_a_question_in_the_words_of_a_phrasing_is_answered(
    index: Index, message: str, expected: str
) -> None:
    # Staff wrote these questions (in other spellings): no choice to offer.
    assert index.decide(message).answered_ids == (expected,)


def test_a_follow_up_in_the_words_of_a_phrasing_is_still_read_after_the_answer(
    index: Index,
) -> None:
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "c'est quoi open justice")
    decision = dialogues.decide(index, "chat", "combien d'EIG dessus ?")
    assert decision.answered_ids != ("promotions",)


def test_two_questions_in_one_message_get_both_entries(index: Index) -> None:
    decision = index.decide("combien est-on payé et combien de temps dure le contrat ?")
    given = set(decision.answered_ids) | set(decision.offered_ids)
    assert {"remuneration", "contrat"} <= given


@pytest.mark.parametrize(
    ("message", "entries"),
    [
        ("c'est payé combien et ça dure combien de temps ?", {"remuneration", "contrat"}),
        ("c koi karfur et cartobio", {"defi-karfur", "defi-cartobio"}),
    ],
)
def test_two_clear_questions_get_both_answers_when_the_whole_is_less_sure(
    index: Index, message: str, entries: set[str]
) -> None:
    assert set(index.decide(message).answered_ids) == entries


@pytest.mark.parametrize(
    "message",
    [
        "quel temps fait-il à paris et quelle heure est-il ?",
        "combien coûte un passeport et ça prend combien de temps ?",
    ],
)
def test_two_questions_off_topic_are_still_declined(index: Index, message: str) -> None:
    assert index.decide(message).status == "fallback"


@pytest.mark.parametrize(
    "message",
    [
        "whats the diffrence between an EIG and a consultant / prestataire",
        "c quoi la difference entre un eig et un prestataire",
    ],
)
def test_a_difference_between_two_things_is_one_question(index: Index, message: str) -> None:
    """Tryout e48: cut at « and », the message got every promotion's figures (« an EIG »)
    first, and what the programme is second."""
    assert index.decide(message).answered_ids == ("programme",)


def test_two_questions_after_a_story_get_both_answers(index: Index) -> None:
    """The story before the comma is not one of the two questions."""
    decision = index.decide(
        "mon fils vient d'être sélectionné comme EIG, il va être payé combien et c'est quoi "
        "son contrat exactement, un CDD ?"
    )
    assert set(decision.answered_ids) == {"remuneration", "contrat"}


def test_a_question_cut_in_two_still_offers_what_the_whole_message_asks(index: Index) -> None:
    decision = index.decide("What happens after the programme ends? Do people get hired?")
    assert "apres" in set(decision.answered_ids) | set(decision.offered_ids)


def test_one_question_with_an_et_stays_one_question(index: Index) -> None:
    decision = index.decide("les étudiants et les apprentis peuvent-ils postuler ?")
    assert decision.candidates[0].entry.id == "etudiants"
    assert len(decision.answered_ids) <= 1


def test_a_story_around_one_question_gets_one_answer(index: Index) -> None:
    # The first half ("je suis data scientist dans une banque") describes the person: answering
    # it too (the profiles sought) would put a wrong answer next to the right one.
    decision = index.decide(
        "Je suis data scientist dans une banque et je gagne bien ma vie, le salaire EIG c'est "
        "combien par mois en net ?"
    )
    assert decision.answered_ids == ("remuneration",)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Je travaille depuis huit ans comme développeur dans une grande banque à Lyon, j'ai "
            "deux enfants et ma femme est enseignante. On réfléchit à un changement de vie. "
            "Est-ce que la mission se fait à Paris ou ailleurs ?",
            "lieu",
        ),
        (
            "Bonjour, je suis data analyst dans une mutuelle depuis quatre ans, et j'ai vu passer "
            "une annonce sur LinkedIn. Combien de temps dure le contrat ?",
            "contrat",
        ),
    ],
)
def test_a_long_story_before_the_question_gets_the_question_s_answer(
    index: Index, message: str, expected: str
) -> None:
    # The sentence that asks is read on its own too: the story no longer drowns it.
    assert index.decide(message).answered_ids == (expected,)


@pytest.mark.parametrize(
    "message",
    [
        "Recette du gâteau au chocolat pour mon défi de cuisine",
        "je cherche un associé CTO pour mon projet d'appli",
    ],
)
def test_a_defi_in_another_sense_does_not_get_the_list_of_defis(index: Index, message: str) -> None:
    assert "defis" not in index.decide(message).answered_ids


@pytest.mark.parametrize(
    ("message", "kind", "starts"),
    [
        pytest.param("ok", "ack", "Très bien", id="ok"),
        pytest.param("bon.", "ack", "Très bien", id="bon"),
        pytest.param("lol", "laugh", "Content de vous faire sourire", id="lol"),
        pytest.param("merci beaucoup", "thanks", "Avec plaisir", id="thanks"),
        pytest.param("thanks a lot", "thanks", "(You're welcome!", id="english-thanks"),
        pytest.param(
            "t'es vraiment nul", "insult", "Désolé si je ne vous ai pas aidé", id="insult"
        ),
        pytest.param("t'es un robot ?", "bot", "Je suis un assistant automatique", id="bot"),
        pytest.param(
            "slt t un robot ou qqn de vrai", "bot", "Je suis un assistant automatique", id="qqn"
        ),
        pytest.param(
            "t un robot ou un vrai fonctionnaire mdr",
            "bot",
            "Je suis un assistant automatique",
            id="civil-servant",  # tryout e21: a fallback
        ),
        pytest.param("merci vous me rassurez", "thanks", "Avec plaisir", id="reassured"),
        # Tryout e29: « help » read as the support's entry, « no worries » as a question.
        pytest.param("thanks for the help!", "thanks", "(You're welcome!", id="for-the-help"),
        pytest.param("ok no worries, cheers", "thanks", "(You're welcome!", id="no-worries"),
        pytest.param("brilliant, thanks a lot!", "thanks", "(You're welcome!", id="brilliant"),
        # Tryout e43: « dear » made ACOSS-Plateforme's card the answer.
        pytest.param("thank you dear", "thanks", "(You're welcome!", id="dear"),
        pytest.param("bonne journée !", "bye", "Au revoir", id="bye"),
        # Tryout e38: « dommage » read as the harm DataJust's défi is about.
        pytest.param("dommage. bon tant pis, bonne soiree", "bye", "Au revoir", id="too-bad"),
        pytest.param("👍", "ack", "Très bien", id="emoji"),
        pytest.param("merciiii", "thanks", "Avec plaisir", id="held-down-letter"),
        pytest.param("hahahaha", "laugh", "Content de vous faire sourire", id="long-laugh"),
        pytest.param("parfait merci pour l'info", "thanks", "Avec plaisir", id="for-the-info"),
        pytest.param("d'accord, merci", "thanks", "Avec plaisir", id="elided-d-accord"),
        pytest.param("ah ok je vois", "ack", "Très bien", id="i-see"),
        pytest.param(
            "t'es un robot ou y a quelqu'un derrière ?",
            "bot",
            "Je suis un assistant automatique",
            id="someone-behind",
        ),
        pytest.param(
            "are you a bot or a real person?", "bot", "(I am an automatic assistant", id="en"
        ),
        pytest.param(
            "Je vous remercie pour toutes ces informations, c'est très clair.",
            "thanks",
            "Avec plaisir",
            id="thanks-for-everything",
        ),
        pytest.param(
            "Hi! Do you speak English?", "language", "Je réponds en français", id="language"
        ),
        pytest.param("tu parles anglais ?", "language", "Je réponds en français", id="anglais"),
        pytest.param(
            "thanks! btw do you speak english or only french?",
            "language",
            "Je réponds en français",
            id="only-french",
        ),
        pytest.param(
            "Je vous remercie pour ces éléments, c'est très utile.",
            "thanks",
            "Avec plaisir",
            id="thanks-for-the-details",
        ),
        pytest.param(
            "you're a bot right?", "bot", "(I am an automatic assistant", id="tag-question"
        ),
        pytest.param("merci beaucoup vous etes gentil", "thanks", "Avec plaisir", id="gentil"),
        pytest.param(
            "Merci beaucoup pour ces réponses très utiles, bonne journée.",
            "bye",
            "Au revoir",
            id="thanks-and-goodbye",
        ),
        pytest.param("t'es vraiment nul comme bot", "insult", "", id="nul-comme-bot"),
        pytest.param("bof bof", "insult", "Désolé si je ne vous ai pas aidé", id="bof"),
        pytest.param("merci qd meme", "thanks", "Avec plaisir", id="merci-qd-meme"),
        pytest.param("tant pis, bonne journee", "bye", "Au revoir", id="tant-pis"),
        pytest.param(
            "parfait, merci pour le coup de main", "thanks", "Avec plaisir", id="coup-de-main"
        ),
        pytest.param("a+", "bye", "Au revoir", id="a-plus-typed"),
        pytest.param("bonne fin de journee", "bye", "Au revoir", id="bonne-fin-de-journee"),
        pytest.param("d'accord, merci pour la précision", "thanks", "Avec plaisir", id="precision"),
        pytest.param(
            "merci c'est gentil de m'avoir repondu", "thanks", "Avec plaisir", id="avoir-repondu"
        ),
        pytest.param("bon ok merci qd meme", "thanks", "Avec plaisir", id="bon-ok-merci"),
        pytest.param("merci t'es un bg", "thanks", "Avec plaisir", id="compliment"),
        pytest.param(
            "merci beaucoup vous etes bien aimable", "thanks", "Avec plaisir", id="aimable"
        ),
        pytest.param("merci madame vous etes bien aimable", "thanks", "Avec plaisir", id="madame"),
        pytest.param(
            "pff ce bot sert a rien", "insult", "Désolé si je ne vous ai pas aidé", id="pff"
        ),
        pytest.param("wsh c nul", "insult", "Désolé si je ne vous ai pas aidé", id="wsh"),
        pytest.param("c'est noté, merci", "thanks", "Avec plaisir", id="elided-c-est-note"),
        pytest.param(
            "merci bcp ca m'aide a y voir plus clair", "thanks", "Avec plaisir", id="plus-clair"
        ),
        pytest.param(
            "tu sers a rien franchement", "insult", "Désolé si je ne vous ai pas aidé", id="franc"
        ),
        pytest.param("who made you?", "bot", "(I am an automatic assistant", id="who-made-you"),
        pytest.param("tu sers à quoi toi", "bot", "Je suis un assistant automatique", id="a-quoi"),
        pytest.param(
            "t'es nul tu comprends rien", "insult", "Désolé si je ne vous ai pas aidé", id="rien"
        ),
        pytest.param(
            "good morning :) hope ur doing well", "greeting", "(Hello!", id="hope-you-are-well"
        ),
        pytest.param(
            "Merci beaucoup, vous m'avez rassurée, je crois que je vais tenter 🙂",
            "thanks",
            "Avec plaisir",
            id="thanks-then-a-statement",
        ),
        pytest.param(
            "lol les voleurs de plaques vont pleurer",
            "laugh",
            "Content de vous faire sourire",
            id="laugh-then-a-remark",
        ),
        pytest.param("tu t appelles comment", "bot", "Je suis un assistant", id="name"),
        pytest.param("ok merci je reviens vers vous", "bye", "Au revoir", id="later"),
        pytest.param("bon je vais manger, bonne soiree", "bye", "Au revoir", id="leaving"),
        pytest.param("lol ok jvais tenter ma chance", "ack", "Très bien", id="going-to-try"),
        pytest.param("hi, do u speak english?", "language", "Je réponds en français", id="u"),
        pytest.param("c relou ton truc", "insult", "Désolé si je ne vous ai pas aidé", id="relou"),
        pytest.param("tes qui toi", "bot", "Je suis un assistant", id="tes-qui"),  # tryout e58
        pytest.param("ok ça a l'air cool", "ack", "Très bien", id="a-l-air"),  # tryout e68
    ],
)
def test_small_talk_gets_a_short_kind_reply_of_its_own(
    index: Index, message: str, kind: str, starts: str
) -> None:
    decision = index.decide(message)
    assert (decision.status, decision.small_talk) == ("smalltalk", kind)
    assert render.render_decision(decision, index.knowledge).plain.startswith(spaced(starts))


@pytest.mark.parametrize(
    ("message", "english", "french"),
    [
        pytest.param("thanks a lot!", "(You're welcome!", "Avec plaisir", id="thanks"),
        pytest.param("good morning", "(Hello!", "Bonjour !", id="greeting"),
        pytest.param("ok thanks, bye", "(Goodbye", "Au revoir", id="bye"),
        pytest.param("merci", None, "Avec plaisir", id="merci"),
        pytest.param("merci, thanks", None, "Avec plaisir", id="both-languages"),
        pytest.param("lol", None, "Content de vous faire sourire", id="either-language"),
        pytest.param("thx a lot, very helpful", "(You're welcome!", "Avec plaisir", id="thx-a-lot"),
        pytest.param("thx a lot, obrigado !", "(You're welcome!", "Avec plaisir", id="obrigado"),
    ],
)
def test_small_talk_in_english_gets_one_english_line_before_the_french_reply(
    index: Index, message: str, english: str | None, french: str
) -> None:
    """An English speaker's « thanks a lot! » got only « Avec plaisir ! … » (tryout v): like an
    English question, it now gets one English line first; French small talk gets none."""
    plain = render.render_decision(index.decide(message), index.knowledge).plain
    first, _, rest = plain.partition("\n\n")
    if english is None:
        assert first.startswith(spaced(french)) and "(" not in first
    else:
        assert first.startswith(english) and rest.startswith(spaced(french))


@pytest.mark.parametrize(
    "message",
    [
        "Très bien, merci beaucoup pour votre patience, vous m'avez bien aidé.",
        "vous m'avez été très utile",
        "ok ça m'aide beaucoup merci",
        "ok thanks, that's what I needed",
        "merci chef",
        "merci beaucoup jeune homme, tres instructif",  # tryout e18: the 3rd promotion's card
    ],
)
def test_thanks_for_the_help_after_an_answer_is_thanks(index: Index, message: str) -> None:
    """A candidate tryout: after the unemployment answer, « vous m'avez bien aidé » got a choice
    of mentors and unemployment (« aidé » read as support), instead of « Avec plaisir »."""
    decision = index.decide(message, context=["chomage"])
    assert (decision.status, decision.small_talk) == ("smalltalk", "thanks")


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("ok je vais leur ecrire. merci beaucoup pour votre aide !", "thanks"),
        ("merci, je vais regarder le site", "thanks"),
        ("thanks, I'll email them", "thanks"),
        ("ok jvais leur envoyer un mail", "ack"),
    ],
)
def test_what_one_will_do_next_with_thanks_is_small_talk(
    index: Index, message: str, kind: str
) -> None:
    """A follow-up tryout (e55): after the contact's card, « ok je vais leur ecrire. merci
    beaucoup pour votre aide ! » got the same card again instead of « Avec plaisir »."""
    decision = index.decide(message, context=["contact"])
    assert (decision.status, decision.small_talk) == ("smalltalk", kind)


def test_thanks_after_a_defi_s_card_is_thanks_not_a_choice(index: Index) -> None:
    """A golden conversation: « Merci, très utile pour mon papier » after IA Flash's card got a
    choice of three défis."""
    decision = index.decide("Merci, très utile pour mon papier", context=["defi-iaflash"])
    assert (decision.status, decision.small_talk) == ("smalltalk", "thanks")


@pytest.mark.parametrize(
    "message",
    [
        "Bonjour, je voudrais la météo de demain",
        "merci. et pour la mutuelle alors",
        "ok. what's the weather in Paris today lol",
        "ok. il faut fournir quoi comme dossier pour deposer un defi",
    ],
)
def test_a_greeting_or_a_question_after_thanks_is_not_small_talk(
    index: Index, message: str
) -> None:
    """A request after a greeting, or a question after thanks, is what the person wants: it
    gets a reply of its own (and goes to the question log when the bot has none)."""
    assert index.decide(message).status != "smalltalk"


@pytest.mark.parametrize(
    "message",
    [
        "merci, et le salaire ?",
        "ok et ça dure combien de temps",
        "bonjour je suis étudiant",
        "c'est clair pour le contrat ?",
        "je vois pas le formulaire",
        "ça va durer combien de temps ?",
        "faut-il parler anglais ?",
        "ok je vais candidater, c'est quand ?",
        "je vais leur ecrire, c'est quoi l'adresse",
        "je vais leur ecrire pour le contrat cdi ok",
    ],
)
def test_small_talk_with_a_question_in_it_is_a_question(index: Index, message: str) -> None:
    assert index.decide(message).status != "smalltalk"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Je vous remercie infiniment pour votre patience. Et le salaire, c'est combien par "
            "mois ?",
            "remuneration",
        ),
        ("Merci beaucoup ! Ça dure combien de temps, la mission ?", "contrat"),
        ("ca dure cmb de tps", "contrat"),
    ],
)
def test_thanks_before_a_question_do_not_hide_it(index: Index, message: str, expected: str) -> None:
    # A sentence of thanks first would otherwise weigh as much as the question in meaning.
    assert index.decide(message).answered_ids == (expected,)


@pytest.mark.parametrize(
    "message",
    # « il fait beau à Paris ? » has no other term than « c'est à Paris ? », a phrasing of lieu.
    ["quel temps fait-il à Paris", "il fait beau à Paris ?", "il pleut à Paris ?"],
)
def test_the_weather_in_paris_is_never_answered_with_the_place_of_work(
    index: Index, message: str
) -> None:
    assert index.decide(message).status != "answer"


def test_what_france_travail_is_is_not_answered_with_unemployment_rights(index: Index) -> None:
    """A tryout: « cest quoi france travail » got the unemployment rights of an EIG (a phrasing
    of theirs was « france travail » alone); asked with EIG, they are still given."""
    assert index.decide("cest quoi france travail").status != "answer"
    assert index.decide("france travail apres eig").answered_ids == ("chomage",)


@pytest.mark.parametrize("message", ["ya des defis sur la sante?", "des projets dans la santé ?"])
def test_a_theme_a_defi_is_known_by_is_not_said_missing(index: Index, message: str) -> None:
    """A tryout: « ya des défis sur la santé ? » was told that no défi of the 3rd promotion is
    on that theme, while Open Chronic is about chronic diseases and health data."""
    decision = index.decide(message)
    assert "defi-open-chronic" in decision.answered_ids + decision.offered_ids
    assert not decision.unmatched_theme


def test_paris_alone_still_gets_the_place_of_work(index: Index) -> None:
    assert index.decide("c'est à Paris ?").answered_ids == ("lieu",)


def test_a_defi_theme_that_no_defi_has_is_said_so(index: Index) -> None:
    decision = index.decide("y a-t-il un défi sur la biodiversité marine ?")
    reply = render.render_decision(decision, index.knowledge)
    if decision.status == "answer" and decision.entry is not None:
        assert decision.entry.id == "defis"
        assert reply.plain.startswith(spaced(NO_DEFI_ON_THEME))
    else:
        assert "defis" in decision.offered_ids


def test_a_question_about_choosing_defis_gets_no_theme_note(index: Index) -> None:
    decision = index.decide("bjr je voudrais savoir si on peut choisir plusieurs defis")
    assert spaced(NO_DEFI_ON_THEME) not in render.render_decision(decision, index.knowledge).plain


@pytest.mark.parametrize(
    "message",
    [
        "quels sont les défis de la 3e promotion ?",
        "combien de defis en tout dans cette promo ?",
    ],
)
def test_asking_for_the_list_of_defis_gets_no_theme_note(index: Index, message: str) -> None:
    """Tryout e19: « combien de defis en tout dans cette promo ? » was told that no défi is on
    that theme: « défis en tout » read as « défis en santé », « combien » as the theme."""
    decision = index.decide(message)
    assert decision.answered_ids == ("defis",)
    reply = render.render_decision(decision, index.knowledge)
    assert spaced(NO_DEFI_ON_THEME) not in reply.plain


@pytest.mark.parametrize(
    ("message", "theme"),
    [
        ("y a-t-il un défi sur la biodiversité marine ?", True),
        ("quels défis autour de l'écologie", True),
        ("quels sont les défis de la 3e promotion ?", False),
        ("quels défis en promo 1 ?", False),
        ("les projets des anciennes promos", False),
    ],
)
def test_a_theme_is_told_from_the_list_and_from_another_promotion(
    index: Index, message: str, theme: bool
) -> None:
    # « promo 1 » is not a theme that the 3rd promotion's défis lack.
    assert defis.names_a_theme(index.normalizer.analyze(message)) is theme


def test_another_public_programme_is_not_answered_as_eig(index: Index) -> None:
    assert index.decide("c quoi le service civique").status != "answer"


def test_the_defis_of_the_first_promotion_are_found(index: Index) -> None:
    decision = index.decide("quels défis en promo 1 ?")
    assert "defis-autres-promotions" in (*decision.answered_ids, *decision.offered_ids)


def test_a_fallback_still_offers_the_entry_the_ranking_is_sure_of(index: Index) -> None:
    # The on-topic model hesitates on « programme » and « femmes », the ranking does not: the
    # right entry is one tap away, whatever the status.
    decision = index.decide("il y a combien de femmes dans le programme")
    reachable = {*decision.answered_ids, *decision.offered_ids}
    if decision.near_miss is not None:
        reachable.add(decision.near_miss.id)
    assert "promotion-3" in reachable
    assert index.decide("xqzv wplk").near_miss is None


@pytest.mark.parametrize(
    ("folded", "named"),
    [
        ("et ceux de la promo 2", {2}),
        ("les defis de eig 4", {4}),
        ("eig2 c quoi", {2}),
        ("la premiere promotion", {1}),
        ("la 3eme promotion", {3}),
        ("les defis de 2018", {2}),
        ("et en 2018", {2}),
        ("le jury de juillet 2018", set()),
        ("promotion n 5", {5}),
        ("peut on candidater a 2 defis", set()),
        ("le jury de 2018", set()),
        ("on est 4 eig par defi", set()),
        ("how many ppl got selected in the 2019 promo", {3}),
        ("the 2020 cohort", {4}),
        ("c quoi les defis de la 4", {4}),
        ("les projets de la 2e", {2}),
        ("et la 4 ?", set()),
    ],
)
def test_the_promotions_a_message_names(folded: str, named: set[int]) -> None:
    assert promotions_named(folded) == named


@pytest.mark.parametrize(
    ("folded", "named"),
    [
        ("et la 1ere", {1}),
        ("et la 2", {2}),
        ("et dans la 1", {1}),
        ("and the first one", {1}),
        ("un ancien eig peut il epauler la promotion suivante de interieur", set()),
        ("et la promo d avant", set()),
    ],
)
def test_a_rank_alone_names_a_promotion_and_a_relative_one_does_not(
    folded: str, named: set[int]
) -> None:
    """After an entry bound to no promotion, « et la 1ère ? » names the 1st; « la promotion
    suivante » has nothing to follow (it made `python -m bot check` warn that an EIG Link
    phrasing led elsewhere, the 1st promotion being read in it)."""
    assert promotion_by_rank(folded) == named


@pytest.mark.parametrize(
    ("message", "context", "not_given"),
    [
        pytest.param("et ceux de la promo 2 ?", ("defis",), "defis", id="followup-promo-2"),
        pytest.param("les défis de la promo 1", (), "defis", id="defis-promo-1"),
        pytest.param("combien de femmes dans la promo 2 ?", (), "promotion-3", id="women-promo-2"),
    ],
)
def test_an_entry_of_the_3rd_promotion_does_not_answer_for_another(
    index: Index, message: str, context: tuple[str, ...], not_given: str
) -> None:
    decision = index.decide(message, context=context)
    assert not_given not in decision.answered_ids
    assert not_given not in decision.offered_ids


@pytest.mark.parametrize(
    ("opening", "follow_up", "expected"),
    [
        ("combien de candidats pour la promo 3 ?", "et la promo d'avant ?", "promotions"),
        ("combien de candidats pour la promo 3 ?", "et la 2 ?", "promotions"),
        ("combien de candidats pour la promo 3 ?", "et l'annee d'avant ?", "promotions"),
        ("combien de candidats pour la promo 3 ?", "et la promo d avant ?", "promotions"),
        ("c quoi les defis de la promo 3", "et la promo d'avant ?", "defis-autres-promotions"),
        ("how many people applied for the 3rd promotion?", "and the previous one?", "promotions"),
        ("c payé combien un eig ?", "et pr la promo 5 ?", "remuneration"),
        ("la promo 2 c'était combien de personnes", "et la 1ere ?", "promotions"),
        ("y avait combien de femmes dans la promo 3 ?", "et avant ?", "promotions"),
        ("y avait cb de femmes dans la promo 3", "et dans la 1", "promotions"),
        ("salaire eig promo 3", "et pr les promos d apres?", "remuneration"),
        ("le programme eig il existe depuis qd", "and 2019?", "promotion-3"),
        ("le programme eig il existe depuis qd", "et la promo 2 ?", "promotions"),
    ],
)
def test_a_follow_up_about_the_promotion_before_gets_the_entry_for_every_promotion(
    index: Index, opening: str, follow_up: str, expected: str
) -> None:
    """Tryouts: « et la promo d'avant ? » after the 3rd promotion's figures got a choice led
    by those figures again; « and the previous one? » got the calendar (a related entry of the
    figures, not the first), « et pr la promo 5 ? » after the pay got the contract and « et pr
    les promos d apres? » every promotion's figures (the pay gives every promotion's); « and
    2019? » after the history got the history again."""
    dialogues = Dialogues()
    assert dialogues.decide(index, "chat", opening).status == "answer"
    assert dialogues.decide(index, "chat", follow_up).answered_ids == (expected,)


def test_a_follow_up_asking_more_of_another_promotion_is_read_for_itself(index: Index) -> None:
    """« la promo 2 ils etaient combien » after the other promotions' défis asks for the 2nd
    promotion's head count, not for that list again."""
    dialogues = Dialogues()
    opening = "c'etait quoi les defis de la toute premiere promo ?"
    assert dialogues.decide(index, "chat", opening).answered_ids == ("defis-autres-promotions",)
    decision = dialogues.decide(index, "chat", "la promo 2 ils etaient combien")
    assert decision.answered_ids == ("promotions",)


@pytest.mark.parametrize(
    "message",
    [
        "how many ppl got selected in the 2019 promo",
        "how many ppl applied for the 3rd cohort",
        "how many people got selected in 2019",
        "j'avais postule a la promo 3 et j'ai pas ete pris, ca m'a un peu vexe jvais pas mentir. "
        "vous savez combien de personnes avaient candidate en tout cette annee la ?",
    ],
)
def test_the_figures_of_the_promotion_named_are_given_not_offered(
    index: Index, message: str
) -> None:
    """Tryouts: eight questions on the 3rd promotion's figures got a choice between them and
    the promotions' card, which gives them again among the others."""
    assert index.decide(message).answered_ids == ("promotion-3",)


def test_before_the_promotion_named_is_not_that_promotion(index: Index) -> None:
    decision = index.decide("et avant la promo 3 c'etait comment ?")
    assert decision.answered_ids != ("promotion-3",)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param(
            "je suis tombee sur un tweet de @eigforever par hasard en scrollant, je connaissais "
            "pas du tout. ca existe depuis quand ce programme ? c est nouveau ?",
            "historique",
            id="since-when",
        ),
        pytest.param(
            "ok 10 mois c'est court, j'ai peur de me retrouver au chomage en novembre. qu'est ce "
            "qui se passe apres ? on peut rester dans l'administration ?",
            "apres",
            id="after",
        ),
    ],
)
def test_a_short_last_question_is_read_with_the_one_before(
    index: Index, message: str, expected: str
) -> None:
    """Tryouts: the story's question was read as its short last half (« c est nouveau ? »),
    which says little alone; the pay after the contract (« chômage ») came first."""
    assert index.decide(message).answered_ids == (expected,)


def test_a_defi_named_at_the_end_of_a_story_is_answered(index: Index) -> None:
    """A tryout: the story before the question made the choice lead with the programme."""
    decision = index.decide(
        "je suis ancien EIG de la promo 1 et j'aimerais bien rempiler d'une facon ou d'une "
        "autre. j'ai vu qu'il y a un defi qui s'appelle EIG Link, ca consiste en quoi ?"
    )
    assert decision.answered_ids == ("defi-eig-link",)


def test_the_same_promotion_named_again_is_not_another_one(index: Index) -> None:
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "combien de candidats pour la promo 3 ?")
    decision = dialogues.decide(index, "chat", "combien de femmes dans la promo 3 ?")
    assert decision.answered_ids == ("promotion-3",)


def test_the_defis_of_another_promotion_are_offered_and_the_3rd_still_answered(
    index: Index,
) -> None:
    other = index.decide("les défis de la promo 2")
    assert "defis-autres-promotions" in (*other.answered_ids, *other.offered_ids)
    assert index.decide("les défis de la 3e promo").answered_ids == ("defis",)


def test_what_a_defis_team_did_after_its_card_gets_that_defi(index: Index) -> None:
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "c quoi le défi datajust")
    decision = dialogues.decide(index, "chat", "et ils ont fait quoi ?")
    assert decision.answered_ids == ("defi-datajust",)
    plain = render.render_decision(decision, index.knowledge).plain
    assert "Résultat" in plain
    dialogues.decide(index, "other", "c quoi le salaire")
    assert dialogues.decide(index, "other", "et ils ont fait quoi ?").status != "answer"


def test_what_it_came_to_after_a_defi_gets_its_results_not_its_data(index: Index) -> None:
    """A tryout: « ça a donné quoi ? » after Karfu'R offered the list of défis. « et les
    données ? » asks for the data it used (« donn » is also the stem of « données »), which its
    whole card tells, not its results line."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "y en avait un sur les refugies ?")
    decision = dialogues.decide(index, "chat", "ca a donne quoi ?")
    assert decision.answered_ids == ("defi-karfur",)
    assert "Résultat" in render.render_decision(decision, index.knowledge).plain
    dialogues.decide(index, "data", "y en avait un sur les refugies ?")
    data = dialogues.decide(index, "data", "et les données ?")
    assert data.answered_ids == ("defi-karfur",) and data.aspects == ()


@pytest.mark.parametrize(
    ("question", "expected", "fact"),
    [
        ("Quand commence la promotion 3 ?", "promotion-3", "mi-janvier"),
        ("Quelle expérience est demandée ?", "experience", "5 ans d'expérience"),
        ("Quand les résultats sont-ils annoncés ?", "calendrier", "15 décembre 2018"),
        ("Les EIG peuvent-ils être recrutés ensuite ?", "apres", "un tiers"),
        ("quel est le budget de la promotion 3 ?", "financement", "1,5 M€"),
        ("faut-il parler français ?", "nationalite", "niveau de français"),
        ("can I apply from abroad?", "nationalite", "résidence"),
        ("et le contrat cest un cdi?", "contrat", "CDD"),
        (
            "mon fils vient de finir son master de design, il peut postuler ?",
            "etudiants",
            "études doivent être finies",
        ),
        ("un concours est nécessaire pour devenir EIG ?", "selection", "pas un concours"),
        ("le programme fait partie de beta.gouv ?", "pilotage", "pas une startup d'État"),
        (
            "notre ministère peut proposer un projet de refonte informatique ?",
            "proposer-defi",
            "purement d'outillage ou informatiques sont exclus",
        ),
        (
            "les frais de déménagement si je viens de Grenoble c'est pris en charge ?",
            "financement",
            "frais de déménagement n'est pas mentionnée",
        ),
        (
            "On est un service déconcentré, on peut toucher l'argent directement ou pas ?",
            "financement",
            "porteur administratif",
        ),
        ("est ce que le programme existe toujours aujourd'hui ?", "historique", "s'arrêtent là"),
        ("on vit comment pendant 10 mois ?", "remuneration", "4 000 € net par mois"),
        ("if I have more questions who do I write to?", "contact", "entrepreneur-interet-general@"),
        ("Et qui tient les cordons de la bourse ?", "financement", "PIA"),
        (
            "je suis en micro-entreprise, je peux répondre avec mon SIRET ?",
            "eligibilite",
            "personnes physiques",
        ),
        # Tryout e36: « poser ma dem » is to resign, typed short.
        ("je dois poser ma dem pour faire eig ?", "cdi", "congé sans solde"),
        # Tryout e43: « call » was not read as contacting; « call for projects » got the other
        # promotions' défis (« firefighter call-outs »).
        ("who can she call if she has questions", "contact", "entrepreneur-interet-general@"),
        ("what's the call for projects", "proposer-defi", "appel à projets"),
        # Tryout e44: Open Chronic's card did not name its library.
        ("c quoi tsfaker ?", "defi-open-chronic", "tsfaker"),
        # Tryout e37: the contract's card said nothing of a trial period.
        ("is there a trial period on the contract", "contrat", "période d'essai"),
        # Tryouts e33, e49: the civil servants' entry, which says who may apply.
        ("les EIG sont fonctionnaires ou contractuels ?", "contrat", "ni fonctionnaire"),
        # Tryout e49: « ops » for « opérationnels »; it fell back.
        ("on peut etre deux mentors ops pour se partager le boulot ?", "mentors", "opérationnel"),
        # Tryout e50: « participants » for the EIG; it fell back.
        ("ils etaient contents les participants ?", "apres", "satisfaits"),
        # Tryouts e46, e47: the history's card did not name the President of 2016.
        ("c'est hollande ou macron qui a lance ca ?", "historique", "François Hollande"),
        # Tryout e46: the interview's length (not published) got a choice led by the contract.
        ("l'entretien il dure combien de temps ?", "selection", "l'entretien n'est pas publiée"),
        # Tryout e46: « et brest c'etait quoi comme defi ? » got the place of work, unnamed.
        ("y a eu des defis a brest ?", "lieu", "b@liseNAV (SHOM, Brest)"),
    ],
)
def test_common_questions_of_candidates_are_answered_with_the_fact(
    index: Index, question: str, expected: str, fact: str
) -> None:
    """Questions candidates and administrations ask (the programme's list of common questions,
    and tryouts by new users) that were offered as a choice, declined, or answered from an entry
    silent on them."""
    decision = index.decide(question)
    assert decision.answered_ids == (expected,)
    assert spaced(fact) in render.render_decision(decision, index.knowledge).plain


def test_a_contract_agent_is_told_the_rules_do_not_say(index: Index) -> None:
    entry = index.knowledge.get("fonctionnaires")
    assert entry is not None and "contractuel en poste" in entry.answer


def test_a_story_that_falls_back_gets_what_its_question_gets_alone(index: Index) -> None:
    """A tryout: « combien on gagne ? » alone gets the pay; with the story after it, the bot
    said it had no sure answer (then offered the pay first; the whole message puts the pay
    first too, so it is the answer)."""
    decision = index.decide("combien on gagne? moi je suis a 2400 net comme magasinier")
    assert decision.answered_ids == ("remuneration",)


def test_a_story_offered_a_choice_gets_what_its_standing_question_asks(index: Index) -> None:
    """A tryout: the story drew a choice of profiles and a défi; the question asks what EIG is,
    whatever the story (it was then offered first; tryout e47 wanted it answered)."""
    decision = index.decide(
        "hello! je suis data engineer depuis 3 ans dans une scale-up, j'en ai marre de faire du "
        "growth pour des pubs, je cherche un truc qui a plus de sens. c'est quoi exactement EIG ?"
    )
    assert decision.answered_ids == ("programme",)


def test_a_story_naming_a_defi_then_asking_what_it_was_gets_that_defi(index: Index) -> None:
    """Tryout e42: a story naming the ARCEP (DataReg's administration), then « C'était sur
    quoi ? », got a choice led by DataReg. A question about the ARCEP itself is still declined."""
    message = (
        "Je bosse à l'ARCEP depuis peu. Un collègue m'a dit qu'on avait accueilli des EIG il y a "
        "quelques années. C'était sur quoi ?"
    )
    assert index.decide(message).answered_ids == ("defi-datareg",)
    complaint = index.decide("le réseau 4G est nul chez moi, je peux me plaindre à l'Arcep ?")
    assert complaint.status == "fallback"


def test_a_question_asking_the_bot_about_an_off_topic_story_is_not_answered(
    index: Index,
) -> None:
    """« vous savez où postuler ? » alone is how to apply; after a story about an internship, it
    asks where to apply for one."""
    message = "Je cherche un stage au ministère de l'économie, vous savez où postuler ?"
    assert index.decide(message).status != "answer"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Je suis au chomage depuis 8 mois apres un licenciement eco, j'etais dev backend. "
            "Pole emploi me parle jamais de ce genre de truc. c combien le salaire en eig ?",
            "remuneration",
        ),
        (
            "Je suis freelance dev depuis 6 ans, surtout react et python pour des startups. jai "
            "envie de faire un truc qui a du sens pour le service public. c'est quoi exactement "
            "ce programme eig ?",
            "programme",
        ),
        # Tryout e38: a choice of the contract, the profiles and the list of défis.
        (
            "I'm a data engineer from Montreal, moving to Paris next year. A friend told me "
            "about EIG. how long is the mission?",
            "contrat",
        ),
        # Tryouts e23, e27: one sentence, its story told in a clause; choices.
        (
            "salut, je suis en M2 data science a lyon, c koi exactement ce programme eig ?",
            "programme",
        ),
        ("je bosse dans un CHU, les hopitaux peuvent avoir des EIG ?", "proposer-defi"),
        # Tryout e38: a choice that did not offer the place of work.
        (
            "salut, je suis dev freelance installé a lisbonne depuis 2 ans, francais. le "
            "programme eig me tente bien. ca se passe ou les missions ?",
            "lieu",
        ),
        # Tryout e47: a question naming only the programme; a choice of the profiles.
        (
            "salut, je suis data scientist dans une startup depuis 4 ans et je me demande si je "
            "peux bosser pour l'etat sur un projet court. c quoi ce truc EIG exactement ?",
            "programme",
        ),
        # The question speaks of the story: the story's entry stays the answer.
        (
            "Je vais finir mes 10 mois le mois prochain. J'aimerais bien rester. "
            "C'est quoi la suite ?",
            "apres",
        ),
        (
            "Je suis RH dans un ministere. On doit monter un dossier pour accueillir des gens du "
            "programme. On doit fournir quelles pieces ?",
            "proposer-defi",
        ),
    ],
)
def test_a_story_gets_what_its_question_asks_when_the_question_stands_alone(
    index: Index, message: str, expected: str
) -> None:
    """Tryout e38: an unemployed developer asking the pay got unemployment rights, a freelancer
    asking what EIG is got the profiles sought: the story outweighed its question."""
    decision = index.decide(message)
    assert (decision.status, decision.entry and decision.entry.id) == ("answer", expected)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "etudiant a sciences po, je fais un memoire, le programme existe depuis quand ?",
            "historique",
        ),
        (
            "hello je suis designer ux/ui depuis 2 ans, y avait quels defis dans la promo 3 ?",
            "defis",
        ),
    ],
)
def test_a_one_sentence_story_gets_what_its_last_clause_asks(
    index: Index, message: str, expected: str
) -> None:
    """Tryout e1: a story told in clauses before the question, in one sentence, drew a choice
    between the question's entry and the story's (« étudiant » → the students' rules)."""
    decision = index.decide(message)
    assert (decision.status, decision.entry and decision.entry.id) == ("answer", expected)


@pytest.mark.parametrize(
    "message",
    ["je suis freelance data, c quoi DataJust ?", "jsuis etudiant en design, c koi datajust ?"],
)
def test_a_one_sentence_story_asking_what_a_defi_is_gets_its_card(
    index: Index, message: str
) -> None:
    """Tryout e53: the story made both fall back (the défi's name is one word of the clause, which
    was read alone only with two), and the follow-ups about its team and code went astray."""
    assert index.decide(message).answered_ids == ("defi-datajust",)


def test_a_one_sentence_story_that_falls_back_gets_what_its_last_clause_asks(
    index: Index,
) -> None:
    """Tryout e10: « je suis developpeuse depuis 5 ans, sur quels criteres vous selectionnez ? »
    fell back, its story weighing as much as its question. Its question clause's entry, which
    the whole message puts first too, is the answer (it was offered first); a clause that names
    the story's object by a pronoun is not read alone, and an off-topic story still falls
    back."""
    story = index.decide(
        "je suis developpeuse depuis 5 ans, sur quels criteres vous selectionnez ?"
    )
    assert story.answered_ids == ("criteres",)
    pronoun = index.decide("ma cousine veut faire un service civique, on l'inscrit ou ?")
    assert pronoun.status == "fallback"


@pytest.mark.parametrize(
    ("message", "first"),
    [
        (
            "ingénieur des mines en poste dans un ministère, est-ce que je peux tenter ma chance ?",
            "fonctionnaires",
        ),
        ("Une fois dedans, c'est quoi le statut : CDD, freelance, fonctionnaire ?", "contrat"),
        # Tryout e66: the clause « nous ou la DINSIC ? » was answered alone, with the piloting.
        ("C'est qui l'employeur des EIG, nous ou la DINSIC ?", "contrat"),
    ],
)
def test_a_clause_that_leans_on_the_story_or_lists_is_not_read_alone(
    index: Index, message: str, first: str
) -> None:
    """A civil servant's « je peux tenter ma chance ? » asks about the story (read alone, it is
    anyone's application); a list after a question is not the question."""
    decision = index.decide(message)
    assert (decision.status, decision.offered_ids[0]) == ("suggest", first)


def test_a_follow_up_ending_with_justement_is_read_without_it(index: Index) -> None:
    """Tryout e4: « justement » made « c'est quand la date de debut justement ? » fall back; the
    contract gives the start date."""
    dialogues = Dialogues()
    dialogues.decide(
        index,
        "chat",
        "hello je suis dev fullstack en CDI dans une ESN avec 3 mois de preavis. si je candidate "
        "et que je suis pris ca colle avec la date de debut ?",
    )
    decision = dialogues.decide(index, "chat", "c'est quand la date de debut justement ?")
    assert decision.status != "fallback"
    assert (decision.answered_ids or decision.offered_ids)[0] == "contrat"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("ok ca rassure. et concretement pour postuler je fais comment ?", "candidater"),
        ("sorry, in french: qui peut candidater ? je suis freelance", "eligibilite"),
        ("bon je vais relire tout ca. y a un mail pour poser nos questions ?", "contact"),
    ],
)
def test_a_question_after_a_relieved_or_sorry_opening_is_answered(
    index: Index, message: str, expected: str
) -> None:
    """Tryout e7: the opening (« ok ça rassure », « sorry, in french: », « je vais relire tout
    ça ») drew a choice or « pas de réponse sûre » for a clear question."""
    assert index.decide(message).answered_ids == (expected,)


def test_a_question_after_sounds_interesting_is_not_about_the_card_just_read(
    index: Index,
) -> None:
    """Tryout e22: after the programme's card, « sounds interesting. and whats the pay like? »
    got the programme's card again: « sounds interesting » was not read as a reaction."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "what is EIG exactly?")
    decision = dialogues.decide(index, "chat", "sounds interesting. and whats the pay like?")
    assert decision.answered_ids == ("remuneration",)
    assert index.decide("sounds interesting").status == "smalltalk"


def test_a_clear_question_after_another_card_gets_its_own_answer_from_a_choice(
    index: Index,
) -> None:
    """Tryout e23: a parent asked « c'est vraiment l'etat qui est derriere ? », then « il va
    etre paye ou c'est du benevolat ? », which got a choice of the financing, the steering and
    the pay; alone, the message gets the pay. Not when the message alone is unsure: « et les
    autres défis de cette promo ? » after Karfu'R's card is not the other promotions' défis."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "c'est vraiment l'etat qui est derriere ?")
    decision = dialogues.decide(index, "chat", "il va etre paye ou c'est du benevolat ?")
    assert decision.answered_ids == ("remuneration",)
    dialogues.decide(index, "refugees", "Quel défi s'occupait des réfugiés ?")
    others = dialogues.decide(index, "refugees", "et les autres défis de cette promo ?")
    assert "defis-autres-promotions" not in others.answered_ids


def test_from_a_year_on_after_the_pay_is_that_year_s_pay(index: Index) -> None:
    """Tryout e25: after the pay, « et a partir de 2021 ? » got the list of promotions: « partir »
    weighed as a word of its own, where « et en 2021 ? » got the pay, which tells 2021's."""
    dialogues = Dialogues()
    dialogues.decide(index, "chat", "c'est payé combien ?")
    decision = dialogues.decide(index, "chat", "et a partir de 2021 ?")
    assert decision.answered_ids == ("remuneration",)


def test_a_topic_asked_of_one_promotion_gets_the_topic(index: Index) -> None:
    """Tryout e0: « salaire eig promo 3 » got a choice led by the 3rd promotion's figures,
    which say nothing of the pay; the pay's entry gives each promotion's."""
    decision = index.decide("salaire eig promo 3")
    assert (decision.status, decision.entry and decision.entry.id) == ("answer", "remuneration")


def test_a_start_asked_of_one_promotion_is_not_the_programme_s_creation(index: Index) -> None:
    """Tryout e12: « ca demarre quand la promo 3 » was answered with the programme's creation
    (2016), what « ca demarre quand » alone gets; that answer says nothing of the 3rd
    promotion, whose card gives its start."""
    decision = index.decide("ca demarre quand la promo 3")
    assert decision.entry is None or decision.entry.id != "historique"
    assert "promotion-3" in decision.offered_ids


def test_figures_asked_of_another_year_are_not_the_3rd_promotion_s(index: Index) -> None:
    """Tryout e15: « en 2021 ils ont retenu combien… » got the 3rd promotion's (2019) figures
    as if they were 2021's; every promotion's card says what is known of the 5th (2021)."""
    message = "en 2021 ils ont retenu combien de candidats sur combien, c quoi le taux de selection"
    assert index.decide(message).answered_ids == ("promotions",)
    assert index.decide("promo 3 en 2019 combien d'eig").answered_ids == ("promotion-3",)
    # Tryout e52: a choice led by the 3rd promotion's card.
    assert index.decide("combien de candidats en 2021").answered_ids == ("promotions",)


def test_a_count_asked_of_one_promotion_is_not_given_every_promotion_s(index: Index) -> None:
    """Without « promo 3 », « combien de candidats au total » gets every promotion's figures:
    the 3rd promotion's card stays on offer."""
    decision = index.decide("promo 3 combien de candidats au total")
    assert decision.status == "suggest"
    assert "promotion-3" in decision.offered_ids


@pytest.mark.parametrize(
    "message",
    [
        "les resultats parcoursup tombent quand cette annee",
        "le recrutement des contractuels a l education nationale c'est comment ? je veux etre "
        "prof de maths",
        "j'aimerais bien rentrer dans la fonction publique en passant un concours, genre attaché "
        "territorial. c quand les prochains concours ?",
        # Tryouts e45, e48: choices of the unemployment rights, the civil servants' entry.
        "pole emploi inscription comment",
        "how do i apply to be a teacher in french public schools",
    ],
)
def test_another_state_process_is_declined(index: Index, message: str) -> None:
    """Tryout e15: Parcoursup's results got the EIG calendar (« quand tombent les résultats »
    is one of its questions), a teacher's recruitment the civil servants' entry; tryout e38:
    the dates of the civil service's competitive exams got the civil servants' entry."""
    assert index.decide(message).status == "fallback"


def test_a_story_that_falls_back_with_its_question_s_entry_first_gets_it(index: Index) -> None:
    """Tryout e17: the story made the whole message fall back, with the pay first; its question
    alone is the pay, so the story did not change it. It got a choice of the pay and the 3rd
    promotion's figures."""
    message = (
        "je suis data scientist dans une startup et je me renseigne : combien on est paye en "
        "tant qu'eig ?"
    )
    assert index.decide(message).answered_ids == ("remuneration",)


def test_the_deadline_to_apply_is_not_declined_as_the_taxes_one(index: Index) -> None:
    """« c'est quand la date limite pour candidater ? » fell back: the question to decline on
    taxes was told in the same words (« C'est quand la date limite de la déclaration
    d'impôts ? »); it now names what it is about."""
    assert index.decide("c'est quand la date limite pour candidater ?").answered_ids == (
        "calendrier",
    )
    taxes = index.decide("c'est quand la date limite de la declaration d'impots ?")
    assert taxes.status == "fallback"


def test_an_off_topic_story_with_a_vague_question_is_still_declined(index: Index) -> None:
    decision = index.decide("Je dois déclarer mes impôts avant vendredi. Comment on fait ?")
    assert decision.status == "fallback"


@pytest.mark.parametrize(
    "message", ["t'es pour quelle equipe en ligue 1", "c'est quoi ton équipe de foot préférée ?"]
)
def test_an_off_topic_question_with_a_word_of_the_last_answer_is_declined(
    index: Index, message: str
) -> None:
    """Candidate tryout p: after a question on the défis' teams, « tu supportes quelle equipe de
    foot toi » got a choice of the teams' entry and open source."""
    dialogues = Dialogues()
    assert dialogues.decide(index, "chat", "ils sont combien dans l'équipe ?").entry is not None
    assert dialogues.decide(index, "chat", message).status == "fallback"


@pytest.mark.parametrize(
    ("message", "entry_id", "first_line"),
    [
        pytest.param(
            "c ki ki paie les deplacements",
            "financement",
            "Les autres frais, comme les déplacements des EIG, sont payés par l'administration "
            "d'accueil.",
            id="travel-in-the-financing-answer",
        ),
        pytest.param(
            "est-ce qu'il y a une période d'essai ?",
            "remuneration",
            "Le salaire brut, les avantages et la période d'essai ne figurent pas",
            id="trial-period-in-the-pay-answer",
        ),
    ],
)
def test_a_detail_of_a_long_answer_comes_first(
    index: Index, message: str, entry_id: str, first_line: str
) -> None:
    """A candidate tryout: « qui paie les déplacements » got the financing answer, whose line on
    travel is its fifth; on a phone the answer to the question was below the screen. The line
    is not repeated where it was (another tryout read that as the bot repeating itself)."""
    decision = index.decide(message)
    assert decision.entry is not None and decision.entry.id == entry_id
    reply = render.render_decision(decision, index.knowledge)
    assert reply.plain.startswith(spaced(first_line))
    assert reply.html.startswith(f"<b>{spaced(first_line)}"[:40])
    whole = render.render_entry(decision.entry, index.knowledge).plain
    assert reply.plain.count(spaced(first_line)) == 1  # given first, not again lower down
    rest = [line for line in whole.splitlines() if line and spaced(first_line) not in line]
    assert [line for line in rest if line not in reply.plain] == []  # the rest of it follows
    assert reply.plain.index(rest[0]) < reply.plain.index(rest[-1])


def test_a_detail_of_the_answer_just_given_is_all_the_reply(index: Index) -> None:
    """Tryouts: each follow-up on the financing got its nine bullets again, the fact asked for
    at the top but the rest repeated below it; the whole answer is one button away."""
    dialogues = Dialogues()
    first = dialogues.decide(index, "chat", "c koi le financement")
    assert first.answered_ids == ("financement",)
    decision = dialogues.decide(index, "chat", "et les deplacements c qui paie ?")
    assert decision.answered_ids == ("financement",) and decision.again
    reply = render.render_decision(decision, index.knowledge)
    travel = "Les autres frais, comme les déplacements des EIG, sont payés"
    assert reply.plain.startswith(spaced(travel))
    assert "Caisse des dépôts" not in reply.plain  # the rest of the answer, given just before
    assert "financement" in [button.target for button in reply.buttons]
    alone = render.render_decision(
        index.decide("et les deplacements c qui paie ?"), index.knowledge
    )
    assert "Caisse des dépôts" in alone.plain


def test_a_follow_up_on_the_answer_just_given_gets_its_line_from_a_lighter_word(
    index: Index,
) -> None:
    """Tryouts e58, e59, e62: « combien de femmes ? » after the 3rd promotion's figures got the
    nine lines of figures again. « femmes » is too common in the base for a line to lead a first
    answer, but after that answer it says which of its lines is asked."""
    dialogues = Dialogues()
    first = dialogues.decide(index, "chat", "combien de personnes dans la promo 3")
    assert first.answered_ids == ("promotion-3",)
    decision = dialogues.decide(index, "chat", "combien de femmes ?")
    assert decision.answered_ids == ("promotion-3",) and decision.again
    reply = render.render_decision(decision, index.knowledge).plain
    assert reply.startswith(spaced("19 % de femmes")) and "170 candidatures" not in reply
    alone = render.render_decision(index.decide("combien de femmes ?"), index.knowledge).plain
    assert "170 candidatures" in alone
    # Tryout e67: « fournir » led to the host's commitments, while « dossier » is on other lines.
    assert dialogues.decide(index, "admin", "une mairie peut proposer un defi ?").answered_ids
    file = dialogues.decide(index, "admin", "il faut fournir quoi comme dossier ?")
    assert file.answered_ids == ("proposer-defi",) and file.again and file.lead is None
    # « durée » was only on the trial period's line, whose length is unknown: the contract's
    # own length opens the answer.
    dialogues.decide(index, "contract", "c quoi le contrat")
    length = dialogues.decide(index, "contract", "pour quelle durée")
    reply = render.render_decision(length, index.knowledge).plain
    assert length.answered_ids == ("contrat",) and "10 mois" in reply.split("\n")[0]


_INTRO = "Une réponse assez longue pour qu'une de ses lignes passe en tête sur un téléphone. " * 6


@pytest.mark.parametrize(
    ("answer", "first"),
    [
        pytest.param(
            f"{_INTRO}\n\nDeux cas :\n- le cas des baleines bleues ici ;\n- le cas des autres ici.",
            None,
            id="a-list-of-two-keeps-both",
        ),
        pytest.param(
            f"{_INTRO}\n\nTrois cas :\n- le cas des baleines bleues ici ;\n- le cas des autres"
            " ici ;\n- le cas des derniers ici.",
            "le cas des baleines bleues ici ;",
            id="a-list-of-three-gives-one",
        ),
        pytest.param(
            f"{_INTRO}\n\nLa liste des cas :\n\nLes baleines bleues sont le premier des cas ici.",
            None,
            id="a-paragraph-under-its-heading",
        ),
        pytest.param(
            f"{_INTRO}\n\nLa date est fixée.\n\nAvant cette date, les baleines bleues restent ici.",
            None,
            id="a-line-that-points-back",
        ),
    ],
)
def test_a_line_goes_first_only_if_it_reads_alone(
    index: Index, answer: str, first: str | None
) -> None:
    """Candidate tryout p: a bullet taken out of a list of two left « deux types de mentors : »
    with one bullet; « avant cette date » came before the date; a paragraph came before the
    sentence that introduced it. Such a line stays where it is, in the answer as written."""
    entry = Entry("baleines", ("Quoi des baleines ?",), answer)
    terms = index.normalizer.analyze("baleines bleues ?").terms
    number = asked_line(AnswerLines.of(entry, index.normalizer), terms, dict.fromkeys(terms, 1.0))
    lines = markup.numbered_lines(markup.parse(answer))
    found = None if number is None else markup.line_text(lines[number][1])
    assert found == first


@pytest.mark.parametrize(
    "message", ["qui finance le programme ?", "combien on est payé ?", "c'est quoi EIG ?"]
)
def test_a_question_on_the_whole_answer_gets_it_as_written(index: Index, message: str) -> None:
    decision = index.decide(message)
    assert decision.entry is not None
    whole = render.render_entry(decision.entry, index.knowledge)
    assert render.render_decision(decision, index.knowledge).plain == whole.plain


@pytest.mark.parametrize("added", [1, 4])
def test_entries_added_without_the_word_defi_leave_the_defis_answered(
    index: Index, added: int
) -> None:
    """An entry on disability, whose questions never say « défi », made questions about défis
    fall back: « défi » was then in 46 of 52 entries' questions, under the 90 % that made it a
    word naming the programme itself, and each question lost that sign at once."""
    knowledge = index.knowledge
    base = knowledge.by_id["conges"]
    extra = tuple(
        dataclasses.replace(base, id=f"ajout-{number}", related=()) for number in range(added)
    )
    grown = Index(
        dataclasses.replace(knowledge, entries=(*knowledge.entries, *extra)),
        store=FileVectorStore(EMBEDDINGS),
    )
    question = (
        "J'ai reçu une amende alors que ma voiture était au garage : quelqu'un avait copié ma "
        "plaque. J'ai lu qu'un de vos projets s'attaquait à ce problème, lequel ?"
    )
    assert index.decide(question).answered_ids == ("defi-iaflash",)
    assert grown.decide(question).answered_ids == ("defi-iaflash",)


@pytest.mark.parametrize(
    "message", ["how many ppl applied for promo 4?", "combien de candidatures pour eig 4 ?"]
)
def test_the_4th_promotions_applications_are_told(index: Index, message: str) -> None:
    """A tryout: the promotions' card gave the 4th promotion's EIG and défis but not its
    applications, which the programme's facts give (more than 800, 140 interviewed)."""
    decision = index.decide(message)
    assert decision.status == "answer"
    assert "plus de 800 candidatures" in render.render_decision(decision, index.knowledge).plain
