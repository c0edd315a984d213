"""The demo patron for マイページ (issue 16): a known card number and password, printed by
``manage.py seed_demo`` among the demo logins. Idempotent: a second run resets the password only."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from patrons import rules
from patrons import services as patron_services
from patrons.models import Branch, Patron

DEMO_PATRON_PASSWORD = "Mypage-Demo-2026"  # noqa: S105 - printed by seed_demo for the demo only


def demo_card_number() -> str:
    return rules.make_card_number(1, prefix=settings.PATRON_CARD_PREFIX, length=settings.PATRON_CARD_LENGTH)


def seed_demo_patron() -> tuple[str, str]:
    """(card number, password) of the demo patron, registered through the counter's service."""
    card = demo_card_number()
    patron = Patron.objects.filter(card_number=card).first()
    if patron is None:
        counter = get_user_model().objects.get(username="counter")
        branch = Branch.objects.filter(accepts_registration=True).order_by("sort_order", "code").first()
        assert branch is not None
        today = timezone.localdate()
        patron = patron_services.patron_register(
            actor=counter,
            data=patron_services.RegistrationInput(
                family_name="見本",
                given_name="花子",
                family_name_kana="ミホン",
                given_name_kana="ハナコ",
                birth_date=today - dt.timedelta(days=35 * 365),
                address="神奈川県あさひ市中央1丁目1番1号",
                phone="046-200-0001",
                email="mypage-demo@example.jp",
                guardian_name="",
                category="general",
                eligibility="residence",
                registered_branch=branch.code,
                identity=patron_services.IdentityEvidence("drivers_license"),
                proxy=None,
            ),
            on=today,
        )
        # A fixed, memorable number for the demo (the service draws a random one).
        Patron.objects.filter(pk=patron.pk).update(card_number=card)
    Patron.objects.filter(card_number=card).update(password=make_password(DEMO_PATRON_PASSWORD))
    return card, DEMO_PATRON_PASSWORD
