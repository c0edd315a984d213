"""Pages open to contractor operators: in scope they work, out of scope they answer 404 and log it.

``PAGE_CASES`` lists every page an operator may open that shows personal data, each with an
in-scope operator who succeeds and an out-of-scope operator who gets 404 and a logged attempt.
``test_every_contractor_page_is_listed`` walks the URL resolver, so a page opened to operators later
cannot be forgotten here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from loans.models import Item, Loan, Reservation
from privacy_admin.audit.models import AuditEvent, Outcome
from privacy_admin.core.roles import Role

from .scope_world import World, build_world, install_operator_middleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(central: Any, pickup_counter: Any, general_category: Any) -> World:
    return build_world(central, pickup_counter, general_category)


@pytest.fixture
def with_operator_middleware(settings: Any) -> None:
    install_operator_middleware(settings)


@dataclass(frozen=True)
class PageCase:
    """One page: how to call it, who succeeds, who is out of scope, and what the refusal logs."""

    id: str
    view: str
    method: str
    url: Callable[[World], str]
    data: Callable[[World, str], dict[str, str]] = field(default=lambda w, branch: {})
    in_scope: str = "op_east"
    ok_status: int = 200
    shows: tuple[str, ...] = ()
    hides: tuple[str, ...] = ()
    out_of_scope: str = "op_west"
    # The branch the out-of-scope operator posts: their own counter (a patron out of scope) or the
    # in-scope one's (a counter out of scope).
    foreign_counter: bool = False
    logged: str = "patron.out_of_scope"


def _own_branch(world: World, persona: str) -> str:
    return {"op_east": world.east.code, "op_west": world.west.code, "op_school": world.school.code}[persona]


PAGE_CASES = [
    PageCase(
        "find-by-card",
        "patrons:find",
        "POST",
        lambda w: reverse("patrons:find"),
        lambda w, branch: {"search": "card", "card_number": w.reader.card_number},
        ok_status=302,
    ),
    PageCase(
        "patron-detail-pickup",
        "patrons:detail",
        "GET",
        lambda w: reverse("patrons:detail", kwargs={"public_id": w.reader.public_id}),
        shows=("東山 読子", "あさひ市東町1-2-3", "東口で借りた本", "東口で受け取る本"),
        # Loans and reservations of other libraries; items outside 002's 17 (フリガナ, 有効期限).
        hides=("中央で借りた本", "中央で受け取る本", "ヤマダ", "有効期限", "本人確認の記録", "紙の申請書"),
    ),
    PageCase(
        "patron-detail-school",
        "patrons:detail",
        "GET",
        lambda w: reverse("patrons:detail", kwargs={"public_id": w.student.public_id}),
        in_scope="op_school",
        shows=("学田 習", "学校で借りた本"),
        hides=("あさひ市学園町", "046-333-4444", "図書館で借りた本", "利用者番号", "生年月日", "登録館"),
        out_of_scope="op_east",
    ),
    PageCase(
        "lend-card-scan",
        "loans:counter",
        "POST",
        lambda w: reverse("loans:counter"),
        lambda w, branch: {"branch": branch, "scan": w.reader.card_number},
        shows=("東口で借りた本",),
        hides=("中央で借りた本", "東山", "有効期限"),
    ),
    PageCase(
        "lend-card-scan-school",
        "loans:counter",
        "POST",
        lambda w: reverse("loans:counter"),
        lambda w, branch: {"branch": branch, "scan": w.student.card_number},
        in_scope="op_school",
        shows=("学校で借りた本",),
        hides=("図書館で借りた本", "学田", "利用者番号", "****"),
        out_of_scope="op_east",
    ),
    PageCase(
        "pickup-card-scan",
        "loans:pickup",
        "POST",
        lambda w: reverse("loans:pickup"),
        lambda w, branch: {"branch": branch, "scan": w.reader.card_number},
        shows=("東口で受け取る本",),
        hides=("中央で受け取る本", "東山"),
    ),
    PageCase(
        "return-at-counter",
        "loans:return",
        "POST",
        lambda w: reverse("loans:return"),
        lambda w, branch: {"branch": w.east.code, "scan": w.loan_east.item.barcode},
        shows=("返却済み", "東口で借りた本"),
        foreign_counter=True,
        logged="circulation.out_of_scope",
    ),
    PageCase(
        "capture-at-counter",
        "loans:capture",
        "POST",
        lambda w: reverse("loans:capture"),
        lambda w, branch: {"branch": w.east.code, "scan": w.shelf_item.barcode},
        shows=("窓口にある本",),
        foreign_counter=True,
        logged="circulation.out_of_scope",
    ),
]
# Every view an operator may open that shows personal data.
PERSONAL_DATA_PAGES = {case.view for case in PAGE_CASES}
# Views open to operators that show no patron data; each has its own scope tests where it lives.
OTHER_CONTRACTOR_PAGES = {
    "operator_print_attempt",  # outsourcing.print_guard: logs a print attempt (tests/outsourcing/test_no_print.py)
    # outsourcing.oversight_views: the contract's own business reports (helper o3's tests)
    "oversight:my_reports",
    "oversight:operator_reports",
    "oversight:report_submit",
    "oversight:operator_report",
}


def _call(client: Client, case: PageCase, world: World, persona: str) -> Any:
    branch = _own_branch(world, case.in_scope if case.foreign_counter else persona)
    data = case.data(world, branch)
    if case.method == "GET":
        return client.get(case.url(world), data)
    return client.post(case.url(world), data)


@pytest.mark.parametrize("case", PAGE_CASES, ids=lambda c: c.id)
def test_in_scope_operator_succeeds(case: PageCase, world: World, login: Any) -> None:
    user = getattr(world, case.in_scope)
    response = _call(login(user), case, world, case.in_scope)
    assert response.status_code == case.ok_status
    if case.ok_status == 302:
        response = login(user).get(response["Location"])
        assert response.status_code == 200
    html = response.content.decode()
    for text in case.shows:
        assert text in html
    for text in case.hides:
        assert text not in html
    assert not AuditEvent.objects.filter(outcome=Outcome.DENIED).exists()


@pytest.mark.parametrize("case", PAGE_CASES, ids=lambda c: c.id)
def test_out_of_scope_operator_gets_404_and_the_attempt_is_logged(
    case: PageCase, world: World, login: Any
) -> None:
    user = getattr(world, case.out_of_scope)
    before = {"loans": Loan.objects.count(), "reservations": Reservation.objects.count()}
    response = _call(login(user), case, world, case.out_of_scope)
    assert response.status_code == 404
    html = response.content.decode()
    for text in (*case.shows, world.reader.family_name, world.student.family_name):
        assert text not in html
    event = AuditEvent.objects.get(action=case.logged, actor=user)
    assert event.outcome == Outcome.DENIED
    assert {"loans": Loan.objects.count(), "reservations": Reservation.objects.count()} == before
    assert not AuditEvent.objects.filter(action="patron.view", actor=user).exists()


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}:{p.name}" if namespace and p.name else p.name or ""), p.callback


def contractor_views() -> set[str]:
    return {
        name
        for name, callback in _walk(get_resolver().url_patterns)
        if Role.CONTRACTOR in getattr(callback, "allowed_roles", ())
    }


def test_every_contractor_page_is_listed() -> None:
    """Fails when a page is opened to operators without a scope test here (or in OTHER_CONTRACTOR_PAGES)."""
    opened = contractor_views()
    assert opened - OTHER_CONTRACTOR_PAGES == PERSONAL_DATA_PAGES


# --- the counter, in detail -----------------------------------------------------------------------


def test_pickup_operator_hands_over_a_reservation_at_their_counter(world: World, login: Any) -> None:
    client = login(world.op_east)
    first = client.post(
        reverse("loans:pickup"), {"branch": world.east.code, "scan": world.reader.card_number}
    )
    token = first.context["patron_token"]
    barcode = world.ready_east.item.barcode
    response = client.post(
        reverse("loans:pickup"), {"branch": world.east.code, "scan": barcode, "patron_token": token}
    )
    assert response.status_code == 200
    assert "受け渡しました" in response.content.decode()
    assert not Reservation.objects.filter(pk=world.ready_east.pk).exists()  # 方針 第3(3)
    assert Loan.objects.filter(item__barcode=barcode, branch=world.east).exists()


def test_pickup_operator_cannot_hand_over_a_reservation_for_another_place(world: World, login: Any) -> None:
    client = login(world.op_east)
    first = client.post(
        reverse("loans:pickup"), {"branch": world.east.code, "scan": world.reader.card_number}
    )
    response = client.post(
        reverse("loans:pickup"),
        {
            "branch": world.east.code,
            "action": "hand_over",
            "reservation": str(world.waiting_central.pk),
            "patron_token": first.context["patron_token"],
        },
    )
    assert response.status_code == 409
    assert Reservation.objects.filter(pk=world.waiting_central.pk).exists()


def test_operator_cannot_cancel_a_reservation_through_the_pickup_page(world: World, login: Any) -> None:
    client = login(world.op_east)
    first = client.post(
        reverse("loans:pickup"), {"branch": world.east.code, "scan": world.reader.card_number}
    )
    response = client.post(
        reverse("loans:pickup"),
        {
            "branch": world.east.code,
            "action": "cancel_reservation",
            "reservation": str(world.ready_east.pk),
            "patron_token": first.context["patron_token"],
        },
    )
    assert response.status_code == 422
    assert Reservation.objects.filter(pk=world.ready_east.pk).exists()
    assert not AuditEvent.objects.filter(action="circulation.reservation_cancel").exists()


def test_operator_menu_follows_the_contract(world: World, counter_staff: Any) -> None:
    from privacy_admin.core.scope_fields import operator_pages

    assert [n for n, _label in operator_pages(world.op_east)] == [
        "patrons:find",
        "loans:pickup",
        "loans:counter",
        "loans:return",
        "loans:capture",
    ]
    assert [n for n, _label in operator_pages(world.op_school)] == [
        "patrons:find",
        "loans:counter",
        "loans:return",
    ]
    for name, _label in operator_pages(world.op_east):
        assert name in PERSONAL_DATA_PAGES


def test_hold_shelf_shows_only_the_counters_reservations_masked(world: World, login: Any) -> None:
    east = login(world.op_east).get(reverse("loans:pickup")).content.decode()
    assert "東口で受け取る本" in east and "****" + world.reader.card_number[-4:] in east
    assert world.reader.card_number not in east
    west = login(world.op_west).get(reverse("loans:pickup")).content.decode()
    assert "東口で受け取る本" not in west


def test_hold_shelf_reads_in_a_bounded_number_of_queries(
    world: World, login: Any, django_assert_max_num_queries: Any
) -> None:
    from .scope_world import _ready

    for n in range(15):
        _ready(world.stranger if n % 2 else world.reader, world.east, f"取置の本{n}")
    client = login(world.op_east)
    with django_assert_max_num_queries(25):
        html = client.get(reverse("loans:pickup")).content.decode()
    assert html.count("取置の本") == 15


def test_operator_counter_lists_only_the_contracts_branches(world: World, login: Any) -> None:
    html = login(world.op_east).get(reverse("loans:counter")).content.decode()
    assert f'value="{world.east.code}"' in html
    for other in (world.central, world.west, world.school):
        assert f'value="{other.code}"' not in html


def test_operator_counter_menu_shows_only_the_contracts_functions(world: World, login: Any) -> None:
    pickup = login(world.op_east).get(reverse("loans:return")).content.decode()
    assert reverse("loans:pickup") in pickup and reverse("loans:reserve") not in pickup
    assert reverse("loans:items") not in pickup
    school = login(world.op_school).get(reverse("loans:return")).content.decode()
    assert reverse("loans:counter") in school and reverse("loans:pickup") not in school


def test_return_at_an_operators_counter_erases_the_loan_of_an_out_of_scope_patron(
    world: World, login: Any
) -> None:
    # The student's loan from the central library comes back at 東口 (002: どこに返却しても良い).
    barcode = world.loan_student_central.item.barcode
    response = login(world.op_east).post(
        reverse("loans:return"), {"branch": world.east.code, "scan": barcode}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "返却済み" in html
    assert not Loan.objects.filter(pk=world.loan_student_central.pk).exists()
    for text in (world.student.family_name, world.student.card_number[-4:], "日延滞", "あさひ市学園町"):
        assert text not in html
    assert not AuditEvent.objects.filter(patron_id=world.student.pk, actor=world.op_east).exists()


def test_return_shows_overdue_days_to_staff_only(world: World, login: Any, counter_staff: Any) -> None:
    Loan.objects.filter(pk=world.loan_east.pk).update(due_on=world.loan_east.due_on.replace(year=2020))
    html = (
        login(world.op_east)
        .post(reverse("loans:return"), {"branch": world.east.code, "scan": world.loan_east.item.barcode})
        .content.decode()
    )
    assert "返却済み" in html and "日延滞" not in html
    Loan.objects.filter(pk=world.loan_central.pk).update(due_on=world.loan_central.due_on.replace(year=2020))
    staff = login(counter_staff).post(
        reverse("loans:return"), {"branch": "central", "scan": world.loan_central.item.barcode}
    )
    assert "日延滞" in staff.content.decode()


def test_school_operator_lends_at_the_school(world: World, login: Any) -> None:
    client = login(world.op_school)
    item = Item.objects.create(barcode="9900000001", title="図鑑", home_branch=world.school)
    first = client.post(
        reverse("loans:counter"), {"branch": world.school.code, "scan": world.student.card_number}
    )
    response = client.post(
        reverse("loans:counter"),
        {"branch": world.school.code, "scan": item.barcode, "patron_token": first.context["patron_token"]},
    )
    assert response.status_code == 200
    assert Loan.objects.filter(item=item, patron=world.student, branch=world.school).exists()
    assert "図鑑" in response.content.decode()


@pytest.mark.parametrize("page", ["pickup", "capture"])
def test_school_operator_has_no_reservation_pages(page: str, world: World, login: Any) -> None:
    response = login(world.op_school).get(reverse(f"loans:{page}"))
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="circulation.out_of_scope", actor=world.op_school)
    assert (event.target_type, event.target_id, event.outcome) == ("view", f"loans:{page}", Outcome.DENIED)


@pytest.mark.parametrize("page", ["reserve", "cancel", "items", "item_import", "damage_cases"])
def test_operators_are_refused_the_library_only_counter_pages(page: str, world: World, login: Any) -> None:
    response = login(world.op_east).get(reverse(f"loans:{page}"))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", actor=world.op_east).exists()


@pytest.mark.parametrize("page", ["edit", "renew", "cancel", "password"])
def test_operators_are_refused_the_patron_write_pages(page: str, world: World, login: Any) -> None:
    response = login(world.op_east).get(
        reverse(f"patrons:{page}", kwargs={"public_id": world.reader.public_id})
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", actor=world.op_east).exists()


def test_operator_find_page_offers_no_kana_search(world: World, login: Any) -> None:
    html = login(world.op_east).get(reverse("patrons:find")).content.decode()
    assert 'name="card_number"' in html
    assert 'name="family_name_kana"' not in html


def test_an_unknown_card_looks_like_an_out_of_scope_one(world: World, login: Any) -> None:
    client = login(world.op_east)
    unknown = client.post(reverse("patrons:find"), {"search": "card", "card_number": "2199999999"})
    foreign = client.post(
        reverse("patrons:find"), {"search": "card", "card_number": world.stranger.card_number}
    )
    assert unknown.status_code == foreign.status_code == 404

    def strip(html: str) -> str:
        html = re.sub(r'data-csrf-token="[^"]+"', "", html)  # the print guard's CSRF token
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html).replace("2199999999", "X")

    assert strip(unknown.content.decode()) == strip(
        foreign.content.decode().replace(world.stranger.card_number, "X")
    )
    assert AuditEvent.objects.filter(action="patron.out_of_scope", patron_id=world.stranger.pk).count() == 1


def test_operator_posting_another_counter_is_404_and_logged(world: World, login: Any) -> None:
    response = login(world.op_east).post(
        reverse("loans:counter"), {"branch": world.central.code, "scan": world.reader.card_number}
    )
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="circulation.out_of_scope", actor=world.op_east)
    assert (event.target_type, event.target_id) == ("branch", world.central.code)
    assert not AuditEvent.objects.filter(action="patron.view").exists()


def test_an_unknown_counter_code_is_bad_input_not_a_500(world: World, login: Any) -> None:
    response = login(world.op_east).post(reverse("loans:counter"), {"branch": "no\x00such", "scan": "1"})
    assert response.status_code == 422


def test_detail_page_writes_one_view_event_for_the_operator(world: World, login: Any) -> None:
    login(world.op_east).get(reverse("patrons:detail", kwargs={"public_id": world.reader.public_id}))
    event = AuditEvent.objects.get(action="patron.view")
    assert (event.actor_id, event.patron_id, event.detail) == (
        world.op_east.pk,
        world.reader.pk,
        {"view": "detail"},
    )


# --- the Django admin -----------------------------------------------------------------------------


@pytest.mark.usefixtures("with_operator_middleware")
@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/admin/patrons/branch/"])
def test_operators_never_reach_the_django_admin(path: str, world: World, login: Any) -> None:
    world.op_east.is_staff = True  # even a wrongly flagged account
    world.op_east.save()
    response = login(world.op_east).get(path)
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="operator.admin_denied")
    assert (event.actor_id, event.outcome) == (world.op_east.pk, Outcome.DENIED)


def test_without_the_middleware_the_admin_still_refuses_operators(
    world: World, login: Any, settings: Any
) -> None:
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "outsourcing.middleware.OperatorSessionMiddleware"
    ]
    world.op_east.is_staff = True
    world.op_east.save()
    response = login(world.op_east).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.usefixtures("with_operator_middleware")
def test_staff_admin_access_is_untouched_by_the_operator_middleware(administrator: Any, login: Any) -> None:
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    assert login(administrator).get("/admin/").status_code == 200
    assert not AuditEvent.objects.filter(action="operator.admin_denied").exists()
