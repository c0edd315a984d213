"""factory_boy factories. Patrons are built like the service builds them (normalised, with duplicate key)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from patrons import names
from patrons.models import Branch, Eligibility, Patron, PatronCategory
from privacy_admin.accounts.models import StaffProfile
from privacy_admin.core.roles import Role

DEFAULT_PASSWORD = "Correct-Horse-42"


class BranchFactory(DjangoModelFactory[Branch]):
    class Meta:
        model = Branch
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"branch-{n}")
    name = factory.Sequence(lambda n: f"第{n}分館")
    kind = Branch.Kind.BRANCH
    accepts_registration = True


class CategoryFactory(DjangoModelFactory[PatronCategory]):
    class Meta:
        model = PatronCategory
        django_get_or_create = ("code",)

    code = "general"
    name = "一般"


class PatronFactory(DjangoModelFactory[Patron]):
    class Meta:
        model = Patron

    card_number = factory.Sequence(lambda n: f"21{n:08d}")
    family_name = "山田"
    given_name = factory.Sequence(lambda n: f"太郎{n}")
    family_name_kana = "ヤマダ"
    given_name_kana = "タロウ"
    birth_date = dt.date(1985, 6, 15)
    address = factory.Sequence(lambda n: f"神奈川県厚木市中町1-{n}-3")
    phone = "046-223-0033"
    email = factory.Sequence(lambda n: f"patron{n}@example.jp")
    category = factory.SubFactory(CategoryFactory)
    eligibility = Eligibility.RESIDENCE
    registered_branch = factory.SubFactory(
        BranchFactory, code="central", name="中央図書館", kind=Branch.Kind.CENTRAL
    )
    registered_on = dt.date(2026, 4, 1)
    expires_on = dt.date(2029, 4, 1)
    duplicate_key = factory.LazyAttribute(
        lambda o: names.duplicate_key(
            family_name=o.family_name, given_name=o.given_name, birth_date=o.birth_date, address=o.address
        )
    )


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@library.example.jp")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def role(self: Any, create: bool, extracted: str | None, **kwargs: object) -> None:
        if extracted:
            group, _ = Group.objects.get_or_create(name=extracted)
            self.groups.add(group)
        self.save()


def make_staff(username: str, role: str | None, branch: Branch | None = None) -> object:
    user = UserFactory(username=username, role=role)
    if branch is not None:
        StaffProfile.objects.update_or_create(user=user, defaults={"branch": branch})
    return user


ALL_ROLES = [r.value for r in Role]


def make_branch(**kwargs: Any) -> Branch:
    """A typed BranchFactory call (factory_boy's stubs type the call as the factory)."""
    return cast(Branch, BranchFactory(**kwargs))


def make_patron(**kwargs: Any) -> Patron:
    """A saved patron, typed as one (factory_boy's call is typed as the factory)."""
    return cast(Patron, PatronFactory(**kwargs))
