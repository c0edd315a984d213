"""What the library holds about a patron (保有個人情報の一覧): generated from the field inventory, with
current loans and reservations, the erasure statement, and nothing of a returned loan."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from disclosure_requests import letters, package
from disclosure_requests.models import LetterKind, Outcome, RequestKind
from loans.models import DamageCase, Item, Loan, Notice, Reservation
from patrons.models import IdentityCheck, Patron
from privacy_admin.audit.models import AuditEvent
from privacy_admin.audit.services import audit_record
from privacy_admin.core.dataitems import PERSONAL_FIELDS, DataItem
from privacy_admin.core.dates import to_wareki
from tests.factories import make_patron

from . import factories as f

pytestmark = pytest.mark.django_db

LOAN_TITLE = "思想と信条の歴史"
RESERVED_TITLE = "はじめての園芸"
RETURNED_TITLE = "返却済みの本のタイトル"


@pytest.fixture
def patron(central: Any, general_category: Any) -> Patron:
    patron = make_patron(family_name="利用", given_name="花子", password="pbkdf2_sha256$1$salt$hash")
    IdentityCheck.objects.create(
        patron=patron,
        party=IdentityCheck.Party.APPLICANT,
        purpose=IdentityCheck.Purpose.REGISTRATION,
        document_type="drivers_license",
        checked_at=timezone.now() - dt.timedelta(days=200),
    )
    return patron


def _item(barcode: str, title: str, branch: Any) -> Item:
    return Item.objects.create(barcode=barcode, title=title, home_branch=branch)


@pytest.fixture
def holdings(patron: Patron, central: Any) -> dict[str, Any]:
    loan = Loan.objects.create(
        item=_item("100001", LOAN_TITLE, central),
        patron=patron,
        branch=central,
        lent_at=timezone.now() - dt.timedelta(days=3),
        due_on=f.today() + dt.timedelta(days=11),
    )
    reservation = Reservation.objects.create(
        item=_item("100002", RESERVED_TITLE, central),
        patron=patron,
        pickup_branch=central,
        reserved_at=timezone.now() - dt.timedelta(days=1),
    )
    notice = Notice.objects.create(
        patron=patron,
        kind=Notice.Kind.OVERDUE,
        channel=Notice.Channel.POSTCARD,
        created_on=f.today() - dt.timedelta(days=30),
        item_count=2,
    )
    damage = DamageCase.objects.create(
        item=_item("100003", "破れた図鑑", central),
        patron=patron,
        branch=central,
        reported_on=f.today() - dt.timedelta(days=5),
        description="表紙の破れ",
    )
    return {"loan": loan, "reservation": reservation, "notice": notice, "damage": damage}


@pytest.fixture
def request_for(patron: Patron) -> Any:
    return f.make_request(patron=patron)


def test_package_contains_current_loans_reservations_and_the_erasure_statement(
    privacy_officer: Any, request_for: Any, holdings: dict[str, Any]
) -> None:
    pkg = package.held_data_compile(actor=privacy_officer, request=request_for)
    assert [row.title for row in pkg.loans] == [LOAN_TITLE]
    assert pkg.loans[0].barcode == "100001"
    assert pkg.loans[0].due_on == holdings["loan"].due_on
    assert [row.title for row in pkg.reservations] == [RESERVED_TITLE]
    assert pkg.reservations[0].pickup_branch == "中央図書館"
    assert pkg.reservations[0].status == "順番待ち"
    assert [(n.kind, n.channel, n.item_count) for n in pkg.notices] == [("返却督促", "はがき", 2)]
    assert [c.title for c in pkg.damage_cases] == ["破れた図鑑"]
    assert package.ERASURE_STATEMENT in pkg.statements
    assert "第3(2)(3)" in package.ERASURE_STATEMENT
    assert [(c.document, c.document_issued_on) for c in pkg.identity_checks] == [("運転免許証", None)]

    html = render_to_string(package.PDF_TEMPLATE, {"package": pkg, "office": "担当"})
    assert LOAN_TITLE in html and RESERVED_TITLE in html
    assert "昭和60年6月15日" in html  # birth date in 和暦
    assert package.ERASURE_STATEMENT in html
    assert to_wareki(holdings["loan"].due_on) in html
    assert package.render_held_data_pdf(pkg).startswith(b"%PDF")


def test_returned_loan_leaves_no_title_in_the_package(
    privacy_officer: Any, counter_staff: Any, patron: Patron, central: Any, request_for: Any
) -> None:
    from loans import services as loan_services

    _item("200001", RETURNED_TITLE, central)
    loan_services.loan_lend(
        actor=counter_staff, card_number=patron.card_number, barcode="200001", branch_code="central"
    )
    during = package.held_data_compile(actor=privacy_officer, request=request_for)
    assert RETURNED_TITLE in [row.title for row in during.loans]

    loan_services.loan_return(actor=counter_staff, barcode="200001", branch_code="central")
    after = package.held_data_compile(actor=privacy_officer, request=request_for)
    assert after.loans == []
    content = package.held_data_json(after).decode("utf-8")
    assert RETURNED_TITLE not in content
    assert "200001" not in content
    html = render_to_string(package.PDF_TEMPLATE, {"package": after, "office": ""})
    assert RETURNED_TITLE not in html
    assert "現在の貸出はありません。" in html


def test_registration_is_generated_from_the_field_inventory(
    privacy_officer: Any, request_for: Any, patron: Patron
) -> None:
    pkg = package.held_data_compile(actor=privacy_officer, request=request_for)
    declared = [name for (model, name) in PERSONAL_FIELDS if model == "patrons.Patron"]
    assert [row.field for row in pkg.registration] == declared
    for row in pkg.registration:
        item = PERSONAL_FIELDS[("patrons.Patron", row.field)].item
        assert row.item == item.value
        assert row.item_label == str(DataItem(item).label)
    values = {row.field: row.value for row in pkg.registration}
    assert values["card_number"] == patron.card_number
    assert values["family_name"] == "利用"
    assert values["birth_date"] == patron.birth_date
    assert values["registered_branch"] == "中央図書館"
    assert values["category"] == "一般"
    assert values["eligibility"] == "在住"
    # The password hash is never given out; that one is set is.
    assert str(values["password"]).startswith("設定あり")
    assert "pbkdf2" not in package.held_data_json(pkg).decode("utf-8")
    assert patron.duplicate_key not in package.held_data_json(pkg).decode("utf-8")


def test_field_added_to_the_inventory_appears(
    privacy_officer: Any, request_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from privacy_admin.core.dataitems import PersonalField

    key = ("patrons.Patron", "cancelled_on")
    monkeypatch.setitem(
        PERSONAL_FIELDS, key, PersonalField("patrons.Patron", "cancelled_on", DataItem.EXPIRY, "library-use")
    )
    pkg = package.held_data_compile(actor=privacy_officer, request=request_for)
    assert "cancelled_on" in [row.field for row in pkg.registration]


def test_json_schema(privacy_officer: Any, request_for: Any, holdings: dict[str, Any]) -> None:
    f.extend(request_for)
    letters.letter_issue(actor=privacy_officer, request=request_for, kind=LetterKind.EXTENSION)
    raw = package.held_data_json(package.held_data_compile(actor=privacy_officer, request=request_for))
    assert LOAN_TITLE.encode("utf-8") in raw  # ensure_ascii=False: Japanese as UTF-8, not \\u escapes
    data = json.loads(raw.decode("utf-8"))
    assert next(iter(data)) == "schema"
    assert data["schema"] == "privacy_admin.held_data/1"
    assert set(data) == {
        "schema",
        "request_number",
        "patron_id",
        "generated_at",
        "library_name",
        "registration",
        "identity_checks",
        "proxy_application",
        "paper_forms",
        "loans",
        "reservations",
        "notices",
        "damage_cases",
        "requests",
        "access_log",
        "statements",
    }
    assert data["loans"][0]["due_on"] == holdings["loan"].due_on.isoformat()
    birth = next(row for row in data["registration"] if row["field"] == "birth_date")
    assert birth["value"] == "1985-06-15"
    dt.datetime.fromisoformat(data["generated_at"])
    assert set(data["registration"][0]) == {"item", "item_label", "field", "field_label", "value"}
    assert data["requests"][0]["number"] == request_for.number
    assert data["requests"][0]["letters"] == [
        {"kind": "開示決定等期限延長通知書", "issued_on": f.today().isoformat()}
    ]


def test_access_log_names_roles_not_staff(
    privacy_officer: Any, counter_staff: Any, request_for: Any, patron: Patron
) -> None:
    audit_record(
        standalone=True,
        actor=counter_staff,
        action="patron.view",
        target_type="patron",
        target_id=patron.pk,
        patron_id=patron.pk,
    )
    other = make_patron()
    audit_record(
        standalone=True,
        actor=counter_staff,
        action="patron.view",
        target_type="patron",
        target_id=other.pk,
        patron_id=other.pk,
    )
    pkg = package.held_data_compile(actor=privacy_officer, request=request_for)
    assert [(row.action_label, row.role, row.outcome) for row in pkg.access_log] == [
        ("利用者情報の閲覧", "カウンター職員", "成功")
    ]
    content = package.held_data_json(pkg).decode("utf-8")
    assert counter_staff.get_username() not in content
    assert package.ACCESS_LOG_STATEMENT in pkg.statements


def test_refused_for_other_kinds_and_unlinked_requests(privacy_officer: Any, patron: Patron) -> None:
    with pytest.raises(package.PackageError, match="開示請求についてのみ"):
        package.held_data_compile(
            actor=privacy_officer, request=f.make_request(kind=RequestKind.CORRECTION, patron=patron)
        )
    with pytest.raises(package.PackageError, match="結び付けられていない"):
        package.held_data_compile(actor=privacy_officer, request=f.make_request())


# --- views -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "content_type"),
    [("package_pdf", "pdf", "application/pdf"), ("package_json", "json", "application/json; charset=utf-8")],
)
def test_package_download_is_audited_with_the_patron(
    name: str, fmt: str, content_type: str, login: Any, privacy_officer: Any, request_for: Any, patron: Patron
) -> None:
    response = login(privacy_officer).post(reverse(f"letters:{name}", args=[request_for.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="held-data-{request_for.pk}.{fmt}"'
    event = AuditEvent.objects.get(action="privacy_request.package")
    assert event.patron_id == patron.pk
    assert event.target_id == str(request_for.pk)
    assert event.detail == {"format": fmt}


def test_package_view_refuses_with_a_message(login: Any, privacy_officer: Any) -> None:
    request = f.make_request()
    response = login(privacy_officer).post(reverse("letters:package_json", args=[request.pk]), follow=True)
    assert response.status_code == 200
    assert "結び付けられていない" in response.content.decode()
    assert not AuditEvent.objects.filter(action="privacy_request.package").exists()


def test_package_views_are_post_only(login: Any, privacy_officer: Any, request_for: Any) -> None:
    assert (
        login(privacy_officer).get(reverse("letters:package_pdf", args=[request_for.pk])).status_code == 405
    )


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
def test_package_views_refuse_other_roles(persona: Any, login: Any, request_for: Any) -> None:
    client = login(persona)
    for name in ("package_pdf", "package_json"):
        assert client.post(reverse(f"letters:{name}", args=[request_for.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="privacy_request.package").exists()


def test_package_of_unknown_request_is_404(login: Any, administrator: Any) -> None:
    assert login(administrator).post(reverse("letters:package_pdf", args=[999999])).status_code == 404


def test_decided_request_still_compiles(privacy_officer: Any, request_for: Any) -> None:
    f.decide(request_for, Outcome.FULL)
    assert (
        package.held_data_compile(actor=privacy_officer, request=request_for).requests[0].status == "決定済み"
    )


def _pdf_pages(pdf: bytes) -> list[str]:
    from io import BytesIO

    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def _pdf_lines(pdf: bytes) -> list[str]:
    return [line for page in _pdf_pages(pdf) for line in page.splitlines()]


def test_pdf_labels_the_registration_date_and_the_expiry_each_by_its_own_name(
    privacy_officer: Any, patron: Patron, request_for: Any
) -> None:
    patron.registered_on = dt.date(2023, 7, 25)
    patron.expires_on = dt.date(2026, 7, 25)
    patron.save(update_fields=["registered_on", "expires_on"])
    pkg = package.held_data_compile(actor=privacy_officer, request=request_for)
    text = "".join("".join(_pdf_lines(package.render_held_data_pdf(pkg))).split())
    assert "登録日令和5年7月25日" in text
    assert "有効期限令和8年7月25日" in text
    assert "有効期限令和5年7月25日" not in text  # the 登録日 is not printed as a 有効期限
    assert "登録簿の記録項目" in text


def test_pdf_request_table_keeps_numbers_and_statuses_whole(
    privacy_officer: Any, patron: Patron, request_for: Any
) -> None:
    """WeasyPrint breaks Japanese anywhere: the table once printed 「R8-開/示-0008」 and 「決定済/み」."""
    suspension = f.make_request(kind=RequestKind.SUSPENSION, patron=patron)
    f.decide(request_for, Outcome.FULL)
    pkg = package.held_data_compile(actor=privacy_officer, request=request_for)
    long_letter = package.LetterRow(kind=str(LetterKind.NOT_SUSPENSION.label), issued_on=f.today())
    rows = [
        package.RequestRow(
            number=r.number,
            kind=r.kind,
            received_on=r.received_on,
            status=r.status,
            letters=[long_letter] * 2,
        )
        for r in pkg.requests
    ]
    pkg = dataclasses.replace(pkg, requests=rows)
    lines = _pdf_lines(package.render_held_data_pdf(pkg))
    words = [w for line in lines for w in line.split()]
    for number in (request_for.number, suspension.number):
        assert number in words, number
    assert "決定済み" in words and "利用停止請求" in words
    assert to_wareki(request_for.received_on) in words


def _pdf_text(pdf: bytes) -> str:
    return "".join("".join(_pdf_lines(pdf)).split())


def test_pdf_prints_a_card_number_that_reads_as_a_date_as_it_is(
    privacy_officer: Any, patron: Patron, request_for: Any
) -> None:
    """date.fromisoformat reads 2101011498 as 2101-01-14: the 利用者番号 was printed 「令和83年1月14日」."""
    Patron.objects.filter(pk=patron.pk).update(card_number="2101011498")
    pkg = package.held_data_compile(actor=privacy_officer, request=request_for)
    text = _pdf_text(package.render_held_data_pdf(pkg))
    assert "利用者番号2101011498" in text
    assert "令和83年" not in text


def test_pdf_names_each_register_item_once_beside_the_fields_it_covers(
    privacy_officer: Any, patron: Patron, request_for: Any
) -> None:
    """登録日 and 有効期限 are both recorded under the register's item 有効期限: the item is printed once,
    beside both, not as the item of the 登録日 row alone (「登録日 令和5年7月25日 有効期限」)."""
    patron.registered_on = dt.date(2023, 7, 25)
    patron.expires_on = dt.date(2026, 7, 25)
    patron.save(update_fields=["registered_on", "expires_on"])
    pkg = package.held_data_compile(actor=privacy_officer, request=request_for)
    groups = [(g.item_label, [line.field_label for line in g.lines]) for g in pkg.registration_groups]
    assert ("有効期限", ["登録日", "有効期限"]) in groups
    assert ("氏名", ["氏名（姓）", "氏名（名）"]) in groups
    text = _pdf_text(package.render_held_data_pdf(pkg))
    assert text.count("有効期限") == 2  # the field, and the register's item once
    assert text.count("フリガナ（姓）") == 1 and text.count("フリガナ") == 3
    assert "登録日令和5年7月25日" in text and "令和8年7月25日" in text


def test_pdf_prints_each_statement_once_in_its_section(
    privacy_officer: Any, request_for: Any, holdings: dict[str, Any]
) -> None:
    """The cover repeated the three statements that sections 5, 6 and 9 print."""
    pkg = package.held_data_compile(actor=privacy_officer, request=request_for)
    pages = ["".join(page.split()) for page in _pdf_pages(package.render_held_data_pdf(pkg))]
    for statement in pkg.statements:
        squeezed = "".join(statement.split())
        assert sum(page.count(squeezed) for page in pages) == 1, statement
        assert squeezed not in pages[0]  # the cover
