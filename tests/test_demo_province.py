"""Invariants of the demo province data (bot/demo_province.toml, read by bot/demo_province.py)."""

import dataclasses
import re
import unicodedata
from collections import Counter

import pytest

from bot import demo_province

demo = demo_province.province()

UNIT_CODES = {u.code for u in demo.units}
UNITS_BY_CODE = {u.code: u for u in demo.units}
WORK = [t for t in demo.tasks if t.kind == "task"]
MODELS = [t for t in demo.tasks if t.kind == "pilot_model"]
OPEN = ("not_started", "in_progress")


def _roles(unit: str) -> Counter:
    return Counter(o.role for o in demo.officials if o.unit == unit)


def _assigned_units() -> set[str]:
    codes = {t.lead for t in demo.tasks}
    for t in demo.tasks:
        codes.update(t.support)
    return codes | {i.unit for i in demo.indicators}


def _all_strings():
    for seq in (demo.units, demo.officials, demo.groups, demo.tasks, demo.indicators):
        for item in seq:
            for field in dataclasses.fields(item):
                value = getattr(item, field.name)
                if isinstance(value, str):
                    yield value
                elif isinstance(value, tuple):
                    yield from value
    yield demo.plan.code
    yield demo.plan.title


def test_plan():
    assert re.fullmatch(r"\d+/KH-UBND", demo.plan.code)
    assert "Đề án 06" in demo.plan.title
    assert "Nghệ An" in demo.plan.title


def test_codes_unique():
    for seq in (demo.units, demo.groups, demo.tasks, demo.indicators):
        codes = [x.code for x in seq]
        assert len(codes) == len(set(codes))


def test_strings_clean_and_nfc():
    for s in _all_strings():
        assert s, "empty string"
        assert s == s.strip(), repr(s)
        assert "  " not in s, repr(s)
        assert unicodedata.normalize("NFC", s) == s, repr(s)


def test_unit_codes_are_short_ascii():
    for u in demo.units:
        assert re.fullmatch(r"[A-Z][A-Z0-9-]{1,15}", u.code), u.code


def test_unit_kinds_and_parents():
    kinds = Counter(u.kind for u in demo.units)
    assert set(kinds) == {"leadership", "standing", "department", "commune"}
    assert kinds["leadership"] == 1
    assert UNITS_BY_CODE["UBND"].kind == "leadership"
    assert UNITS_BY_CODE["UBND"].parent is None
    assert UNITS_BY_CODE["CA"].kind == "standing"
    assert UNITS_BY_CODE["CA"].name == "Công an tỉnh"
    assert UNITS_BY_CODE["VP"].kind == "standing"
    assert UNITS_BY_CODE["VP"].name == "Văn phòng UBND tỉnh"
    for u in demo.units:
        if u.code != "UBND":
            assert u.parent == "UBND", u.code


def test_departments():
    names = {u.name for u in demo.units if u.kind == "department"}
    assert len(names) >= 12
    for expected in (
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
        "Sở Tư pháp",
        "Sở Tài chính",
        "Sở Nội vụ",
        "Sở Khoa học và Công nghệ",
        "Bảo hiểm xã hội tỉnh",
    ):
        assert expected in names
    # the departments merged away on 1 March 2025 are gone
    for gone in ("Sở Thông tin và Truyền thông", "Sở Kế hoạch và Đầu tư"):
        assert gone not in names


def test_communes():
    communes = [u for u in demo.units if u.kind == "commune"]
    assert len(communes) >= 8
    for u in communes:
        assert u.name.startswith(("UBND xã ", "UBND phường ")), u.name
        assert u.code.startswith(("X-", "P-")), u.code
        assert u.code.startswith("P-") == u.name.startswith("UBND phường "), u.code
    # no district level after 1 July 2025
    assert not any("huyện" in u.name or "thị xã" in u.name for u in demo.units)


def test_references_exist():
    for o in demo.officials:
        assert o.unit in UNIT_CODES, o
    group_codes = {g.code for g in demo.groups}
    for t in demo.tasks:
        assert t.group in group_codes, t.code
        assert t.lead in UNIT_CODES, t.code
        assert t.support, f"{t.code} has no cooperating unit"
        for s in t.support:
            assert s in UNIT_CODES, (t.code, s)
        assert t.lead not in t.support, t.code
        assert len(set(t.support)) == len(t.support), t.code
        assert "UBND" not in (t.lead, *t.support), t.code
    for i in demo.indicators:
        assert i.unit in UNIT_CODES, i.code


def test_roles_valid():
    for o in demo.officials:
        assert o.role in {"focal", "head", "standing", "leader", "admin"}, o


def test_official_names_distinct_and_plausible():
    names = [o.name for o in demo.officials]
    assert len(names) == len(set(names))
    for n in names:
        parts = n.split()
        assert 3 <= len(parts) <= 4, n
        assert all(p[0].isupper() for p in parts), n
    # both genders (tên đệm "Thị" marks women)
    women = sum(" Thị " in n for n in names)
    assert 0.25 * len(names) <= women <= 0.75 * len(names)


@pytest.mark.parametrize("unit", sorted(_assigned_units()))
def test_assigned_unit_has_head_and_focal(unit):
    roles = _roles(unit)
    assert roles["head"] == 1, unit
    assert 1 <= roles["focal"] <= 2, unit


def test_every_department_and_commune_is_staffed():
    for u in demo.units:
        if u.kind in ("department", "commune"):
            roles = _roles(u.code)
            assert roles["head"] == 1, u.code
            assert 1 <= roles["focal"] <= 2, u.code
            assert not roles.keys() - {"head", "focal"}, u.code


