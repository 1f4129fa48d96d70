"""One figure, one meaning, where people ask for it: /tonghop in the bot and the province
page of the dashboard say what the database holds, counted again here by plain SQL (the
counting and the demo province are those of tests/services/test_figures.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import test_settings
from tests.harness import FakeClock, free_port, running_bot
from tests.services.test_figures import (
    NOW,
    Place,
    Tally,
    assignments_by,
    counts_line,
    demo_province,
    expected_ranking,
    number,
    tasks_by,
)
from tests.web.dashboard.signing_in import signed_in

RANK_LINE = re.compile(r"^(\d+)\. (.+) — ([\d,]+) điểm$", re.MULTILINE)
STATE_ROWS = {
    "Đã hoàn thành": "done",
    "Chờ xác nhận": "claimed",
    "Đang duy trì": "maintained",
    "Đang thực hiện": "in_progress",
    "Chưa thực hiện": "not_started",
}


class Rows(HTMLParser):
    """The text of every table cell, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def rows_of(html: str) -> list[list[str]]:
    """The table rows of a page, as cell texts."""
    parser = Rows()
    parser.feed(html)
    return parser.rows


def components(place: Place) -> tuple[str, str, str]:
    """The counts behind a unit's three components, as every place writes them."""
    return (
        f"({place.on_time}/{place.considered})",
        f"({place.overdue}/{place.open})",
        f"({place.reported}/{place.open})",
    )


@pytest.mark.slow
async def test_tonghop_says_the_same_figures_to_the_standing_office_and_to_a_head(
    database_url: str,
) -> None:
    async with running_bot(test_settings(database_url), FakeClock(NOW), demo_province) as bot:
        async with bot.app.db.read() as session:
            kinds = await tasks_by(session, "t.kind")
            every = await assignments_by(session, None)
            given = await assignments_by(session, "CAST(a.unit_id AS TEXT) || ':' || t.kind")
            ranking = await expected_ranking(session)
        standing = await bot.registered(bot.province.standing, 911)
        [province] = await bot.say(standing, "/tonghop")
        head = await bot.registered(bot.province.health_head, 912)
        [own] = await bot.say(head, "/tonghop")

    lines = (province.text or "").split("\n")
    assert counts_line("Nhiệm vụ", kinds["task"]) in lines
    assert counts_line("Mô hình điểm", kinds["pilot_model"]) in lines
    assert counts_line("Lượt giao cho đơn vị", every["all"]) in lines
    expected = [(str(n), p.name, number(p.score)) for n, p in enumerate(ranking, 1)]
    assert RANK_LINE.findall(province.text or "") == expected[:3] + expected[-3:]
    claimed = every["all"].by_state["claimed"]
    assert f"⏳ Chờ xử lý: {claimed} kết quả chờ xác nhận" in (province.text or "")

    place = next(n for n, p in enumerate(ranking, 1) if p.name == "Sở Y tế")
    health = ranking[place - 1]
    mine = (own.text or "").split("\n")
    for kind, label in (("task", "Nhiệm vụ"), ("pilot_model", "Mô hình điểm")):
        tally: Tally = given[f"{health.unit_id}:{kind}"]
        assert counts_line(label, tally) in mine
    assert f"🏅 Xếp hạng: thứ {place}/{len(ranking)} đơn vị, {number(health.score)} điểm." in mine
    assert all(shown in (own.text or "") for shown in components(health))


@pytest.mark.slow
async def test_the_dashboards_province_page_shows_the_same_figures(database_url: str) -> None:
    port = free_port()
    settings = test_settings(
        database_url, public_url=f"http://127.0.0.1:{port}", listen=f"127.0.0.1:{port}"
    )
    async with running_bot(settings, FakeClock(NOW), demo_province) as bot:
        async with bot.app.db.read() as session:
            kinds = await tasks_by(session, "t.kind")
            every = await assignments_by(session, None)
            ranking = await expected_ranking(session)
        async with signed_in(bot, bot.province.standing, 921) as http:
            page = await http.get("/web/province")
    assert page.status_code == 200
    rows = rows_of(page.text)

    # The table by status: tasks, pilot models, assignments, with the overdue among them.
    shown = {STATE_ROWS[r[0]]: r[1:4] for r in rows if r and r[0] in STATE_ROWS}
    assert set(shown) == set(STATE_ROWS.values())
    for column, tally in enumerate((kinds["task"], kinds["pilot_model"], every["all"])):
        assert {s: int(cells[column].split()[0]) for s, cells in shown.items()} == tally.by_state
        late = sum(
            int(m[1])
            for cells in shown.values()
            if (m := re.search(r"(\d+) quá hạn", cells[column]))
        )
        assert late == tally.overdue
    [total] = [r for r in rows if r and r[0] == "Tổng cộng"]
    assert total[1:4] == [
        str(kinds["task"].total),
        str(kinds["pilot_model"].total),
        str(every["all"].total),
    ]

    # The ranking, best and lowest: each row at its place, with the counts of its components.
    ranked = [r for r in rows if len(r) == 7 and r[0].isdigit()]
    assert {r[0] for r in ranked} >= {"1", str(len(ranking))}
    for rank, name, score, on_time, overdue, reported, _claimed in ranked:
        place = ranking[int(rank) - 1]
        assert (name, score) == (place.name, number(place.score))
        assert (on_time.split()[-1], overdue.split()[-1], reported.split()[-1]) == components(place)
