"""電子申請: submitted answers wait for the identity check; receiving makes the request once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from disclosure_requests.models import OnlineApplication, PrivacyRequest, RuleProfile
from disclosure_requests.services.online import (
    online_application_receive,
    online_application_submit,
    online_guidance,
)
from tests.disclosure_requests.profile_helpers import put_in_force
from tests.factories import make_patron

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(db: Any) -> RuleProfile:
    RuleProfile.objects.update(is_current=False)
    return RuleProfile.objects.update_or_create(
        code="appi", defaults={"name": "個人情報保護法", "is_current": True, "disclosure_days": 30}
    )[0]


def test_guidance_follows_the_profile_in_force(profile: Any) -> None:
    assert online_guidance("disclosure")["days"] == 30
    assert online_guidance("")["profile"] == "個人情報保護法"


def test_submit_then_receive_once(profile: Any, privacy_officer: Any, central: Any) -> None:
    patron = make_patron(registered_branch=central)
    application = online_application_submit(
        actor=None, patron=patron, kind="disclosure", information_requested="登録内容", identity_by="mail"
    )
    assert application.status == OnlineApplication.Status.AWAITING
    request = online_application_receive(
        actor=privacy_officer, application=application, identity_document_type="passport"
    )
    assert request.received_on == timezone.localdate() and request.patron == patron
    with pytest.raises(ValidationError):
        online_application_receive(
            actor=privacy_officer, application=application, identity_document_type="passport"
        )
    assert PrivacyRequest.objects.count() == 1


def test_suspension_needs_the_measure(profile: Any, central: Any) -> None:
    patron = make_patron(registered_branch=central)
    with pytest.raises(ValidationError) as refused:
        online_application_submit(
            actor=None,
            patron=patron,
            kind="suspension",
            information_requested="貸出記録",
            identity_by="counter",
            disclosed_on=timezone.localdate(),
        )
    assert "suspension_kind" in refused.value.message_dict
    assert not OnlineApplication.objects.exists()


@pytest.mark.parametrize(
    ("code", "cited"),
    [
        ("appi", ("（法第91条第1項）", "（法第98条第1項）")),
        ("yamanashi-15", ("（山梨県 要綱第31条第1項）", "（山梨県 要綱第37条第1項）")),
    ],
)
def test_refusals_cite_the_profile_in_force(code: str, cited: tuple[str, str], central: Any) -> None:
    put_in_force(code)
    patron = make_patron(registered_branch=central)
    for kind, field, article in (
        ("correction", "correction_content", cited[0]),
        ("suspension", "suspension_kind", cited[1]),
    ):
        with pytest.raises(ValidationError) as refused:
            online_application_submit(
                actor=None,
                patron=patron,
                kind=kind,
                information_requested="",
                identity_by="counter",
                disclosed_on=timezone.localdate(),
            )
        messages = refused.value.message_dict
        assert messages[field][0].endswith(f"{article}。"), messages[field]
        assert "要綱" not in "".join(messages["information_requested"]) or code != "appi"
    assert not OnlineApplication.objects.exists()
