"""Replies: staff mark-up becomes safe Telegram HTML and readable plain text."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from bot.engine import Candidate, Decision, Index
from bot.knowledge import Entry, KnowledgeBase, markup
from bot.knowledge.markup import french_spacing as spaced
from bot.replies import render
from bot.replies.aspects import render_aspects as aspects_reply

ALLOWED_TAGS = {"b", "i", "a"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"balise </{tag}> mal fermée"


def _tags(html_text: str) -> list[str]:
    parser = _Tags()
    parser.feed(html_text)
    parser.close()
    assert not parser.stack
    return parser.tags


def test_staff_text_is_escaped() -> None:
    answer = "Écrivez <b>ici</b> & là : 3 < 4, pas de <script>alert(1)</script>."
    html_text = markup.to_html(markup.parse(answer))
    assert "<script>" not in html_text
    assert "&lt;b&gt;ici&lt;/b&gt; &amp; là" in html_text
    assert _tags(html_text) == []


def test_marks_become_tags() -> None:
    answer = (
        "Le **salaire** est fixé.\n\n"
        "- premier point\n- voir [le site](https://example.org/a?b=1&c=2)\n\n"
        "Plus : https://entrepreneur-interet-general.etalab.gouv.fr."
    )
    html_text = markup.to_html(markup.parse(answer))
    assert "<b>salaire</b>" in html_text
    assert "• premier point" in html_text
    assert '<a href="https://example.org/a?b=1&amp;c=2">le site</a>' in html_text
    assert '">https://entrepreneur-interet-general.etalab.gouv.fr</a>.' in html_text
    assert set(_tags(html_text)) <= ALLOWED_TAGS


def test_plain_text_shows_links() -> None:
    plain = markup.to_plain(markup.parse("Voir [le site](https://example.org)."))
    assert plain == "Voir le site (https://example.org)."


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        pytest.param("du **gras sans fin", "« ** » sans sa paire", id="unclosed-bold"),
        pytest.param("[lien](example.org)", "lien mal formé", id="link-without-scheme"),
        pytest.param(
            "voir [le blog] (https://example.org)", "sans espace entre ] et (", id="link-spaced"
        ),
        pytest.param("c'est <b>important</b>", "« <b> » s'afficherait tel quel", id="html-tag"),
        pytest.param("R&amp;D", "« &amp; » s'afficherait tel quel", id="html-entity"),
        pytest.param("c'est *important*", "une seule étoile", id="single-star"),
    ],
)
def test_bad_markup_is_reported_with_its_line(answer: str, problem: str) -> None:
    problems = markup.problems("ligne sans souci\n" + answer)
    assert len(problems) == 1
    assert problem in problems[0]
    assert "ligne 2" in problems[0]


def test_every_real_answer_renders_to_valid_html(knowledge: KnowledgeBase) -> None:
    for entry in knowledge.entries:
        reply = render.render_entry(entry, knowledge)
        assert set(_tags(reply.html)) <= ALLOWED_TAGS, entry.id
        assert reply.plain.strip(), entry.id


def test_related_entries_become_buttons(knowledge: KnowledgeBase) -> None:
    entry = next(e for e in knowledge.entries if e.related)
    reply = render.render_entry(entry, knowledge)
    assert [b.target for b in reply.buttons] == list(entry.related)
    assert "Voir aussi" in reply.plain


def test_suggestions_and_fallback_offer_a_way_forward(index: Index) -> None:
    knowledge = index.knowledge
    entries = knowledge.entries[:3]
    suggest = render.render_suggestions(entries)
    assert suggest.plain.startswith(spaced("Plusieurs réponses sont possibles. Vouliez-vous dire"))
    assert "compris" not in suggest.plain  # a choice does not say the question was unclear
    one = render.render_suggestions(entries[:1])
    assert one.plain.startswith(spaced("Une réponse s'en approche. Vouliez-vous dire"))
    assert [b.target for b in suggest.buttons] == [e.id for e in entries]
    fallback = render.render_fallback(knowledge)
    assert render.CONTACT_EMAIL in fallback.plain
    assert {b.target for b in fallback.buttons} >= {"candidature", "defis"}
    assert all(b.action == "topic" for b in fallback.buttons)
    assert spaced("« date limite »") in fallback.plain
    typed = render.render_fallback(knowledge, typed="c quand la date limite pr postuler")
    assert spaced("« date limite »") not in typed.plain
    assert spaced("« salaire »") in typed.plain
    near = render.render_fallback(knowledge, near_miss=entries[0])
    assert near.buttons[0] == render.entry_button(entries[0])
    assert spaced(entries[0].title) in near.plain and render.CONTACT_EMAIL in near.plain


def test_button_labels_fit_on_a_phone() -> None:
    long = Entry(id="long", questions=("x" * 200,), answer="Réponse.")
    assert len(render.entry_button(long).label) <= 60


@pytest.mark.parametrize(
    ("message", "status", "starts"),
    [
        pytest.param("Bonjour !", "smalltalk", "Bonjour ! Je réponds", id="greeting-gets-welcome"),
        pytest.param("merci beaucoup", "smalltalk", "Avec plaisir", id="thanks"),
        pytest.param(
            "recette des crêpes",
            "fallback",
            "Cette question ne semble pas porter sur le programme",
            id="off-topic",
        ),
        pytest.param(
            "quel temps fera-t-il demain à Paris ?",
            "fallback",
            "Cette question ne semble pas porter sur le programme",
            id="weather",
        ),
        pytest.param(
            "expliq moi le progamme vite fait stp",
            "fallback",
            "Je n'ai pas de réponse sûre",
            id="unclear-but-maybe-about-eig",
        ),
    ],
)
def test_messages_without_a_question(index: Index, message: str, status: str, starts: str) -> None:
    decision = index.decide(message)
    assert decision.status == status
    reply = render.render_decision(decision, index.knowledge)
    assert reply.plain.startswith(spaced(starts))
    assert reply.buttons


def test_the_list_of_defis_says_when_the_asked_theme_has_none(index: Index) -> None:
    overview = index.knowledge.defi_overview
    assert overview is not None
    listed = Decision(
        "un défi sur l'espace ?",
        "answer",
        (Candidate(overview, 1.0, overview.title),),
        index.normalizer.analyze("un défi sur l'espace ?"),
    )
    plain = render.render_decision(listed, index.knowledge).plain
    assert spaced(render.NO_DEFI_ON_THEME) not in plain
    flagged = dataclasses.replace(listed, unmatched_theme=True)
    said = render.render_decision(flagged, index.knowledge).plain
    assert said.startswith(spaced(render.NO_DEFI_ON_THEME))
    assert said.count("Voici les défis") == plain.count("Voici les défis") == 1  # introduced once


CARD = Entry(
    id="defi-test",
    questions=("Qu'est-ce que le défi Test ?",),
    answer=(
        "**Test** (3e promotion, 2019) : un défi.\n\nRésultats : un outil.\n\n"
        "- Équipe : Ada, Alan\n- Mentors : Grace, Linus"
    ),
    name="Test",
    administration="Ministère des Tests",
    promotion=3,
)


@pytest.mark.parametrize(
    ("aspects", "shown", "hidden"),
    [
        (("mentors",), ["Mentors : Grace, Linus"], ["Ada", "un outil"]),
        (("equipe", "mentors"), ["Équipe : Ada, Alan", "Mentors : Grace"], ["un outil"]),
        (("administration",), ["Porté par : Ministère des Tests"], ["Grace"]),
        (("resultats",), ["Résultats : un outil"], ["Grace"]),
    ],
)
def test_a_part_of_a_defi_card_is_given_alone(
    aspects: tuple[str, ...], shown: list[str], hidden: list[str]
) -> None:
    full = render.render_entry(CARD, KnowledgeBase((CARD,)))
    reply = aspects_reply(CARD, aspects, full)
    assert all(spaced(text) in reply.plain for text in shown)
    assert not any(text in reply.plain for text in hidden)
    assert reply.buttons[0] == render.entry_button(CARD)  # the whole card, one tap away
    assert _tags(reply.html) == ["b"]


def test_a_part_the_card_lacks_is_never_made_up() -> None:
    """The whole card, all there is to say, after a line that says the part is not on it."""
    full = render.render_entry(CARD, KnowledgeBase((CARD,)))
    reply = aspects_reply(CARD, ("code",), full)
    note = "La fiche de Test n'indique ni site ni code public. Voici ce qu'elle dit\u00a0:"
    assert reply.plain == f"{note}\n\n{full.plain}" and reply.buttons == full.buttons


def test_replies_never_break_a_line_before_french_punctuation(index: Index) -> None:
    """Staff type ordinary spaces; a phone must not start a line with « ? », « : » or « € »,
    nor cut « 4 000 » in two (a helper's tryout saw both)."""
    knowledge = index.knowledge
    for entry in knowledge.entries:
        reply = render.render_entry(entry, knowledge)
        assert not re.search(r" [?!;:»%€]|« |\b\d{1,3} \d{3}\b", reply.plain), entry.id
        for url in re.findall(r"https?://[^\s)]+", entry.answer):
            assert url.rstrip(".,;") in reply.plain  # addresses are left as they are
    pay = render.render_entry(knowledge.by_id["remuneration"], knowledge)
    assert "4\u202f000\u00a0€ net par mois" in pay.plain
    assert render.render_suggestions(knowledge.entries[:1]).buttons[0].label.endswith("\u202f?")
