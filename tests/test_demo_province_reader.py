"""Reading the demo province's data file: what is accepted, and what is refused with where."""

from __future__ import annotations

from importlib.resources import files

import pytest

from bot import demo_province
from bot.demo_province import DemoDataError, parse

# The smallest file the reader accepts: every section, one entry each.
MINIMAL = """\
plan = { code = "1/KH-UBND", title = "Kế hoạch thử" }
units = [{ code = "UBND", name = "UBND tỉnh", kind = "leadership" }]
officials = [{ name = "Lê Văn An", role = "leader", unit = "UBND", title = "Chủ tịch" }]
groups = [{ code = "N1", title = "Nhóm một" }]

[[tasks]]
code = "NV-01.01"
group = "N1"
title = "Việc một"
kind = "task"
deliverable = "Sản phẩm"
lead = "UBND"
support = ["CA"]
deadline_days = -3
status = "in_progress"
progress = 40

[[indicators]]
code = "CT-01"
title = "Chỉ tiêu một"
kind = "count"
unit = "UBND"
target = 2
direction = ">="
"""


def test_the_packaged_file_is_read_once_into_frozen_seeds() -> None:
    assert files("bot").joinpath(demo_province.DATA_FILE).is_file()
    province = demo_province.province()
    assert province is demo_province.province()
    assert province.plan.code == "87/KH-UBND"
    assert province.units[0] == demo_province.UnitSeed(
        "UBND", "UBND tỉnh Nghệ An", "leadership", None
    )
    assert all(isinstance(t.support, tuple) for t in province.tasks)


def test_a_minimal_file_gives_the_dataclasses_with_their_types() -> None:
    province = parse(MINIMAL)

    assert province.units == (demo_province.UnitSeed("UBND", "UBND tỉnh", "leadership", None),)
    assert province.tasks[0].support == ("CA",)
    assert province.tasks[0].deadline_days == -3
    # A whole number where a float is expected is the same number.
    assert province.indicators[0].target == 2.0
    assert isinstance(province.indicators[0].target, float)


def test_an_unknown_key_in_an_entry_is_refused_with_the_entry_and_the_key() -> None:
    text = MINIMAL.replace('deliverable = "Sản phẩm"', 'deliverable = "Sản phẩm"\ndeadline = 5')

    with pytest.raises(DemoDataError) as refused:
        parse(text)
    message = str(refused.value)
    assert 'demo_province.toml: tasks #1 (code "NV-01.01"): unknown key "deadline"' in message
    assert "deadline_days" in message  # the keys it does know are listed


def test_an_unknown_key_in_an_inline_entry_and_at_the_top_is_refused() -> None:
    misspelt = MINIMAL.replace('kind = "leadership"', 'knd = "leadership"')
    with pytest.raises(DemoDataError, match=r'units #1 \(code "UBND"\): unknown key "knd"'):
        parse(misspelt)
    with pytest.raises(DemoDataError, match=r'demo_province.toml: unknown key "directives"'):
        parse("directives = []\n" + MINIMAL)
    with pytest.raises(DemoDataError, match=r'plan: unknown key "year"'):
        parse(MINIMAL.replace('title = "Kế hoạch thử" }', 'title = "Kế hoạch thử", year = 2026 }'))


def test_a_missing_required_key_is_refused_but_an_optional_one_may_be_left_out() -> None:
    text = MINIMAL.replace("progress = 40\n", "")
    with pytest.raises(
        DemoDataError, match=r'tasks #1 \(code "NV-01.01"\): missing key "progress"'
    ):
        parse(text)
    with pytest.raises(
        DemoDataError, match=r'officials #1 \(name "Lê Văn An"\): missing key "unit"'
    ):
        parse(MINIMAL.replace('unit = "UBND", title', "title"))
    with pytest.raises(DemoDataError, match=r'demo_province.toml: missing key "indicators"'):
        parse(MINIMAL[: MINIMAL.index("[[indicators]]")])
    # A unit's parent is optional: the UBND tỉnh unit has none.
    assert parse(MINIMAL).units[0].parent is None


@pytest.mark.parametrize(
    ("old", "new", "refusal"),
    [
        ("progress = 40", 'progress = "40"', 'key "progress": must be a whole number'),
        ("progress = 40", "progress = true", 'key "progress": must be a whole number'),
        ("target = 2", 'target = "2"', 'key "target": must be a number'),
        ('support = ["CA"]', 'support = "CA"', 'key "support": must be a list of strings'),
        ('code = "NV-01.01"', "code = 101", 'key "code": must be a string'),
        (
            'groups = [{ code = "N1", title = "Nhóm một" }]',
            'groups = { code = "N1", title = "Nhóm một" }',
            '"groups" must be a list of tables',
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(old: str, new: str, refusal: str) -> None:
    with pytest.raises(DemoDataError, match=refusal):
        parse(MINIMAL.replace(old, new, 1))


def test_a_file_that_is_not_toml_is_refused_with_tomllibs_reason() -> None:
    with pytest.raises(DemoDataError, match=r"demo_province.toml: not valid TOML: .*line 1"):
        parse('plan = { code = "1/KH-UBND"\n')
