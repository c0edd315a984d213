"""privacy_admin.core.forms: the bounds every form keeps — dates within what 和暦 renders and a planning
horizon, integers within what the database holds, and no invisible characters in any text field — and a
walk over every form class in the product that checks each one keeps them."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from privacy_admin.core import forms as core_forms
from privacy_admin.core.dates import EARLIEST_DATE, latest_date, today

D = dt.date
PROJECT_PACKAGES = (
    "backups",
    "disclosure_requests",
    "incidents",
    "loans",
    "outsourcing",
    "patrons",
    "privacy_admin",
    "register",
    "reports",
    "mypage",
    "portal",
)
# Forms another part of the product owns for a reason: passwords and the reset e-mail are compared, not
# stored as text, and django's sign-in form is django's.
NOT_VISIBLE_TEXT_FORMS = {
    "PublicPasswordResetForm",
    "PasswordResetConfirmForm",
    "OperatorGateAuthenticationForm",
}


class _Form(core_forms.Form):
    when = core_forms.date_field("日付")
    born = core_forms.date_field("生年月日", past=True)
    count = core_forms.bounded_integer("件数", max_value=9999)
    title = forms.CharField(required=False)
    note = forms.CharField(required=False, widget=forms.Textarea)
    tags = forms.MultipleChoiceField(required=False, choices=[("a", "a")])


def _errors(**data: Any) -> dict[str, list[str]]:
    with translation.override("ja"):
        form = _Form(data=data)
        form.is_valid()
        return {k: [str(m) for m in v] for k, v in form.errors.items()}


@pytest.mark.parametrize("d", [EARLIEST_DATE, D(1912, 7, 30), D(1926, 12, 25), D(1989, 1, 8), D(2019, 5, 1)])
def test_a_date_from_the_first_day_of_an_era_is_accepted(d: D) -> None:
    assert _errors(when=d.isoformat()) == {}


def test_the_day_before_1873_is_refused_with_the_first_accepted_date() -> None:
    assert _errors(when="1872-12-31") == {"when": ["明治6年1月1日以降の日付を入力してください。"]}


def test_the_planning_horizon_is_the_last_accepted_date() -> None:
    assert _errors(when=latest_date().isoformat()) == {}
    (message,) = _errors(when=(latest_date() + dt.timedelta(days=1)).isoformat())["when"]
    assert message.endswith("以前の日付を入力してください。") and message.startswith("令和")
    assert "when" in _errors(when="9999-12-31")


def test_a_past_date_may_be_today_but_not_tomorrow() -> None:
    assert _errors(born=today().isoformat()) == {}
    (message,) = _errors(born=(today() + dt.timedelta(days=1)).isoformat())["born"]
    assert message.startswith("未来の日付は入力できません")


@pytest.mark.parametrize("raw", ["2026-02-30", "0000-01-01", "１２３", "2026-13-01", "9" * 40])
def test_an_impossible_date_is_refused_not_a_server_error(raw: str) -> None:
    assert "when" in _errors(when=raw)


@pytest.mark.parametrize(
    ("raw", "ok"), [("9999", True), ("0", True), ("10000", False), ("-1", False), ("9" * 30, False)]
)
def test_an_integer_keeps_its_range(raw: str, ok: bool) -> None:
    errors = _errors(count=raw)
    assert ("count" not in errors) is ok
    if not ok and raw.lstrip("-").isdigit():
        assert errors["count"][0].endswith("の整数を入力してください。")


@pytest.mark.parametrize(
    "bad", ["\x00", "\x07", "\u202e", "\u200b", "\ufeff", "\ue000", "\U000e0001", "\x85"]
)
def test_invisible_characters_are_refused_in_every_text_field(bad: str) -> None:
    errors = _errors(title=f"山{bad}田", note=f"本{bad}文")
    assert set(errors) == {"title", "note"}


def test_a_textarea_keeps_line_breaks_and_tabs() -> None:
    assert _errors(title="山田", note="一行目\r\n二行目\tタブ") == {}
    assert "title" in _errors(title="山田\n太郎")


@given(st.text(max_size=50))
def test_any_text_either_passes_or_is_refused_with_a_message(text: str) -> None:
    errors = _errors(title=text, note=text)
    assert all(messages for messages in errors.values())


# --- every form in the product ------------------------------------------------------------------------


def _import_everything() -> None:
    for name in PROJECT_PACKAGES:
        try:
            package = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _product_forms() -> list[type[forms.BaseForm]]:
    _import_everything()
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in PROJECT_PACKAGES
        and cls.__module__ != "privacy_admin.core.forms"
        and not cls.__name__.startswith("_")
    }
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _fields(cls: type[forms.BaseForm]) -> dict[str, forms.Field]:
    fields = dict(cls.base_fields)  # type: ignore[attr-defined]
    try:
        built = cls()
    except TypeError:  # a form that needs arguments: its class-level fields only
        return fields
    fields.update(built.fields)  # fields added in __init__
    return fields


def test_the_walk_finds_the_product_forms() -> None:
    names = {cls.__name__ for cls in _product_forms()}
    assert {"EntryCreateForm", "ReceiveForm", "RegistrationForm"} <= names
    assert len(names) > 40


def test_every_form_refuses_invisible_text() -> None:
    missing = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _product_forms()
        if not issubclass(cls, core_forms.VisibleTextMixin) and cls.__name__ not in NOT_VISIBLE_TEXT_FORMS
    ]
    assert missing == [], "base these on privacy_admin.core.forms.Form / ModelForm"


@pytest.mark.django_db
def test_every_date_field_in_every_form_is_bounded() -> None:
    unbounded = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in _product_forms()
        for name, field in _fields(cls).items()
        if isinstance(field, forms.DateField) and not isinstance(field, core_forms.BoundedDateField)
    ]
    assert unbounded == [], "use privacy_admin.core.forms.date_field"


@pytest.mark.django_db
def test_every_integer_field_in_every_form_has_a_maximum_the_database_holds() -> None:
    unbounded = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in _product_forms()
        for name, field in _fields(cls).items()
        if isinstance(field, forms.IntegerField)
        and (field.max_value is None or field.max_value > core_forms.DB_BIGINT_MAX or field.min_value is None)
    ]
    assert unbounded == [], "give each a realistic min_value and max_value (core.forms.bounded_integer)"