def test_standing_and_leaders():
    for code in ("CA", "VP"):
        roles = _roles(code)
        assert roles["head"] == 1
        assert roles["standing"] >= 1
    assert all(o.unit in ("CA", "VP") for o in demo.officials if o.role == "standing")
    leaders = [o for o in demo.officials if o.role == "leader"]
    assert len(leaders) == 2
    assert {o.unit for o in leaders} == {"UBND"}
    assert {o.title for o in leaders} == {
        "Chủ tịch UBND tỉnh",
        "Phó Chủ tịch Thường trực UBND tỉnh",
    }
    admins = [o for o in demo.officials if o.role == "admin"]
    assert len(admins) == 1
    assert admins[0].unit in ("VP", "SKHCN")


def test_groups():
    assert 8 <= len(demo.groups) <= 10
    used = {t.group for t in demo.tasks}
    assert used == {g.code for g in demo.groups}, "every group has tasks"
    model_groups = {t.group for t in MODELS}
    assert len(model_groups) == 1
    assert not model_groups & {t.group for t in WORK}


def test_task_codes_match_kind_and_group():
    order = {g.code: n for n, g in enumerate(demo.groups, start=1)}
    for t in WORK:
        m = re.fullmatch(r"NV-(\d\d)\.(\d\d)", t.code)
        assert m, t.code
        assert int(m.group(1)) == order[t.group], t.code
    for t in MODELS:
        assert re.fullmatch(r"MH-\d\d", t.code), t.code


def test_task_counts():
    assert len(WORK) >= 36
    assert {t.kind for t in demo.tasks} == {"task", "pilot_model"}


def test_pilot_models_split_as_in_seed():
    assert len(MODELS) == 38
    split = Counter(t.status for t in MODELS)
    assert split == {"done": 6, "in_progress": 20, "not_started": 12}


def test_pilot_models_named_in_seed_present():
    titles = " | ".join(t.title for t in MODELS)
    for phrase in (
        "53 dịch vụ công thiết yếu",
        "20 dịch vụ công không sử dụng hồ sơ giấy",
        "KIOSK",
        "công chứng, chứng thực",
        "nhà trọ, nhà nghỉ, khách sạn",
        "lưu trú tại cơ sở khám, chữa bệnh",
        "sát hạch lái xe",
        "cho vay tín chấp",
        "công dân số",
        "xác thực tập trung",
        "LED, pano, áp phích",
        "đại chúng mở",
    ):
        assert phrase in titles, phrase


def test_status_and_progress_consistent():
    for t in demo.tasks:
        assert t.status in {"not_started", "in_progress", "done", "maintained"}, t.code
        assert 0 <= t.progress <= 100, t.code
        if t.status == "not_started":
            assert t.progress == 0, t.code
        elif t.status == "in_progress":
            assert 0 < t.progress < 100, t.code
        else:
            assert t.progress == 100, t.code


def test_deadlines_spread():
    for t in demo.tasks:
        assert -120 <= t.deadline_days <= 200, t.code
    overdue = [t for t in WORK if t.status in OPEN and -40 <= t.deadline_days <= -1]
    assert len(overdue) >= 5
    assert not [t for t in demo.tasks if t.status in OPEN and t.deadline_days < -40]
    due_soon = [t for t in WORK if t.status in OPEN and 0 <= t.deadline_days <= 6]
    assert len(due_soon) >= 4
    later = [t for t in WORK if t.status in OPEN and t.deadline_days > 30]
    assert len(later) >= 5
    done = [t for t in demo.tasks if t.status == "done"]
    assert any(t.deadline_days < 0 for t in done)
    assert any(t.deadline_days > 0 for t in done)
    assert any(t.status == "maintained" for t in WORK)


def test_leads_spread_across_units():
    leads = {t.lead for t in WORK}
    assert any(UNITS_BY_CODE[c].kind == "department" for c in leads)
    assert any(UNITS_BY_CODE[c].kind == "commune" for c in leads)
    all_leads = {t.lead for t in demo.tasks}
    for u in demo.units:
        if u.kind in ("department", "commune"):
            assert u.code in all_leads, f"{u.code} leads nothing"
    assert max(Counter(t.lead for t in WORK).values()) <= 10


def test_indicators():
    assert 5 <= len(demo.indicators) <= 8
    for i in demo.indicators:
        assert i.kind in {"ratio", "count", "yes_no"}, i.code
        assert i.direction in {">=", "<="}, i.code
        if i.kind == "ratio":
            assert 0 < i.target <= 100, i.code
        if i.kind == "yes_no":
            assert i.target == 1.0, i.code
    targets = {(i.kind, i.target, i.direction) for i in demo.indicators}
    assert ("ratio", 70.0, ">=") in targets  # hồ sơ trực tuyến ≥ 70%
    assert ("ratio", 50.0, ">=") in targets  # cấp đổi giấy phép lái xe trực tuyến ≥ 50%
    assert ("count", 2.0, ">=") in targets  # ≥ 2 KIOSK y tế thông minh
    by_code = {i.code: i for i in demo.indicators}
    assert any("Giấy phép lái xe" in i.title and i.unit == "CA" for i in by_code.values())
    assert any("KIOSK" in i.title and i.unit == "SYT" for i in by_code.values())


def test_seeds_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        demo.units[0].code = "X"  # type: ignore[misc]
