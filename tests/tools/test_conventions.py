"""The house rules (tools/conventions.py): each with a good and a bad example, and the tree itself clean."""

from __future__ import annotations

from pathlib import Path

from tools import conventions

MODELS = {"Patron", "Loan", "Reservation", "Complaint"}


def _links(source: str, path: str = "patrons/services.py") -> list[int]:
    return [v.line for v in conventions.link_deletes(source, path)]


def _interface(source: str, path: str = "patrons/views.py") -> list[int]:
    return [v.line for v in conventions.personal_orm_in_interface(source, path, MODELS)]


def test_link_delete_bad_examples() -> None:
    assert _links("Loan.objects.filter(pk=1).delete()") == [1]
    assert _links("x = 1\nReservation.objects.all().delete()") == [2]
    assert _links("patron.loans.all().delete()") == [1]
    assert _links("DamageCase.objects.filter(pk=1)._raw_delete('default')") == [1]
    assert _links("cursor.execute('DELETE FROM loans_reservation WHERE id = 1')") == [1]


def test_link_delete_good_examples() -> None:
    assert _links("Notice.objects.filter(pk=1).delete()") == []
    assert _links("patron.delete()") == []
    assert _links("erase(RETURNED_LOAN, pk=loan_id)") == []
    assert _links("Loan.objects.filter(pk=1).delete()", path="loans/erasure.py") == []


def test_personal_orm_in_interface_bad_examples() -> None:
    assert _interface("Patron.objects.filter(pk=1)") == [1]
    assert _interface(
        "get_object_or_404(Complaint, pk=pk)", path="disclosure_requests/complaint_views.py"
    ) == [1]
    assert _interface("n = Loan._default_manager.count()", path="loans/api.py") == [1]
    assert _interface("Reservation.objects.none()", path="loans/templatetags/holds.py") == [1]


def test_personal_orm_in_interface_good_examples() -> None:
    assert _interface("patron = get_patron_for(request.user, public_id=pk)") == []
    assert _interface("Branch.objects.filter(is_active=True)") == []  # not personal data
    assert _interface("Patron.objects.filter(pk=1)", path="patrons/selectors.py") == []  # selectors may
    assert _interface("Patron.objects.filter(pk=1)", path="patrons/services.py") == []


def _selector(source: str, path: str = "patrons/selectors.py") -> list[str]:
    return [v.message.split(" ")[0] for v in conventions.selector_view_events(source, path, MODELS)]


def test_selector_view_event_bad_examples() -> None:
    # returns a personal-data model and logs nothing
    assert _selector("def get_patron(pk: int) -> Patron:\n    return Patron.objects.get(pk=pk)") == [
        "get_patron"
    ]
    # inside a generic, in a <name>_selectors.py or a selectors/ package
    assert _selector(
        "def loans_of(p) -> list[Loan]:\n    return []", path="loans/circulation_selectors.py"
    ) == ["loans_of"]
    assert _selector("def holds() -> QuerySet[Reservation]:\n    ...", path="loans/selectors/holds.py") == [
        "holds"
    ]
    # a row class of the module that holds a personal-data model
    row = "@dataclass\nclass Row:\n    patron: Patron\n\ndef rows() -> list[Row]:\n    return []"
    assert _selector(row) == ["rows"]
    # no annotation: the body decides
    assert _selector("def find(pk):\n    return Complaint.objects.get(pk=pk)") == ["find"]
    # an audit event that is not a view, or an action that is not a literal, does not count
    changed = (
        'def get(actor, pk) -> Patron:\n    audit_record(actor=actor, action="patron.update")\n    return p'
    )
    assert _selector(changed) == ["get"]
    assert _selector("def get(a) -> Patron:\n    audit_record(actor=a, action=ACTION)\n    return p") == [
        "get"
    ]
    # a marker without a reason
    assert _selector('@view_logged_by_caller("")\ndef base(a) -> QuerySet[Patron]:\n    ...') == ["base:"]
    assert _selector("@no_view_event\ndef base(a) -> QuerySet[Patron]:\n    ...") == ["base:"]


def test_selector_view_event_good_examples() -> None:
    # writes its view event itself, or through a …_record_view helper
    logged = (
        "def get(actor, pk) -> Patron:\n"
        "    p = Patron.objects.get(pk=pk)\n"
        '    audit_record(standalone=True, actor=actor, action="patron.view")\n'
        "    return p"
    )
    assert _selector(logged) == []
    assert (
        _selector("def d(a, r) -> Detail:\n    request_record_view(actor=a, request=r)\n    return x") == []
    )
    shelf = (
        'def shelf(a) -> list[Reservation]:\n    audit_record(actor=a, action="circulation.hold_shelf_view")'
    )
    assert _selector(shelf) == []
    # a building block whose caller logs, or a read that shows no one a person's data, says so
    base = '@view_logged_by_caller("the detail page writes patron.view")\ndef base(a) -> QuerySet[Patron]:\n    ...'
    assert _selector(base) == []
    masked = '@no_view_event("card numbers shown masked")\ndef forms(a) -> QuerySet[Patron]:\n    ...'
    assert _selector(masked) == []
    # not a personal-data model, private, annotated with something else, or not a selectors module
    assert _selector("def branches() -> QuerySet[Branch]:\n    return Branch.objects.all()") == []
    assert _selector("def _scoped(a) -> QuerySet[Patron]:\n    ...") == []
    assert _selector("def count() -> int:\n    return Patron.objects.count()") == []
    assert _selector("def get(pk) -> Patron:\n    ...", path="patrons/services.py") == []


