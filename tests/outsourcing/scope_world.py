"""A small library with two pickup-counter contracts (002) and a school contract (004), for the scope tests.

- 東口受取窓口 (``pickup_counter``) under contract 東 — operator ``op_east`` (in scope for ``reader``);
- 西口受取窓口 under contract 西 — operator ``op_west``: the out-of-scope persona for 東's patrons;
- 第一小学校 under the school contract — operator ``op_school`` (sees 氏名 and the school's loans).

``reader`` is registered at the central library; they have a reservation ready at 東口, another to be
picked up at the central library, a loan lent at 東口 and one lent at the central library.
``student`` is registered at the school, with a loan lent there and one lent at the central library.
``stranger`` is registered at the central library and has nothing to do with any counter.

Test modules define their own ``world`` fixture with ``build_world`` (fixtures imported across
modules trip the linters). ``install_operator_middleware(settings)`` puts
``outsourcing.middleware.OperatorSessionMiddleware`` into the middleware stack when the settings do
not list it yet, so these tests run before and after it is wired.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from loans import services
from loans.models import Item, Loan, Reservation
from patrons.models import Branch, Patron
from tests.factories import make_branch, make_patron
from tests.loans.factories import make_item

from .factories import PICKUP_ITEMS, SCHOOL_ITEMS, make_contract, make_operator

OPERATOR_MIDDLEWARE = "outsourcing.middleware.OperatorSessionMiddleware"


@dataclass
class World:
    central: Branch
    east: Branch
    west: Branch
    school: Branch
    op_east: Any
    op_west: Any
    op_school: Any
    reader: Patron
    student: Patron
    stranger: Patron
    ready_east: Reservation  # ready for reader at 東口
    waiting_central: Reservation  # reader's, to be picked up at the central library
    loan_east: Loan  # lent to reader at 東口
    loan_central: Loan  # lent to reader at the central library
    loan_school: Loan  # lent to student at the school
    loan_student_central: Loan  # lent to student at the central library
    shelf_item: Item  # an available item at 東口 (returned there earlier)


def _lend(patron: Patron, branch: Branch, title: str) -> Loan:
    item = make_item(home_branch=branch if branch.kind != Branch.Kind.PICKUP else Branch.objects.get(code="central"),
                     title=title)  # fmt: skip
    return services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code=branch.code
    )


def _ready(patron: Patron, pickup: Branch, title: str) -> Reservation:
    item = make_item(home_branch=Branch.objects.get(code="central"), title=title)
    today = services.today()
    Item.objects.filter(pk=item.pk).update(status=Item.Status.ON_HOLD, current_branch=pickup)
    return Reservation.objects.create(
        item=item,
        patron=patron,
        pickup_branch=pickup,
        status=Reservation.Status.READY,
        reserved_at=timezone.now() - dt.timedelta(days=3),
        ready_on=today,
        hold_until=today + dt.timedelta(days=7),
    )


def build_world(central: Branch, east: Branch, category: Any) -> World:
    west = make_branch(
        code="pickup-west", name="西口受取窓口", kind=Branch.Kind.PICKUP, accepts_registration=False
    )
    school = make_branch(code="school-1", name="第一小学校図書室", kind=Branch.Kind.COMMUNITY)
    east_contract = make_contract(branches=[east], data_items=PICKUP_ITEMS)
    west_contract = make_contract(branches=[west], data_items=PICKUP_ITEMS)
    school_contract = make_contract(branches=[school], data_items=SCHOOL_ITEMS, title="学校図書館支援業務")
    far = services.today() + dt.timedelta(days=400)
    reader = make_patron(registered_branch=central, category=category, family_name="東山", given_name="読子",
                         address="あさひ市東町1-2-3", phone="046-111-2222", expires_on=far)  # fmt: skip
    student = make_patron(registered_branch=school, category=category, family_name="学田", given_name="習",
                          address="あさひ市学園町4-5-6", phone="046-333-4444", expires_on=far)  # fmt: skip
    stranger = make_patron(registered_branch=central, category=category, family_name="他所", given_name="者",
                           expires_on=far)  # fmt: skip
    waiting_item = make_item(home_branch=central, title="中央で受け取る本")
    waiting = Reservation.objects.create(
        item=waiting_item, patron=reader, pickup_branch=central, reserved_at=timezone.now()
    )
    shelf_item = make_item(home_branch=central, current_branch=east, title="窓口にある本")
    return World(
        central=central,
        east=east,
        west=west,
        school=school,
        op_east=make_operator(east_contract, "op_east"),
        op_west=make_operator(west_contract, "op_west"),
        op_school=make_operator(school_contract, "op_school"),
        reader=reader,
        student=student,
        stranger=stranger,
        ready_east=_ready(reader, east, "東口で受け取る本"),
        waiting_central=waiting,
        loan_east=_lend(reader, east, "東口で借りた本"),
        loan_central=_lend(reader, central, "中央で借りた本"),
        loan_school=_lend(student, school, "学校で借りた本"),
        loan_student_central=_lend(student, central, "図書館で借りた本"),
        shelf_item=shelf_item,
    )


def install_operator_middleware(settings: Any) -> None:
    if OPERATOR_MIDDLEWARE not in settings.MIDDLEWARE:
        stack = list(settings.MIDDLEWARE)
        after = stack.index("privacy_admin.accounts.middleware.NoStoreMiddleware")
        stack.insert(after + 1, OPERATOR_MIDDLEWARE)
        settings.MIDDLEWARE = stack
