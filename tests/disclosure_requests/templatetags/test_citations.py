"""disclosure_requests.templatetags.citations: pages cite the request's profile, or the profile in force."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template

from disclosure_requests.models import RuleProfile
from disclosure_requests.profiles import rule_profile_make_current

pytestmark = pytest.mark.django_db


def _render(source: str, **context: Any) -> str:
    return Template("{% load citations %}" + source).render(Context(context))


def test_law_note_cites_the_given_profile_short_with_a_suffix() -> None:
    appi = RuleProfile.objects.get(code="appi")
    out = _render('{% law_note p "disclosure_period" "correction_period" suffix="ただし書" %}', p=appi)
    assert out == "（法第83条第1項・法第94条第1項ただし書）"
    assert _render('{% law_note p "annual_report" %}', p=appi) == ""  # the Act has no article
    assert _render('{% law_cite p "complaints" full=True %}', p=appi) == "個人情報の保護に関する法律第128条"


def test_law_note_without_a_profile_uses_the_one_in_force(administrator: Any) -> None:
    assert _render('{% law_note None "annual_report" %}') == "（山梨県 要綱第50条）"
    rule_profile_make_current(actor=administrator, profile=RuleProfile.objects.get(code="appi"))
    assert _render('{% law_note None "complaints" %}') == "（法第128条）"
