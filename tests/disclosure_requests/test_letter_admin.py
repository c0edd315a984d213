"""disclosure_requests.letter_admin: the administrator's wording of letters is checked before it is
saved and kept in history; complaints are read-only there and hide the complainant."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin

from disclosure_requests.letter_admin import LetterTemplateForm
from disclosure_requests.models import LetterKind, LetterTemplate

from .complaint_helpers import COMPLAINANT, receive_complaint

pytestmark = pytest.mark.django_db


def test_admin_form_refuses_a_template_syntax_error() -> None:
    template = LetterTemplate.objects.get(kind=LetterKind.EXTENSION)
    form = LetterTemplateForm(
        data={"kind": template.kind, "title": template.title, "body": "<p>{% if %}延長します</p>"},
        instance=template,
    )
    assert not form.is_valid()
    assert "本文のテンプレートに誤りがあります" in str(form.errors["body"])


def test_admin_form_refuses_a_template_that_fails_when_rendered() -> None:
    template = LetterTemplate.objects.get(kind=LetterKind.EXTENSION)
    form = LetterTemplateForm(
        data={"kind": template.kind, "title": template.title, "body": '{% include "base.html" %}'},
        instance=template,
    )
    assert not form.is_valid()
    assert "差し込みできませんでした" in str(form.errors["body"])


def test_admin_form_refuses_a_library_outside_the_sandbox() -> None:
    template = LetterTemplate.objects.get(kind=LetterKind.EXTENSION)
    form = LetterTemplateForm(
        data={"kind": template.kind, "title": template.title, "body": "{% load static %}{% static 'x' %}"},
        instance=template,
    )
    assert not form.is_valid()


def test_admin_form_accepts_an_edit() -> None:
    template = LetterTemplate.objects.get(kind=LetterKind.EXTENSION)
    form = LetterTemplateForm(
        data={
            "kind": template.kind,
            "title": "期限延長のお知らせ",
            "body": "<p>{{ extended_due_on|wareki }}まで延長します。</p>",
        },
        instance=template,
    )
    assert form.is_valid(), form.errors
    form.save()
    # the seeded wording, its citations from the rule profile (migration 0008) and this edit
    assert template.history.count() == 3


def test_letter_template_admin_pages(client: Any, administrator: Any) -> None:
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    template = LetterTemplate.objects.get(kind=LetterKind.AMENDMENT)
    url = f"/admin/disclosure_requests/lettertemplate/{template.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "amendment_what_to_fix" in body  # the variables are listed
    response = client.post(url, {"title": template.title, "body": "{% if %}"})
    assert response.status_code == 200
    assert "本文のテンプレートに誤りがあります" in response.content.decode()
    template.refresh_from_db()
    assert template.body != "{% if %}"
    history = client.get(f"/admin/disclosure_requests/lettertemplate/{template.pk}/history/")
    assert history.status_code == 200
    assert "既定の文面" in history.content.decode()
    assert client.post(f"/admin/disclosure_requests/lettertemplate/{template.pk}/delete/").status_code == 403
    assert admin.site.is_registered(LetterTemplate)


def test_admin_list_is_read_only_and_hides_the_complainant(
    client: Any, administrator: Any, privacy_officer: Any
) -> None:
    complaint = receive_complaint(privacy_officer)
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    response = client.get("/admin/disclosure_requests/complaint/")
    assert response.status_code == 200
    assert complaint.number in response.content.decode()
    detail = client.get(f"/admin/disclosure_requests/complaint/{complaint.pk}/change/")
    assert detail.status_code == 200
    assert COMPLAINANT not in detail.content.decode()
    assert client.get("/admin/disclosure_requests/complaint/add/").status_code == 403
    assert client.post(f"/admin/disclosure_requests/complaint/{complaint.pk}/delete/").status_code == 403
