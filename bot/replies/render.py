"""Decision → French reply: the answer, suggestions, fallback, menus and fixed messages."""

from __future__ import annotations

import html

from bot.engine import Decision, Status
from bot.engine.normalize import fold
from bot.knowledge import TOPICS, Entry, KnowledgeBase, markup, promotion_label
from bot.knowledge.overview import by_promotion, heading
from bot.replies.aspects import render_aspects, render_lead
from bot.replies.reply import (
    CONTACT_EMAIL,
    SEE_ALSO_HTML,
    SEE_ALSO_PLAIN,
    WEBSITE,
    Button,
    ButtonAction,
    Reply,
    answer_reply,
    bot_text,
    button_label,
    entry_button,
    html_and_plain,
    prefixed,
    topic_buttons,
)
from bot.replies.smalltalk import render_small_talk

__all__ = [
    "CONTACT_EMAIL",
    "SEE_ALSO_HTML",
    "SEE_ALSO_PLAIN",
    "TOPICS",
    "WEBSITE",
    "Button",
    "ButtonAction",
    "Reply",
    "bot_text",
    "button_label",
    "entry_button",
    "topic_buttons",
]


def render_entry(entry: Entry, knowledge: KnowledgeBase) -> Reply:
    """An entry's answer, with its related entries as "Voir aussi" buttons."""
    blocks = markup.parse(entry.answer)
    related = [knowledge.by_id[r] for r in entry.related if r in knowledge.by_id]
    return answer_reply(blocks, entry, tuple(entry_button(r) for r in related))


SUGGESTIONS_OPENING = "Plusieurs réponses sont possibles. Vouliez-vous dire… ?"
"""Above the buttons of a choice. It said « Je ne suis pas certain d'avoir compris », which a
candidate tryout read, after a clear and well-written question, as blaming how it was written."""
SUGGESTION_OPENING = "Une réponse s'en approche. Vouliez-vous dire… ?"
"""The same, above one button."""


def render_suggestions(entries: tuple[Entry, ...]) -> Reply:
    """ "Vouliez-vous dire…" with one button per entry."""
    opening = SUGGESTION_OPENING if len(entries) == 1 else SUGGESTIONS_OPENING
    html_text, plain = bot_text([opening])
    return Reply(html_text, plain, tuple(entry_button(e) for e in entries))


REPHRASING_EXAMPLES = ("salaire", "date limite", "télétravail", "mentor")
"""Short questions the fallback gives as examples of rephrasing: the first two that the message
did not already use (« date limite » is no advice to whom just typed it)."""


def rephrasing_examples(typed: str = "") -> tuple[str, str]:
    """Two examples of a short question, not taken from the words of `typed`."""
    words = set(fold(typed).split())
    fresh = [e for e in REPHRASING_EXAMPLES if words.isdisjoint(fold(e).split())]
    chosen = [*fresh, *REPHRASING_EXAMPLES]
    return chosen[0], chosen[1]


def render_fallback(
    knowledge: KnowledgeBase,
    near_miss: Entry | None = None,
    typed: str = "",
    *,
    outside: bool = False,
) -> Reply:
    """The polite "I do not know" with a way forward: the near miss if there is one (its
    button first), topics and the programme's contact. `typed`: the message, so that the
    examples of rephrasing are not its own words; `outside`: the question seems not to be
    about EIG at all (`Decision.outside`), which is said rather than « no sure answer »."""
    first_example, second_example = rephrasing_examples(typed)
    programme = "le programme **Entrepreneurs d'Intérêt Général**"
    topics = "le programme, la candidature, le contrat, les mentors et les défis"
    opening = (
        f"Cette question ne semble pas porter sur {programme} : je ne réponds qu'aux questions "
        f"sur {topics}."
        if outside
        else f"Je n'ai pas de réponse sûre à cette question. Je réponds aux questions sur "
        f"{programme} : {topics}."
    )
    examples = f"(par exemple « {first_example} » ou « {second_example} »)"
    way_forward = (
        f"Si elle porte bien sur le programme, reformulez-la en quelques mots {examples}, "
        f"choisissez un thème ci-dessous, ou écrivez à l'équipe du programme : {CONTACT_EMAIL}"
        if outside
        else f"Vous pouvez reformuler votre question en quelques mots {examples}, choisir un "
        f"thème ci-dessous, ou écrire à l'équipe du programme : {CONTACT_EMAIL}"
    )
    paragraphs = [opening, way_forward]
    if near_miss is not None:
        paragraphs.insert(1, f"Peut-être cherchiez-vous : « {near_miss.title} »")
    html_text, plain = bot_text(paragraphs)
    first = (entry_button(near_miss),) if near_miss is not None else ()
    return Reply(html_text, plain, (*first, *topic_buttons(knowledge)))


