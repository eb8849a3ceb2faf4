"""YAML → validated `KnowledgeBase`: safe reading, validation in French, the answers' mark-up."""

from bot.knowledge.loader import DECLINE_FILE, SYNONYMS_FILE, collect, load
from bot.knowledge.model import (
    ADMINISTRATIONS_CATEGORY,
    CANDIDATES_CATEGORY,
    DECLINE,
    DEFI_PREFIX,
    MENTOR_LABEL,
    TEAM_LABEL,
    Entry,
    KnowledgeBase,
    KnowledgeError,
    Problem,
    Problems,
    Severity,
    StaffTest,
)
from bot.knowledge.schema import ID_PATTERN, KNOWN_FIELDS
from bot.knowledge.staff_tests import TESTS_FILE
from bot.knowledge.topics import PROMOTIONS, TOPICS, promotion_label

__all__ = [
    "ADMINISTRATIONS_CATEGORY",
    "CANDIDATES_CATEGORY",
    "DECLINE",
    "DECLINE_FILE",
    "DEFI_PREFIX",
    "ID_PATTERN",
    "KNOWN_FIELDS",
    "MENTOR_LABEL",
    "PROMOTIONS",
    "SYNONYMS_FILE",
    "TEAM_LABEL",
    "TESTS_FILE",
    "TOPICS",
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "Problem",
    "Problems",
    "Severity",
    "StaffTest",
    "collect",
    "load",
    "promotion_label",
]