def _actors(source: str, path: str = "loans/services/lending.py") -> list[int]:
    return [v.line for v in conventions.untyped_actors(source, path)]


def test_actor_typed_bad_examples() -> None:
    assert _actors("def lend(*, actor: Any, item: Item) -> None: ...") == [1]
    assert _actors("def seen(actor, pk: int) -> Patron: ...") == [1]
    assert _actors("class S:\n    def run(self, *, actor: 'Any') -> None: ...") == [2]


def test_actor_typed_good_examples() -> None:
    assert _actors("def lend(*, actor: Actor, item: Item) -> None: ...") == []
    assert _actors("def lend(*, user: Any) -> None: ...") == []  # not an actor parameter
    assert _actors("def f(contractor: Any) -> None: ...") == []


def test_personal_models_come_from_the_field_inventory() -> None:
    models = conventions.personal_models()
    assert {"Patron", "Loan", "Reservation", "DamageCase", "PrivacyRequest", "Complaint"} <= models
    assert "Branch" not in models


def test_an_exception_that_no_longer_occurs_fails(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text("Patron.objects.all()\n", encoding="utf-8")
    (tmp_path / "app" / "models.py").write_text(
        'declare_personal_fields(\n    "app.Patron", register_entry="x")\n', encoding="utf-8"
    )
    (tmp_path / "tests" / "app").mkdir(parents=True)  # their mirrors (rule test-mirror)
    for name in ("test_views.py", "test_models.py"):
        (tmp_path / "tests" / "app" / name).write_text("", encoding="utf-8")
    monkeypatch.setattr(conventions, "EXCEPTIONS", {})
    assert any("[personal-orm-in-interface]" in p for p in conventions.run(tmp_path))
    monkeypatch.setattr(
        conventions, "EXCEPTIONS", {("personal-orm-in-interface", "app/views.py"): (2, "two were known")}
    )
    assert any("is larger than what remains" in p for p in conventions.run(tmp_path))
    monkeypatch.setattr(
        conventions, "EXCEPTIONS", {("personal-orm-in-interface", "app/views.py"): (1, "known")}
    )
    assert conventions.run(tmp_path) == []


def test_the_tree_keeps_the_house_rules() -> None:
    assert conventions.run() == []


# --- test-mirror ------------------------------------------------------------------------------------


def test_test_mirror_maps_a_module_to_its_test_file() -> None:
    mirror = conventions.mirror_of
    assert mirror("loans/selectors.py") == "tests/loans/test_selectors.py"
    assert mirror("loans/services/lending.py") == "tests/loans/services/test_lending.py"
    assert mirror("register/views/public.py") == "tests/register/views/test_public.py"
    # the project's components have their own folder; the wiring is tests/privacy_admin
    assert mirror("privacy_admin/accounts/otp.py") == "tests/accounts/test_otp.py"
    assert mirror("privacy_admin/core/dates.py") == "tests/core/test_dates.py"
    assert mirror("privacy_admin/audit/templatetags/audit_checkpoint.py") == (
        "tests/audit/templatetags/test_audit_checkpoint.py"
    )
    assert mirror("privacy_admin/celery.py") == "tests/privacy_admin/test_celery.py"
    assert mirror("privacy_admin/templatetags/wareki.py") == "tests/privacy_admin/templatetags/test_wareki.py"
    assert (
        mirror("backups/management/commands/backup.py") == "tests/backups/management/commands/test_backup.py"
    )
    assert mirror("privacy_admin/audit/management/commands/audit_seal.py") == (
        "tests/audit/management/commands/test_audit_seal.py"
    )


def test_test_mirror_exempts_only_modules_with_nothing_to_test_alone() -> None:
    mirror = conventions.mirror_of
    for path in (
        "loans/__init__.py",
        "loans/apps.py",
        "loans/urls.py",
        "loans/notice_urls.py",
        "register/urls/public.py",
        "loans/migrations/0001_initial.py",
        "loans/services/_common.py",
        "privacy_admin/settings.py",
        "privacy_admin/wsgi.py",
        "privacy_admin/registry/apps.py",
        "manage.py",
    ):
        assert mirror(path) is None, path
    # admin.py and labels.py are exempt while they only declare; a function makes them testable
    assert mirror("loans/labels.py", 'ACTION_LABELS = {"circulation.lend": "貸出"}\n') is None
    assert mirror("patrons/admin.py", "admin.site.register(Branch)\n") is None
    assert mirror("privacy_admin/audit/labels.py", "def action_label(code):\n    return code\n") == (
        "tests/audit/test_labels.py"
    )
    assert mirror(
        "loans/admin.py", "class A:\n    def has_add_permission(self, r):\n        return False\n"
    ) == ("tests/loans/test_admin.py")


def test_test_mirror_names_the_module_without_its_tests(tmp_path: Path) -> None:
    (tmp_path / "app" / "services").mkdir(parents=True)
    for name in ("app/__init__.py", "app/selectors.py", "app/services/__init__.py", "app/services/intake.py"):
        (tmp_path / name).write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "tests" / "app").mkdir(parents=True)
    (tmp_path / "tests" / "app" / "test_selectors.py").write_text("", encoding="utf-8")
    found = [(v.rule, v.path, v.message) for v in conventions.missing_mirrors(tmp_path)]
    assert found == [
        ("test-mirror", "app/services/intake.py", "its tests belong in tests/app/services/test_intake.py")
    ]
    (tmp_path / "tests" / "app" / "services").mkdir()
    (tmp_path / "tests" / "app" / "services" / "test_intake.py").write_text("", encoding="utf-8")
    assert list(conventions.missing_mirrors(tmp_path)) == []
