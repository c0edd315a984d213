"""disclosure_requests.citations: citations keyed by a fixed list of rules; the law's full name on first
mention, its short name after; a citation naming its own law is written as it is."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from disclosure_requests.citations import (
    APPI_CITATIONS,
    RULE_KEYS,
    YAMANASHI_CITATIONS,
    Citer,
    article_of,
    unfilled,
    validate_citations,
)
from disclosure_requests.models import RuleProfile

pytestmark = pytest.mark.django_db


def test_citer_names_the_law_in_full_once_then_short() -> None:
    citer = RuleProfile.objects.get(code="appi").citer()
    assert citer("disclosure_grant") == "個人情報の保護に関する法律第82条第1項"
    assert citer("appeal_notice") == "行政不服審査法第82条第1項"
    assert citer("method_choice") == "法第87条第3項・第4項"
    assert citer("annual_report") == ""
    with pytest.raises(KeyError):
        citer("no_such_rule")


def test_citations_are_checked_against_the_list_of_rules() -> None:
    assert validate_citations({"disclosure_grant": "第1条"}) == []
    assert validate_citations({"nonsense": "第1条"})
    assert validate_citations(["第1条"])
    profile = RuleProfile.objects.get(code="appi")
    profile.citations = {**profile.citations, "nonsense": "第1条"}
    with pytest.raises(ValidationError):
        profile.full_clean()


def test_citer_without_short_name_repeats_the_full_name() -> None:
    citer = Citer(law_name="甲法", short_name="", citations={"fees": "第3条"})
    assert citer("fees") == "甲法第3条" and citer("fees") == "甲法第3条"


def test_seeded_numberings_cover_every_rule_and_leave_nothing_to_fill() -> None:
    assert set(APPI_CITATIONS) == RULE_KEYS == set(YAMANASHI_CITATIONS)
    assert unfilled(law_name="個人情報の保護に関する法律", citations=APPI_CITATIONS) == []
    assert "法令の名称" in unfilled(law_name="", citations=APPI_CITATIONS)


def test_article_of_falls_back_to_the_next_rule_then_the_law() -> None:
    appi = RuleProfile.objects.get(code="appi")
    assert article_of(appi, "correction_reasons", "correction_decision") == "法第93条"
    assert article_of(appi, "annual_report") == "法"
