"""Demo contracts that make the gate and the scoping visible by signing in as each operator:

* a pickup-counter contract like 練馬区's (002): the 17 items, the 駅前資料受取窓口, 事前一括承認基準 類型10
  confirmed with the privacy office, all 16 特記事項, trained — the ``operator`` account of ``seed_demo``;
* a school-library contract like 新宿区's (004): 氏名 and 学習内容（貸出記録に限定） only, at a school
  library room, reported to the council — operator ``school``;
* a third contract still 手続中 (6 特記事項 not agreed yet) — operator ``pending``, who cannot sign in.

Made through the services, so every step has its access-log event. Idempotent: contracts are found by
number and only what is missing is added; the demo passwords are reset on each run so the printed
logins always work. ``seed_demo`` calls :func:`seed_contracts` after the branches and accounts exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from patrons.models import Branch
from privacy_admin.accounts.models import PasswordState, StaffProfile
from privacy_admin.core.actor import Actor
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.register_entries import LIBRARY_USE
from privacy_admin.core.roles import Role
from register.models import RegisterEntry

from . import operators, oversight, services
from .gate import handler_trained
from .models import Clause, Contract, Contractor, Handler, TrainingSession
from .presets import PICKUP_ITEMS, PRE_APPROVAL_CATEGORY_10, SCHOOL_ITEMS

PICKUP_BRANCH = "ekimae-pickup"
SCHOOL_BRANCH = ("asahi-sho", "あさひ小学校図書室")
PENDING_BRANCH = "kita"

# username, password, what the account shows (README / seed_demo output)
DEMO_OPERATORS = [
    ("operator", "Itaku-Uketori-2026", "委託先操作員（駅前資料受取窓口・17項目）"),
    ("school", "Gakko-Shien-2026", "委託先操作員（小学校図書室・氏名と貸出記録のみ）"),
    ("pending", "Tetsuzuki-Chu-2026", "委託先操作員（手続中の契約・ログイン不可）"),
]
_PASSWORDS = {u: p for u, p, _ in DEMO_OPERATORS}
# Pupils of the school (要綱 第12条: a school's pupils are registered in bulk, without application forms).
PUPILS = [
    ("青木", "結衣", "アオキ", "ユイ"),
    ("石井", "陽翔", "イシイ", "ハルト"),
    ("上野", "咲良", "ウエノ", "サクラ"),
    ("遠藤", "蒼太", "エンドウ", "ソウタ"),
    ("大野", "陽菜", "オオノ", "ヒナ"),
]


def _staff(username: str, role: Role) -> Any:
    users = get_user_model().objects.filter(is_active=True)
    return (
        users.filter(username=username).first()
        or users.filter(groups__name=role.value).order_by("pk").first()
    )


def _contractor(actor: Actor, name: str, **values: Any) -> Contractor:
    existing = Contractor.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return services.contractor_create(actor=actor, data=services.ContractorInput(name=name, **values))


def _contract(actor: Actor, data: services.ContractInput) -> tuple[Contract, bool]:
    existing = Contract.objects.filter(number=data.number).first()
    if existing is not None:
        return existing, False
    return services.contract_create(actor=actor, data=data), True


def _handler(actor: Actor, contract: Contract, name: str, *, in_charge: bool = False) -> Handler:
    existing = Handler.objects.filter(contract=contract, name=name).first()
    return existing or operators.handler_add(actor=actor, contract=contract, name=name, in_charge=in_charge)


def _operator_account(admin: Any, handler: Handler, username: str, branch: Branch) -> Any:
    """The demo operator's own account with its printed password, linked to its handler."""
    user_model = get_user_model()
    user: Any = user_model.objects.filter(username=username).first()
    if user is None and handler.user_id is None:
        user, _ = operators.operator_account_create(
            actor=admin, handler=handler, username=username, branch=branch
        )
    elif user is None:
        user = handler.user
    user.set_password(_PASSWORDS[username])  # the demo password; the history records it
    user.is_active = True
    user.save()
    user.groups.set([Group.objects.get_or_create(name=Role.CONTRACTOR.value)[0]])
    StaffProfile.objects.update_or_create(user=user, defaults={"branch": branch})
    PasswordState.objects.filter(user=user).update(must_change=False)
    if handler.user_id != user.pk:
        operators.operator_account_link(actor=admin, handler=handler, user=user)
    return user


