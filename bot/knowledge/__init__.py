"""YAML → validated `KnowledgeBase`: safe reading, validation in French, the answers' mark-up."""

from bot.knowledge.loader import DECLINE_FILE, SYNONYMS_FILE, collect, load
from bot.knowledge.model import (
    DEFI_PREFIX,
    Entry,
    KnowledgeBase,
    KnowledgeError,
    Problem,
    Problems,
    Severity,
)
from bot.knowledge.schema import ID_PATTERN, KNOWN_FIELDS

__all__ = [
    "DECLINE_FILE",
    "DEFI_PREFIX",
    "ID_PATTERN",
    "KNOWN_FIELDS",
    "SYNONYMS_FILE",
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "Problem",
    "Problems",
    "Severity",
    "collect",
    "load",
]
