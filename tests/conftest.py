"""Personas and shared fixtures. Every view and endpoint is tested against the personas it must refuse."""

from __future__ import annotations

import os
import uuid

os.environ.setdefault("PRIVACY_ADMIN_TESTING", "1")

import pytest
from django.test import Client

from privacy_admin.core.roles import Role

from .factories import DEFAULT_PASSWORD, BranchFactory, CategoryFactory, make_staff

pytest_plugins = ["tests.services_plugin", "tests.outage"]


@pytest.fixture(scope="session")
def _erasure_ledger_path(tmp_path_factory):
    # The erasure ledger of the test run: its own file, never the developer's var/.
    return tmp_path_factory.mktemp("erasure-ledger")


@pytest.fixture(autouse=True)
def _fast_settings(settings, _erasure_ledger_path):
    from loans import erasure

    erasure._pending_cache.clear()
    # A ledger of each test's own (created only if the test erases or opens a counter page).
    settings.ERASURE_LEDGER_PATH = _erasure_ledger_path / f"{uuid.uuid4().hex}.sqlite3"
    settings.ERASURE_LEDGER_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = True


@pytest.fixture
def central(db):
    from patrons.models import Branch

    return BranchFactory(code="central", name="中央図書館", kind=Branch.Kind.CENTRAL)


@pytest.fixture
def pickup_counter(db):
    from patrons.models import Branch

    return BranchFactory(
        code="pickup-east", name="東口受取窓口", kind=Branch.Kind.PICKUP, accepts_registration=False
    )


@pytest.fixture
def general_category(db):
    return CategoryFactory(code="general", name="一般")


@pytest.fixture
def child_category(db):
    return CategoryFactory(code="child", name="児童", is_child=True)


@pytest.fixture
def counter_staff(db, central):
    return make_staff("counter", Role.COUNTER, central)


@pytest.fixture
def privacy_officer(db, central):
    return make_staff("officer", Role.PRIVACY_OFFICER, central)


@pytest.fixture
def administrator(db, central):
    return make_staff("admin", Role.ADMINISTRATOR, central)


@pytest.fixture
def contractor_operator(db, pickup_counter):
    """An operator of a contractor. With no contract in force, their scope is empty."""
    return make_staff("operator", Role.CONTRACTOR, pickup_counter)


@pytest.fixture
def working_operator(db, pickup_counter):
    """An operator of a contract in force, trained: one that can sign in and hold an API token
    (issue 14: a token of an operator whose contract is not in force does not authenticate)."""
    from tests.outsourcing.factories import make_contract, make_operator

    return make_operator(make_contract(branches=[pickup_counter]), "working-operator")


@pytest.fixture
def no_role_user(db):
    return make_staff("norole", None)


PERSONAS = ["counter_staff", "privacy_officer", "administrator", "contractor_operator", "no_role_user"]


@pytest.fixture
def login(client: Client):
    """``login(user)`` signs the test client in as ``user`` through the real login form."""

    def _login(user) -> Client:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def persona(request):
    """Indirect fixture: ``@pytest.mark.parametrize("persona", ["counter_staff"], indirect=True)``."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the ``serialized_rollback`` tests (the browser tests on the migrations' seed) before the other
    transactional tests. The flush after a plain transactional test re-creates the content types with
    new ids (post_migrate), and a later serialized rollback then fails on the seed's own content types
    (IntegrityError on django_content_type). After pytest-django's ordering; stable otherwise."""

    def serialized(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("serialized_rollback"))

    first_transactional = next(
        (
            i
            for i, item in enumerate(items)
            if (m := item.get_closest_marker("django_db"))
            and (m.kwargs.get("transaction") or serialized(item))
        ),
        None,
    )
    if first_transactional is None:
        return
    tail = items[first_transactional:]
    tail.sort(key=lambda item: 0 if serialized(item) else 1)
    items[first_transactional:] = tail
