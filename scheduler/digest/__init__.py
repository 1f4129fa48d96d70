"""The weekly digest job and how its messages and chart are rendered."""

from __future__ import annotations

from scheduler.digest.chart import draw_status_chart
from scheduler.digest.job import digest_job, week_key, weekly_digests
from scheduler.digest.province import render_province_digest
from scheduler.digest.unit import render_unit_digest

__all__ = [
    "digest_job",
    "draw_status_chart",
    "render_province_digest",
    "render_unit_digest",
    "week_key",
    "weekly_digests",
]
