"""privacy_admin.devmail.context_processors: pages know whether mail goes to the development outbox, so the
navigation offers it only then."""

from __future__ import annotations

from django.test import RequestFactory

from privacy_admin.devmail.context_processors import outbox


def test_the_outbox_is_offered_when_mail_goes_there(settings) -> None:
    settings.EMAIL_BACKEND = "privacy_admin.devmail.backend.OutboxEmailBackend"
    assert outbox(RequestFactory().get("/")) == {"outbox_in_use": True}


def test_the_outbox_is_not_offered_when_mail_goes_out(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert outbox(RequestFactory().get("/")) == {"outbox_in_use": False}
