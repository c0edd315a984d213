"""Printing the register through outages: a dead broker leaves the print waiting (待機中) and the sweeper
sends it again; a dead cache still serves the public PDFs (the cache is an optimisation)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from privacy_admin.dispatch.models import PendingDispatch
from register import register_pdf, tasks
from register.models import RegisterEntry, RegisterPrint
from register.services import printing as print_services


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts renders; the PDF itself is tested in test_tasks."""
    seen: list[int] = []
    real = register_pdf.render_register

    def counting(**kwargs: Any) -> Any:
        seen.append(1)
        return real(**kwargs)

    monkeypatch.setattr(register_pdf, "render_register", counting)
    return seen


@pytest.mark.django_db(transaction=True)
def test_a_print_asked_for_while_the_broker_is_down_waits_and_is_sent_again(
    dead_broker: Any, login: Any, administrator: Any, renders: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    client = login(administrator)
    client.raise_request_exception = False
    with caplog.at_level(logging.WARNING, logger="privacy_admin.dispatch"):
        response = client.post(reverse("register_print:index"), {"layout": "register"})
    assert response.status_code == 302
    job = RegisterPrint.objects.get()
    assert response["Location"] == reverse("register_print:progress", args=[job.pk])
    assert job.status == RegisterPrint.Status.PENDING
    assert caplog.messages == [
        f"dispatch failed task={print_services.RENDER_TASK} ids={job.pk} error=OperationalError"
    ]
    status = client.get(reverse("register_print:status", args=[job.pk])).content.decode()
    assert "待機中" in status and "hx-trigger" in status  # waiting, and the page keeps polling

    # Not yet due for the print sweeper; the dispatch sweeper still has it.
    assert print_services.register_print_redispatch_waiting() == 0
    RegisterPrint.objects.update(requested_at=timezone.now() - dt.timedelta(minutes=3))
    assert print_services.register_print_redispatch_waiting() == 0  # broker still down

    dead_broker.back()
    tasks.redispatch_waiting_prints.delay()
    job.refresh_from_db()
    assert job.status == RegisterPrint.Status.DONE and renders == [1]
    # What the dispatch sweeper still holds arrives too late to render twice.
    assert PendingDispatch.objects.count() == 1
    from privacy_admin.dispatch.services import pending_dispatch_sweep

    assert pending_dispatch_sweep() == 1
    assert renders == [1]
    assert print_services.register_print_redispatch_waiting() == 0


@pytest.mark.django_db
def test_a_print_pending_past_the_staleness_limit_is_not_sent_again(dead_broker: Any) -> None:
    RegisterPrint.objects.create(layout="register", as_of=timezone.localdate())
    RegisterPrint.objects.update(requested_at=timezone.now() - dt.timedelta(hours=2))
    dead_broker.back()
    assert print_services.register_print_redispatch_waiting() == 0


@pytest.mark.django_db
def test_public_pdfs_are_served_when_the_cache_is_down(
    dead_cache: Any, client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    entry = RegisterEntry.objects.get(code="library-use")
    with caplog.at_level(logging.WARNING, logger="privacy_admin.core.cache_guard"):
        response = client.get(reverse("register_print:entry_pdf", args=[entry.pk]))
        register = client.get(reverse("register_print:public_register_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert register.status_code == 200 and register.content.startswith(b"%PDF")
    assert "cache unavailable: op=get error=ConnectionError" in caplog.messages


@pytest.mark.django_db
def test_public_pdfs_are_cached_when_the_cache_is_up(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.clear()
    entry = RegisterEntry.objects.get(code="library-use")
    first = print_services.entry_pdf(entry=entry, layout="register")
    monkeypatch.setattr(
        print_services.pdfs, "render_entry_pdf", lambda *a, **kw: pytest.fail("rendered again")
    )
    assert print_services.entry_pdf(entry=entry, layout="register") == first
