"""The figures every place shows (digests, chart, /xephang, the export): one figure, one meaning.

Counts of assignments (a task given to a unit) and of tasks and pilot models (each once),
by state, with claims (reported done, not yet confirmed) apart from confirmed results; per
task group, per unit; and the one ranking of units.
"""

from __future__ import annotations

from bot.services.figures.counting import figures_by_unit, province_figures, unit_figures
from bot.services.figures.model import (
    OPEN_STATES,
    Counts,
    Figures,
    GroupFigures,
    State,
    group_label,
    task_state,
)
from bot.services.figures.ranking import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    UnitScore,
    place_of,
    rank,
    rank_units,
    score_of,
)

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "OPEN_STATES",
    "Counts",
    "Figures",
    "GroupFigures",
    "State",
    "UnitScore",
    "figures_by_unit",
    "group_label",
    "place_of",
    "province_figures",
    "rank",
    "rank_units",
    "score_of",
    "task_state",
    "unit_figures",
]