ENGLISH_NOTES: dict[Status, str] = {
    "answer": "(I answer in French only; here is what I found.)",
    "suggest": "(I answer in French only; did you mean one of these?)",
    "fallback": "(I answer in French only, and I have no sure answer to this question.)",
}
"""The one English line before a reply to a question written in English, by decision status:
a fallback must not announce « what I found »."""

ENGLISH_NOTE = ENGLISH_NOTES["answer"]


def render_answers(entries: tuple[Entry, ...], knowledge: KnowledgeBase) -> Reply:
    """Two answers in one message (a question that asked two things), each under its title."""
    html_parts, plain_parts = [], []
    buttons: list[Button] = []
    given = {entry.id for entry in entries}
    for entry in entries:
        title = markup.french_spacing(entry.title)
        body_html, body_plain = html_and_plain(markup.parse(entry.answer))
        html_parts.append(f"<b>{html.escape(title, quote=False)}</b>\n{body_html}")
        plain_parts.append(f"{title}\n{body_plain}")
        for related in render_entry(entry, knowledge).buttons:
            if related.target not in given and related not in buttons:
                buttons.append(related)
    return Reply("\n\n".join(html_parts), "\n\n".join(plain_parts), tuple(buttons))


def render_decision(decision: Decision, knowledge: KnowledgeBase) -> Reply:
    """The reply for an engine decision."""
    if decision.status == "smalltalk" and decision.small_talk is not None:
        return render_small_talk(decision.small_talk, knowledge, decision.language)
    if decision.status == "answer" and len(decision.answers) > 1:
        reply = render_answers(decision.answers, knowledge)
    elif decision.status == "answer" and decision.entry is not None:
        reply = render_entry(decision.entry, knowledge)
        if decision.aspects:
            reply = render_aspects(decision.entry, decision.aspects, reply)
        elif decision.lead is not None:
            reply = render_lead(decision.entry, decision.lead, reply, alone=decision.again)
        if decision.unmatched_theme:
            reply = prefixed(reply, NO_DEFI_ON_THEME)
    elif decision.status == "suggest":
        reply = render_suggestions(decision.suggestions)
    else:
        reply = render_fallback(
            knowledge, decision.near_miss, decision.query, outside=decision.outside
        )
    return in_english(reply, decision.status) if decision.language == "en" else reply


def in_english(reply: Reply, status: Status = "answer") -> Reply:
    """`reply` with the one English line that says the bot answers in French."""
    return prefixed(reply, ENGLISH_NOTES.get(status, ENGLISH_NOTE))


NO_DEFI_ON_THEME = "Aucun défi de la 3e promotion (2019) ne porte précisément sur ce thème."
"""Before the list of défis, which its answer introduces in its own words (a tryout read « Voici
les défis et leurs thèmes : » then « Voici les défis que je connais » as an empty heading; and
when the message names another promotion's défi, the line on it comes first)."""


def render_topic(topic: str, knowledge: KnowledgeBase) -> Reply | None:
    """A topic's questions as buttons; None for an unknown topic."""
    if topic not in TOPICS:
        return None
    entries = [e for e in knowledge.entries if e.category == topic]
    if not entries:
        return None
    label = html.escape(TOPICS[topic])
    return Reply(
        f"<b>{label}</b> : choisissez une question.",
        f"{TOPICS[topic]} : choisissez une question.",
        tuple(entry_button(e) for e in entries),
    )


