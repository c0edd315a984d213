"""Demo data that makes the product explorable: a city library, its branches, staff of every role and a
few hundred patrons with realistic Japanese names. Idempotent: a second run changes nothing but the demo
passwords, which it resets so that the printed logins always work.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from faker import Faker

from disclosure_requests.demo import seed_requests
from incidents.demo import seed_incidents
from loans.demo import seed_circulation
from mypage.demo import seed_demo_patron
from outsourcing.demo import seed_contracts
from patrons import services
from patrons.models import Branch, Patron, PatronCategory
from privacy_admin.accounts.models import StaffProfile
from privacy_admin.audit.context import audit_context
from privacy_admin.core.roles import Role
from register.demo import seed_register

BRANCHES = [
    # code, name, kind, takes registrations (要綱 第3条)
    ("central", "あさひ市立中央図書館", Branch.Kind.CENTRAL, True),
    ("kita", "北分館", Branch.Kind.BRANCH, True),
    ("aikawa-kominkan", "相川公民館図書室", Branch.Kind.COMMUNITY, True),
    ("mori-kominkan", "森の里公民館図書室", Branch.Kind.COMMUNITY, True),
    ("mobile", "移動図書館 あさひ号", Branch.Kind.MOBILE, True),
    ("ekimae-pickup", "駅前資料受取窓口", Branch.Kind.PICKUP, False),
]
CATEGORIES = [
    ("general", "一般", False, False),
    ("child", "児童", True, False),
    ("group", "団体", False, True),
    ("accessibility", "障害者サービス", False, False),
]
DEMO_ACCOUNTS = [
    # username, password, role, branch, staff (admin site)
    ("counter", "Shiori-Counter-2026", Role.COUNTER, "central", False),
    ("officer", "Hogo-Sekinin-2026", Role.PRIVACY_OFFICER, "central", False),
    ("admin", "Kanri-Master-2026", Role.ADMINISTRATOR, "central", True),
    ("operator", "Itaku-Uketori-2026", Role.CONTRACTOR, "ekimae-pickup", False),
]
DEMO_PATRONS = 300
MUNICIPALITIES = ["あさひ市", "あさひ市", "あさひ市", "厚木市", "海老名市", "座間市"]
ROLE_LABEL = {
    Role.COUNTER: "カウンター職員",
    Role.PRIVACY_OFFICER: "個人情報保護責任者",
    Role.ADMINISTRATOR: "システム管理者",
    Role.CONTRACTOR: "委託先操作員（受取窓口）",
}


class Command(BaseCommand):
    help = "デモデータを投入します（冪等）。 Load demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patrons", type=int, default=DEMO_PATRONS)

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_context(channel="command"):
            with transaction.atomic():
                branches = self._branches()
                self._categories()
                self._accounts(branches)
            created = self._patrons(options["patrons"])
            # Circulation and requests need the branches, accounts and patrons above.
            out: Any = self.stdout  # an OutputWrapper writes like a TextIO
            today = timezone.localdate()
            # The register first: contracts name the entry they serve.
            seed_register(today=today, stdout=out)
            seed_circulation(stdout=out)
            seed_requests(stdout=out)
            operators = seed_contracts(today=today, stdout=out)
            officer = get_user_model().objects.get(username="officer")
            seed_incidents(today=today, actor=officer)
        self.stdout.write(f"利用者: {Patron.objects.count()}（今回追加 {created}）")
        self.stdout.write("")
        self.stdout.write("デモ用ログイン / demo logins  (http://127.0.0.1:8000/)")
        operator_names = {username for username, _password, _label in operators}
        for username, password, role, _branch, _staff in DEMO_ACCOUNTS:
            if username not in operator_names:
                self.stdout.write(f"  {ROLE_LABEL[role]:<16} {username:<9} {password}")
        for username, password, label in operators:
            self.stdout.write(f"  {label:<16} {username:<9} {password}")
        # マイページ (/my/login/): the demo patron signs in with card number and password (issue 16).
        card, patron_password = seed_demo_patron()
        self.stdout.write(f"  {'利用者（マイページ /my/）':<16} {card:<9} {patron_password}")

    def _branches(self) -> dict[str, Branch]:
        result = {}
        for order, (code, name, kind, registration) in enumerate(BRANCHES):
            branch, _ = Branch.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "kind": kind,
                    "accepts_registration": registration,
                    "sort_order": order,
                },
            )
            result[code] = branch
        return result

    def _categories(self) -> None:
        for order, (code, name, is_child, is_group) in enumerate(CATEGORIES):
            PatronCategory.objects.update_or_create(
                code=code,
                defaults={"name": name, "is_child": is_child, "is_group": is_group, "sort_order": order},
            )

    def _accounts(self, branches: dict[str, Branch]) -> None:
        user_model = get_user_model()
        for role in Role:
            Group.objects.get_or_create(name=role.value)
        for username, password, role, branch_code, staff in DEMO_ACCOUNTS:
            user, _ = user_model.objects.get_or_create(
                username=username, defaults={"email": f"{username}@library.example.jp"}
            )
            user.set_password(password)
            user.is_staff = staff
            user.is_active = True
            user.save()
            user.groups.set([Group.objects.get(name=role.value)])
            StaffProfile.objects.update_or_create(user=user, defaults={"branch": branches[branch_code]})

    def _patrons(self, wanted: int) -> int:
        if Patron.objects.exists():
            return 0
        fake = Faker("ja_JP")
        fake.seed_instance(2026)
        rnd = random.Random(2026)
        counter = get_user_model().objects.get(username="counter")
        today = timezone.localdate()
        registration_branches = [b for b in Branch.objects.filter(accepts_registration=True)]
        created = 0
        attempts = 0
        while created < wanted and attempts < wanted * 3:
            attempts += 1
            data, on = self._one(fake, rnd, registration_branches, today)
            try:
                patron = services.patron_register(actor=counter, data=data, on=on)
            except ValidationError:
                continue  # a generated name outside JIS X 0208 or a rare duplicate: draw another
            created += 1
            if created % 25 == 0:
                services.patron_cancel(actor=counter, patron=patron, reason="own_request", on=today)
        # Forms were shredded on time, except the three latest overdue ones, still waiting.
        overdue = services.paper_forms_overdue(on=today).order_by("-destroy_by", "-pk")[3:]
        for form in overdue:
            services.paper_form_confirm_destroyed(actor=counter, form=form, on=form.destroy_by)
        return created

    def _one(
        self, fake: Faker, rnd: random.Random, branches: list[Branch], today: dt.date
    ) -> tuple[services.RegistrationInput, dt.date]:
        child = rnd.random() < 0.25
        age_days = rnd.randint(6 * 365, 12 * 365) if child else rnd.randint(19 * 365, 85 * 365)
        birth = today - dt.timedelta(days=age_days)
        family, family_kana, _ = fake.last_name_pair()
        given, given_kana, _ = (
            fake.first_name_female_pair() if rnd.random() < 0.5 else fake.first_name_male_pair()
        )
        municipality = rnd.choice(MUNICIPALITIES)
        address = f"神奈川県{municipality}{fake.town()}{rnd.randint(1, 5)}丁目{rnd.randint(1, 30)}番{rnd.randint(1, 20)}号"
        # Registrations spread over the last four years: some are due for renewal, some expired.
        on = today - dt.timedelta(days=rnd.randint(0, 4 * 365))
        guardian = ""
        if child:
            guardian_given, _, _ = fake.first_name_female_pair()
            guardian = f"{family} {guardian_given}"
        proxy = None
        if not child and rnd.random() < 0.05:
            proxy = services.ProxyInput(
                reason="入院中のため来館できない",
                power_of_attorney_received=True,
                identity=services.IdentityEvidence("library_card"),
            )
        identity = services.IdentityEvidence(
            rnd.choice(["drivers_license", "health_insurance", "my_number_card"])
        )
        if child:
            identity = services.IdentityEvidence("health_insurance")
        return (
            services.RegistrationInput(
                family_name=family,
                given_name=given,
                family_name_kana=family_kana,
                given_name_kana=given_kana,
                birth_date=birth,
                address=address,
                phone=f"046-{rnd.randint(200, 299)}-{rnd.randint(1000, 9999)}",
                email=f"demo{rnd.randint(10000, 99999)}@example.jp" if rnd.random() < 0.7 else "",
                guardian_name=guardian,
                category="child" if child else rnd.choice(["general"] * 12 + ["accessibility"]),
                eligibility="residence",
                registered_branch=rnd.choice(branches).code,
                identity=identity,
                proxy=proxy,
            ),
            on,
        )
