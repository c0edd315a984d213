"""Notice pages: who may use them, and what they show (方針 第3(7)(8); 練馬区 002)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from loans.models import Item, Loan, Notice, Reservation
from patrons.models import Branch, Patron
from privacy_admin.audit.models import AuditEvent
from tests.factories import make_patron

from .factories import make_item

pytestmark = pytest.mark.django_db

REFUSED = ["privacy_officer", "contractor_operator", "no_role_user"]


@pytest.fixture(autouse=True)
def _notice_urls(settings) -> None:
    settings.ROOT_URLCONF = "tests.loans.notice_urlconf"


def today() -> dt.date:
    return timezone.localdate()


def ready(patron: Patron, item: Item, branch: Branch) -> Reservation:
    return Reservation.objects.create(
        item=item,
        patron=patron,
        pickup_branch=branch,
        status=Reservation.Status.READY,
        reserved_at=timezone.now() - dt.timedelta(days=5),
        ready_on=today(),
        hold_until=today() + dt.timedelta(days=7),
    )


def queued(patron: Patron, channel: str, kind: str = Notice.Kind.RESERVATION_READY, **kw: object) -> Notice:
    return Notice.objects.create(
        patron=patron, kind=kind, channel=channel, created_on=today(), item_count=1, **kw
    )


@pytest.fixture
def phone_patron(central) -> Patron:
    patron = make_patron(
        registered_branch=central, email="", family_name="秘密川", given_name="花子", phone="046-111-2222"
    )
    ready(
        patron, make_item(title="誰にも知られたくない本", barcode="1188000001", home_branch=central), central
    )
    return patron


@pytest.fixture
def phone_notice(phone_patron, central) -> Notice:
    return queued(phone_patron, Notice.Channel.PHONE, branch=central)


def _urls(notice_id: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("loans:notices")),
        ("post", reverse("loans:postcards_pdf")),
        ("get", reverse("loans:phone_sheet")),
        ("post", reverse("loans:notice_called", args=[notice_id])),
        ("post", reverse("loans:notice_to_postcard", args=[notice_id])),
        ("get", reverse("loans:dashboard")),
    ]


@pytest.mark.parametrize("persona", REFUSED, indirect=True)
def test_other_roles_are_refused(persona, login, phone_notice) -> None:
    client = login(persona)
    for method, url in _urls(phone_notice.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
    phone_notice.refresh_from_db()
    assert phone_notice.status == Notice.Status.QUEUED
    assert AuditEvent.objects.filter(action="access.denied").count() == 6
    assert not AuditEvent.objects.filter(action="notice.phone_sheet_view").exists()


def test_anonymous_is_sent_to_login(client, phone_notice) -> None:
    for method, url in _urls(phone_notice.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"], url


@pytest.mark.parametrize("persona", ["counter_staff", "administrator"], indirect=True)
def test_counter_staff_and_administrators_see_the_notices_page(persona, login, phone_notice, central) -> None:
    email_patron = make_patron(registered_branch=central, family_name="見せない")
    queued(email_patron, Notice.Channel.EMAIL, status=Notice.Status.FAILED, branch=central)
    response = login(persona).get(reverse("loans:notices"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "電話連絡待ちの通知が1件あります" in html
    assert "送信できなかった電子メール（1件）" in html
    # Counts only: no name, no phone number, no title on this page.
    for secret in (
        "秘密川",
        "花子",
        "046-111-2222",
        "見せない",
        "誰にも知られたくない本",
        email_patron.email,
    ):
        assert secret not in html


def test_phone_sheet_shows_given_name_and_number_only(
    login, counter_staff, phone_notice, phone_patron
) -> None:
    response = login(counter_staff).get(reverse("loans:phone_sheet"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "花子" in html and "046-111-2222" in html and "予約資料の用意" in html
    assert "下の名前だけ" in html and "何も伝えません" in html  # the script (方針 第3(8), 002)
    for secret in (
        "秘密川",
        "誰にも知られたくない本",
        "1188000001",
        phone_patron.card_number,
        phone_patron.address,
    ):
        assert secret not in html
    event = AuditEvent.objects.get(action="notice.phone_sheet_view")
    assert event.patron_id == phone_patron.pk and event.detail == {
        "results": 1,
        "patron_ids": [phone_patron.pk],
    }


def test_called_is_recorded_from_the_sheet(login, counter_staff, phone_notice) -> None:
    client = login(counter_staff)
    response = client.post(reverse("loans:notice_called", args=[phone_notice.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("loans:phone_sheet")
    phone_notice.refresh_from_db()
    assert phone_notice.status == Notice.Status.CALLED
    # Done already: a second press changes nothing and says so.
    response = client.post(reverse("loans:notice_called", args=[phone_notice.pk]), follow=True)
    assert "既に処理されています" in response.content.decode()


def test_not_reached_sends_a_postcard_instead(login, counter_staff, phone_notice, central) -> None:
    response = login(counter_staff).post(
        reverse("loans:notice_to_postcard", args=[phone_notice.pk]), {"branch": "central"}
    )
    assert response["Location"] == reverse("loans:phone_sheet") + "?branch=central"
    phone_notice.refresh_from_db()
    assert phone_notice.status == Notice.Status.FAILED
    postcard = Notice.objects.get(channel=Notice.Channel.POSTCARD)
    assert postcard.status == Notice.Status.QUEUED and postcard.patron_id == phone_notice.patron_id


def test_actions_are_post_only(login, counter_staff, phone_notice) -> None:
    client = login(counter_staff)
    for name in ("loans:notice_called", "loans:notice_to_postcard"):
        assert client.get(reverse(name, args=[phone_notice.pk])).status_code == 405
    assert client.get(reverse("loans:postcards_pdf")).status_code == 405
    assert client.post(reverse("loans:notice_called", args=[999999])).status_code == 404


def test_postcards_are_printed_as_a_pdf(login, counter_staff, central) -> None:
    patron = make_patron(registered_branch=central, email="", phone="")
    Loan.objects.create(
        item=make_item(title="はがきに載らない本", home_branch=central),
        patron=patron,
        branch=central,
        lent_at=timezone.now() - dt.timedelta(days=30),
        due_on=today() - dt.timedelta(days=5),
    )
    notice = queued(patron, Notice.Channel.POSTCARD, kind=Notice.Kind.OVERDUE, branch=central)
    client = login(counter_staff)
    response = client.post(reverse("loans:postcards_pdf"), {"branch": "central"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="postcards-')
    assert response.content.startswith(b"%PDF")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PRINTED
    # Nothing left: back to the page with a message.
    response = client.post(reverse("loans:postcards_pdf"), follow=True)
    assert "印刷するはがきはありません" in response.content.decode()


def test_failed_email_row_offers_a_postcard(login, counter_staff, central) -> None:
    patron = make_patron(registered_branch=central)
    ready(patron, make_item(home_branch=central), central)
    failed = queued(patron, Notice.Channel.EMAIL, status=Notice.Status.FAILED, branch=central)
    client = login(counter_staff)
    html = client.get(reverse("loans:notices")).content.decode()
    assert reverse("loans:notice_to_postcard", args=[failed.pk]) in html
    response = client.post(reverse("loans:notice_to_postcard", args=[failed.pk]))
    assert response["Location"] == reverse("loans:notices")
    assert Notice.objects.filter(channel=Notice.Channel.POSTCARD, patron=patron).count() == 1


def test_branch_filter_ignores_bad_codes(login, counter_staff, phone_notice) -> None:
    client = login(counter_staff)
    for code in ("central", "nope", "'; drop table"):
        assert client.get(reverse("loans:phone_sheet"), {"branch": code}).status_code == 200
    # A control character in any query parameter is refused before the view (core.query_text).
    refused = client.get(reverse("loans:phone_sheet"), {"branch": "x\x00y"})
    assert refused.status_code == 400
    assert "制御文字" in refused.content.decode()


def test_phone_sheet_and_notices_page_queries_do_not_grow_with_rows(login, counter_staff, central) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(counter_staff)

    def queries(url: str, n: int) -> int:
        for _ in range(n):
            patron = make_patron(registered_branch=central, email="")
            ready(patron, make_item(home_branch=central), central)
            queued(patron, Notice.Channel.PHONE, branch=central)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for url in (reverse("loans:phone_sheet"), reverse("loans:notices"), reverse("loans:dashboard")):
        assert queries(url, 2) == queries(url, 6), url
