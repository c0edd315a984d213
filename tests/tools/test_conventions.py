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
