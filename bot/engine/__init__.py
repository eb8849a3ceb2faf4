"""Text → `Decision`, with no I/O: normalisation, index, scoring, decision (named features).

`Index` is built once from a `KnowledgeBase`; `Index.decide(text)` is the one call a channel
makes per message.
"""

from bot.engine.decision import (
    Candidate,
    Decision,
    DecisionModel,
    Features,
    Ranking,
    Status,
    Thresholds,
    decide_from,
    load_model,
)
from bot.engine.dialogue import Dialogues
from bot.engine.index import Index
from bot.engine.language import Language
from bot.engine.smalltalk import SmallTalk

__all__ = [
    "Candidate",
    "Decision",
    "DecisionModel",
    "Dialogues",
    "Features",
    "Index",
    "Language",
    "Ranking",
    "SmallTalk",
    "Status",
    "Thresholds",
    "decide_from",
    "load_model",
]