def render_welcome(knowledge: KnowledgeBase) -> Reply:
    """The /start message: what the bot knows, and the main topics."""
    html_text, plain = bot_text(
        [
            "Bonjour ! Je réponds à vos questions sur le programme **Entrepreneurs d'Intérêt "
            "Général** (EIG) : ce qu'il est, qui peut candidater et comment, le contrat, "
            "les mentors "
            f"et les défis {_promotions_phrase(knowledge)}.",
            "Posez votre question comme elle vient, par exemple « quel est le salaire ? » ou "
            "« le défi sur les réfugiés », ou choisissez un thème :",
        ]
    )
    return Reply(html_text, plain, topic_buttons(knowledge))


def render_help(knowledge: KnowledgeBase) -> Reply:
    """The /aide message."""
    html_text, plain = bot_text(
        [
            "Écrivez simplement votre question, même en quelques mots : « salaire », "
            "« télétravail », "
            "« comment candidater », « c'est quoi DataJust ».",
            "Commandes :\n"
            "- /defis : les défis, par promotion\n"
            "- /faq : les questions fréquentes par thème\n"
            "- /contact : joindre l'équipe du programme\n"
            "- /confidentialite : ce que le bot enregistre",
            "Quand je ne suis pas sûr, je vous propose les questions les plus proches.",
        ]
    )
    return Reply(html_text, plain, topic_buttons(knowledge))


def _promotions_phrase(knowledge: KnowledgeBase) -> str:
    """'de la 3e promotion (2019)', 'des 3e et 4e promotions': the promotions the base covers."""
    numbers = [p for p, _ in by_promotion(knowledge.entries) if p is not None]
    if len(numbers) == 1:
        return f"de la {promotion_label(numbers[0])}"
    if not numbers:
        return "du programme"
    ordinals = [promotion_label(n).split(" ")[0] for n in numbers]
    return f"des {', '.join(ordinals[:-1])} et {ordinals[-1]} promotions"


def render_defis(knowledge: KnowledgeBase) -> Reply:
    """The défis by promotion: a heading per promotion and its défis' themes, then one button
    per défi in the same order."""
    parts = ["Les défis, par promotion : choisissez-en un pour le découvrir."]
    buttons: list[Button] = []
    for promotion, defis in by_promotion(knowledge.entries):
        lines = [f"**{heading(promotion, len(defis))}**"]
        lines += [f"- {e.name or e.title}{f' : {e.theme}' if e.theme else ''}" for e in defis]
        parts.append("\n".join(lines))
        buttons += [Button(button_label(e.name or e.title), "entry", e.id) for e in defis]
    html_text, plain = bot_text(parts)
    return Reply(html_text, plain, tuple(buttons))


def render_contact(knowledge: KnowledgeBase) -> Reply:
    """The contact entry when the base has one, otherwise the programme's address."""
    entry = knowledge.get("contact")
    if entry is not None:
        return render_entry(entry, knowledge)
    html_text, plain = bot_text(
        [f"Écrivez à l'équipe du programme : {CONTACT_EMAIL}", f"Site : {WEBSITE}"]
    )
    return Reply(html_text, plain)


def render_target(action: ButtonAction, target: str, knowledge: KnowledgeBase) -> Reply | None:
    """What a button (or a deep link) opens: an entry or a topic; None when it no longer exists."""
    if action == "entry":
        entry = knowledge.get(target)
        return render_entry(entry, knowledge) if entry is not None else None
    return render_topic(target, knowledge)


def render_faq(knowledge: KnowledgeBase) -> Reply:
    """The /faq message: the topics, each opening its questions."""
    html_text, plain = bot_text(["Les questions fréquentes, par thème : choisissez-en un."])
    return Reply(html_text, plain, topic_buttons(knowledge))


def render_apology() -> Reply:
    """Sent when something went wrong while answering."""
    html_text, plain = bot_text(
        [
            "Désolé, un problème technique m'a empêché de vous répondre. Réessayez dans un "
            f"instant ; si le problème continue, écrivez à l'équipe du programme : {CONTACT_EMAIL}",
        ]
    )
    return Reply(html_text, plain)


VOTE_LABELS = ("Utile", "Pas utile")
"""The two feedback buttons under an entry's answer."""


def vote_thanks_notice(*, useful: bool) -> str:
    """The short notice (plain text) shown when someone taps "Utile" or "Pas utile"."""
    if useful:
        return markup.french_spacing("Merci pour votre avis !")
    return markup.french_spacing(
        "Merci pour votre avis : l'équipe du programme en tiendra compte pour améliorer "
        "cette réponse."
    )
