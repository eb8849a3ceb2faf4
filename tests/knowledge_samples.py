"""Small knowledge bases that the reload and staff tests edit on disk."""

from __future__ import annotations

from pathlib import Path

SMALL_BASE = Path(__file__).resolve().parent / "broken" / "valide"
"""A valid three-entry base to copy into a temporary folder."""

LIEU = """\
- id: lieu
  questions:
    - Où se passe la mission ?
    - lieu de travail
    - dans quelle ville
  answer: Dans les locaux de l'administration d'accueil.
"""
"""An entry to add to SMALL_BASE."""

BROKEN_LIEU = LIEU.replace("  answer:", "  answr:")
"""The same entry with a misspelt field: a broken edit."""
