"""The tracking workbook (`roviec export`, /xuatbaocao): every assignment, headline figures."""

from __future__ import annotations

from bot.services.export.tracking_sheet import TRACKING_HEADER_ROW
from bot.services.export.workbook import (
    SUMMARY_SHEET,
    TRACKING_SHEET,
    ExportRefused,
    export,
    export_for,
)

__all__ = [
    "SUMMARY_SHEET",
    "TRACKING_HEADER_ROW",
    "TRACKING_SHEET",
    "ExportRefused",
    "export",
    "export_for",
]
