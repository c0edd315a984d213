"""patrons.models: one active registration per person (the duplicate key), and names that never carry the
patron's name into logs or messages."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from patrons.models import Patron, PatronStatus
from tests.factories import make_patron

pytestmark = pytest.mark.django_db


def test_one_active_registration_per_person() -> None:
    first = make_patron()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_patron(duplicate_key=first.duplicate_key)
    Patron.objects.filter(pk=first.pk).update(status=PatronStatus.CANCELLED)
    assert make_patron(duplicate_key=first.duplicate_key).status == PatronStatus.ACTIVE


def test_str_is_the_id_never_the_name() -> None:
    patron = make_patron(family_name="守屋", given_name="栞")
    assert str(patron) == f"利用者 #{patron.pk}"
    assert "守屋" not in str(patron)


def test_full_names_and_whether_a_password_is_set() -> None:
    patron = make_patron(
        family_name="守屋", given_name="栞", family_name_kana="モリヤ", given_name_kana="シオリ", password=""
    )
    assert (patron.full_name, patron.full_name_kana) == ("守屋 栞", "モリヤ シオリ")
    assert not patron.has_password
    patron.password = "pbkdf2_sha256$..."
    assert patron.has_password
