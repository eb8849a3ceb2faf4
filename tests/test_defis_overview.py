"""The défis by promotion: the overview entry and the /defis menu come from the défi entries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import KNOWLEDGE_DIR

from bot.knowledge import KnowledgeBase, load
from bot.knowledge.markup import french_spacing as spaced
from bot.replies import render

MONITORFISH = """
- id: defi-monitorfish
  category: defis
  name: MonitorFish
  administration: Direction des pêches maritimes et de l'aquaculture
  promotion: 4
  theme: contrôle des pêches
  questions:
    - Qu'est-ce que le défi MonitorFish ?
    - monitorfish
    - le défi sur la pêche
  answer: |
    **MonitorFish** (4e promotion, 2020) : un outil pour cibler les contrôles des pêches.
"""


@pytest.fixture
def with_a_fourth_promotion(tmp_path: Path) -> KnowledgeBase:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    (folder / "defis-2020.yaml").write_text(MONITORFISH, encoding="utf-8")
    return load(folder)


def test_the_overview_lists_every_defi_of_the_base(knowledge: KnowledgeBase) -> None:
    answer = knowledge.by_id["defis"].answer
    defis = [e for e in knowledge.entries if e.is_defi]
    assert len(defis) == 15
    assert "**3e promotion (2019) : 15 défis**" in answer
    for defi in defis:
        assert f"- **{defi.name}** — {defi.administration} : {defi.theme}" in answer
    assert "(liste des défis)" not in answer


def test_a_new_defi_is_added_once_and_appears_under_its_promotion(
    with_a_fourth_promotion: KnowledgeBase,
) -> None:
    answer = with_a_fourth_promotion.by_id["defis"].answer
    third = answer.index("**3e promotion (2019) : 15 défis**")
    fourth = answer.index(
        "**4e promotion (2020) : 1 défi**\n- **MonitorFish** — Direction des pêches maritimes "
        "et de l'aquaculture : contrôle des pêches"
    )
    assert third < fourth


def test_the_defis_menu_has_one_heading_per_promotion(
    with_a_fourth_promotion: KnowledgeBase,
) -> None:
    reply = render.render_defis(with_a_fourth_promotion)
    assert spaced("<b>3e promotion (2019) : 15 défis</b>") in reply.html
    assert (
        spaced("<b>4e promotion (2020) : 1 défi</b>\n\n• MonitorFish : contrôle des pêches")
        in reply.html
    )
    assert reply.html.index("3e promotion") < reply.html.index("4e promotion")
    labels = [button.label for button in reply.buttons]
    assert labels[-1] == "MonitorFish"
    assert labels[:15] == sorted(labels[:15], key=str.casefold)
    welcome = render.render_welcome(with_a_fourth_promotion).plain
    assert "les défis des 3e et 4e promotions" in welcome


def test_the_shipped_menu_names_the_third_promotion(knowledge: KnowledgeBase) -> None:
    reply = render.render_defis(knowledge)
    assert reply.plain.startswith(
        spaced(
            "Les défis, par promotion : choisissez-en un pour le découvrir.\n\n"
            "3e promotion (2019) : 15 défis\n\n"
            "• ACOSS-Plateforme : démarches des parents employeurs"
        )
    )
    assert len(reply.buttons) == 15
    assert "les défis de la 3e promotion (2019)" in render.render_welcome(knowledge).plain