def _train(
    officer: Any, contract: Contract, handlers: list[Handler], *, held_on: dt.date, provider: str
) -> None:
    untrained = [h for h in handlers if not handler_trained(h)]
    if untrained:
        oversight.training_record(
            actor=officer,
            contract=contract,
            held_on=held_on,
            provider=provider,
            material="図書館の自由に関する宣言と利用者の個人情報の取扱い",
            attendees=untrained,
        )


def _all_clauses(actor: Actor, contract: Contract, *, on: dt.date, skip: int = 0) -> None:
    if contract.clauses.exists():
        return
    agreed = {c.value: (None if i >= len(Clause) - skip else on) for i, c in enumerate(Clause)}
    services.contract_set_clauses(actor=actor, contract=contract, agreed=agreed)


def _school_pupils(school: Branch, *, today: dt.date) -> int:
    """A few pupils registered at the school, each with a current loan, so that the school operator has
    something in scope to see (names and loans only). Skipped when seed_demo's counter account, the
    child category or the collection are missing, and once the school has patrons."""
    from django.core.exceptions import ValidationError

    from loans import services as loan_services
    from loans.models import Item
    from patrons import services as patron_services
    from patrons.models import Patron, PatronCategory

    counter = _staff("counter", Role.COUNTER)
    if counter is None or not PatronCategory.objects.filter(code="child").exists():
        return 0
    if Patron.objects.filter(registered_branch=school).exists():
        return 0
    created = 0
    for i, (family, given, family_kana, given_kana) in enumerate(PUPILS):
        data = patron_services.RegistrationInput(
            family_name=family,
            given_name=given,
            family_name_kana=family_kana,
            given_name_kana=given_kana,
            birth_date=today - dt.timedelta(days=365 * 8 + 60 * i),
            address=f"神奈川県あさひ市中央1丁目{i + 2}番{i + 5}号",
            category="child",
            eligibility="residence",
            registered_branch=school.code,
            identity=patron_services.IdentityEvidence("health_insurance"),
            guardian_name=f"{family} 洋子",
            paper_form=False,
        )
        try:
            patron = patron_services.patron_register(actor=counter, data=data, on=today)
        except ValidationError:
            continue
        created += 1
        item = Item.objects.filter(status=Item.Status.AVAILABLE).order_by("pk").first()
        if item is None:
            continue
        try:
            loan_services.loan_lend(
                actor=counter,
                card_number=patron.card_number,
                barcode=item.barcode,
                branch_code=school.code,
                on=today,
            )
        except ValidationError:
            continue
    return created


