"""マイページ forms: both sign-in fields required; the online request's kinds are the three of the rules."""

from __future__ import annotations

from mypage.forms import OnlineRequestForm, SignInForm


def test_sign_in_needs_card_number_and_password() -> None:
    assert not SignInForm({"card_number": "2100000013", "password": ""}).is_valid()
    assert SignInForm({"card_number": "2100000013", "password": "x"}).is_valid()


def test_online_request_kinds() -> None:
    form = OnlineRequestForm({"kind": "appeal", "information_requested": "x", "identity_by": "counter"})
    assert not form.is_valid() and "kind" in form.errors
    for kind in ("disclosure", "correction", "suspension"):
        data = {"kind": kind, "information_requested": "x", "identity_by": "counter"}
        assert OnlineRequestForm(data).is_valid()
