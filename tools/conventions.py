"""House rules the code enforces (architecture.md), in the manner of Zulip's custom_check: each rule
reads the source (AST, never imports it), has good and bad examples in ``tests/tools/test_conventions.py``,
and names file and line. ``python -m tools.conventions`` runs them all; ``make test`` runs it.

Rules:

- ``link-delete``: a loan, reservation or damage case — a row linking a patron to an item — is deleted
  by ``loans/erasure.py`` only (its rules count, ledger and document every erasure).
- ``personal-orm-in-interface``: views, forms, template tags and API modules reach personal-data
  models (the models with fields in the field inventory, ``declare_personal_fields``) through
  actor-scoped selectors, never through ``Model.objects`` / ``get_object_or_404(Model, …)``.

Known exceptions are listed in ``EXCEPTIONS`` with the reason; an exception that no longer occurs
fails too, so the list only shrinks.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", ".tools", "tests", "var", "bench", "tools", "migrations", "node_modules", ".git"}

LINK_MODELS = {"Loan", "Reservation", "DamageCase"}
LINK_TABLES = {"loans_loan", "loans_reservation", "loans_damagecase"}
LINK_RELATED = {"loans", "reservations", "damage_cases", "loan"}
ERASURE_MODULE = "loans/erasure.py"
_DECLARED = re.compile(r"declare_personal_fields\(\s*\"[a-z_]+\.([A-Za-z]+)\"")
INTERFACE = re.compile(
    r"(^|/)(views|[a-z_]+_views|forms|[a-z_]+_forms|api|[a-z_]+_api)\.py$|/templatetags/[^/]+\.py$"
)


@dataclass(frozen=True)
class Violation:
    rule: str
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


def personal_models(root: Path = ROOT) -> set[str]:
    """Model names with fields in the field inventory (read from the source, not by importing it)."""
    found: set[str] = set()
    for path in _sources(root):
        found |= set(_DECLARED.findall(path.read_text(encoding="utf-8")))
    return found


def _sources(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        if not SKIP_DIRS.intersection(path.relative_to(root).parts):
            yield path


def link_deletes(source: str, path: str) -> Iterator[Violation]:
    if path == ERASURE_MODULE:
        return
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("delete", "_raw_delete"):
                receiver = node.func.value
                names = {n.id for n in ast.walk(receiver) if isinstance(n, ast.Name)}
                attrs = {n.attr for n in ast.walk(receiver) if isinstance(n, ast.Attribute)}
                if names & LINK_MODELS or attrs & LINK_RELATED:
                    yield Violation(
                        "link-delete", path, node.lineno, "delete patron–item records through loans.erasure"
                    )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.lower()
            if "delete from" in text and any(t in text for t in LINK_TABLES):
                yield Violation(
                    "link-delete", path, node.lineno, "DELETE of a patron–item table outside loans.erasure"
                )


def personal_orm_in_interface(source: str, path: str, models: set[str]) -> Iterator[Violation]:
    if not INTERFACE.search(path):
        return
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("objects", "_default_manager")
            and isinstance(node.value, ast.Name)
            and node.value.id in models
        ):
            yield Violation(
                "personal-orm-in-interface",
                path,
                node.lineno,
                f"{node.value.id}.{node.attr} in an interface module: read through an actor-scoped selector",
            )
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("get_object_or_404", "get_list_or_404")
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in models
        ):
            yield Violation(
                "personal-orm-in-interface",
                path,
                node.lineno,
                f"{node.func.id}({node.args[0].id}) in an interface module: read through an actor-scoped selector",
            )


# (rule, path) -> (how many, why). Known exceptions, to be removed as they are fixed.
EXCEPTIONS: dict[tuple[str, str], tuple[int, str]] = {}

Check = Callable[[str, str, set[str]], Iterator[Violation]]
CHECKS: list[Check] = [
    lambda source, path, models: link_deletes(source, path),
    personal_orm_in_interface,
]


def run(root: Path = ROOT) -> list[str]:
    """Every violation not excused, and every excuse that no longer matches; empty when all is well."""
    models = personal_models(root)
    counts: dict[tuple[str, str], list[Violation]] = {}
    for path in _sources(root):
        rel = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        for check in CHECKS:
            for violation in check(source, rel, models):
                counts.setdefault((violation.rule, rel), []).append(violation)
    problems: list[str] = []
    for key, found in sorted(counts.items()):
        allowed = EXCEPTIONS.get(key, (0, ""))[0]
        if len(found) > allowed:
            problems += [str(v) for v in found]
    for key, (allowed, why) in sorted(EXCEPTIONS.items()):
        if len(counts.get(key, [])) < allowed:
            problems.append(
                f"{key[1]}: [{key[0]}] the exception ({allowed}: {why}) is larger than what remains "
                f"({len(counts.get(key, []))}): lower it in tools/conventions.py"
            )
    return problems


def main() -> int:
    problems = run()
    for problem in problems:
        print(problem)
    print(f"conventions: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