def seed_contracts(*, today: dt.date, stdout: TextIO | None = None) -> list[tuple[str, str, str]]:
    """Create (or complete) the three demo contracts. Returns the demo operator logins."""
    admin = _staff("admin", Role.ADMINISTRATOR)
    officer = _staff("officer", Role.PRIVACY_OFFICER) or admin
    if admin is None:
        raise RuntimeError("seed_contracts needs an administrator account (run it from seed_demo)")
    entry = RegisterEntry.objects.get(code=LIBRARY_USE)
    pickup = Branch.objects.get(code=PICKUP_BRANCH)
    kita = Branch.objects.filter(code=PENDING_BRANCH).first() or pickup
    # 004: a school library room. Branch has no school kind; a community-style room that takes no
    # registrations stands for it.
    school, _ = Branch.objects.update_or_create(
        code=SCHOOL_BRANCH[0],
        defaults={
            "name": SCHOOL_BRANCH[1],
            "kind": Branch.Kind.COMMUNITY,
            "accepts_registration": True,  # 要綱 第12条: the school registers its pupils
            "sort_order": 90,
        },
    )
    start = today - dt.timedelta(days=180)
    with transaction.atomic():
        a = _contractor(
            admin,
            "株式会社あさひライブラリーサービス",
            address="神奈川県あさひ市中央2丁目1番1号",
            privacy_mark=True,
            privacy_mark_number="10820001(05)",
            privacy_mark_expires_on=today + dt.timedelta(days=500),
        )
        b = _contractor(
            admin,
            "株式会社まなびサポート",
            address="東京都新宿区西新宿1丁目1番1号",
            privacy_mark=True,
            privacy_mark_number="10840123(03)",
            privacy_mark_expires_on=today + dt.timedelta(days=45),  # shows the 期限間近 warning
        )
        c = _contractor(admin, "有限会社ほんだな", address="神奈川県あさひ市北町3丁目4番5号")

        # 002: 図書館資料受取窓口管理業務 — 事前一括承認基準 類型10, confirmed with the privacy office.
        pickup_contract, created = _contract(
            admin,
            services.ContractInput(
                number="委-R8-001",
                title="駅前資料受取窓口管理業務",
                contractor=a,
                purpose="予約資料の受け渡しと返却資料の受け取り、受取窓口の管理（練馬区 諮問の受取窓口と同様）。",
                data_items=[str(i) for i in PICKUP_ITEMS],
                branches=[pickup],
                starts_on=start,
                ends_on=start + dt.timedelta(days=364),
                online_connection=True,
                register_entry=entry,
                review_due_on=today + dt.timedelta(days=120),
            ),
        )
        if created:
            services.contract_record_procedure(
                actor=officer,
                contract=pickup_contract,
                procedure=Contract.Procedure.PRE_APPROVAL,
                pre_approval_category=PRE_APPROVAL_CATEGORY_10,
                pre_approval_confirmed_on=start - dt.timedelta(days=30),
                pre_approval_confirmed_by="情報公開課 個人情報保護担当",
            )
        _all_clauses(officer, pickup_contract, on=start - dt.timedelta(days=10))
        lead = _handler(officer, pickup_contract, "高橋 一郎", in_charge=True)
        counter = _handler(officer, pickup_contract, "中村 さくら")
        _operator_account(admin, counter, "operator", pickup)
        _train(
            officer,
            pickup_contract,
            [lead, counter],
            held_on=start,
            provider=TrainingSession.Provider.LIBRARY,
        )

        # 004: 学校図書館支援業務 — reported to the council; 氏名 and 学習内容（貸出記録に限定） only.
        school_contract, created = _contract(
            admin,
            services.ContractInput(
                number="委-R8-002",
                title="学校図書館支援業務（あさひ小学校）",
                contractor=b,
                purpose="学校図書館のカウンター業務（図書の貸出・返却）、利用者データ管理、児童への学習支援・読書指導支援。",
                data_items=[str(i) for i in SCHOOL_ITEMS],
                branches=[school],
                starts_on=start,
                ends_on=start + dt.timedelta(days=364),
                online_connection=True,
                register_entry=entry,
                review_due_on=today + dt.timedelta(days=60),
            ),
        )
        if created:
            services.contract_record_procedure(
                actor=officer,
                contract=school_contract,
                procedure=Contract.Procedure.REPORT,
                reported_on=start - dt.timedelta(days=20),
            )
        _all_clauses(officer, school_contract, on=start - dt.timedelta(days=10))
        librarian = _handler(officer, school_contract, "小林 真理", in_charge=True)
        _operator_account(admin, librarian, "school", school)
        _train(
            officer, school_contract, [librarian], held_on=start, provider=TrainingSession.Provider.CONTRACTOR
        )

        # A contract whose 特記事項 are not all agreed yet: its operator cannot sign in (002).
        pending_contract, created = _contract(
            admin,
            services.ContractInput(
                number="委-R8-003",
                title="北分館 返却資料配架業務",
                contractor=c,
                purpose="返却された資料の配架と、返却期限の案内。",
                data_items=[
                    DataItem.CARD_NUMBER.value,
                    DataItem.LOAN_ITEM_NUMBER.value,
                    DataItem.DUE_DATE.value,
                ],
                branches=[kita],
                starts_on=today - dt.timedelta(days=7),
                ends_on=today + dt.timedelta(days=358),
                online_connection=True,
                register_entry=entry,
                review_due_on=today + dt.timedelta(days=180),
            ),
        )
        if created:
            services.contract_record_procedure(
                actor=officer,
                contract=pending_contract,
                procedure=Contract.Procedure.CONSULTATION,
                consultation_number="諮問第12号",
                approved_on=today - dt.timedelta(days=14),
            )
        _all_clauses(officer, pending_contract, on=today - dt.timedelta(days=7), skip=6)
        staff = _handler(officer, pending_contract, "山本 健", in_charge=True)
        _operator_account(admin, staff, "pending", kita)
        _train(
            officer,
            pending_contract,
            [staff],
            held_on=today - dt.timedelta(days=3),
            provider=TrainingSession.Provider.LIBRARY,
        )

    pupils = _school_pupils(school, today=today)
    if stdout is not None:
        stdout.write(f"委託契約: {Contract.objects.count()}（{SCHOOL_BRANCH[1]}の児童 今回追加 {pupils}）\n")
    return list(DEMO_OPERATORS)
