"""House rules the code enforces (architecture.md), in the manner of Zulip's custom_check: each rule
reads the source (AST, never imports it), has good and bad examples in ``tests/tools/test_conventions.py``,
and names file and line. ``python -m tools.conventions`` runs them all; ``make test`` runs it.

Rules:

- ``link-delete``: a loan, reservation or damage case — a row linking a patron to an item — is deleted
  by ``loans/erasure.py`` only (its rules count, ledger and document every erasure).
- ``personal-orm-in-interface``: views, forms, template tags and API modules reach personal-data
  models (the models with fields in the field inventory, ``declare_personal_fields``) through
  actor-scoped selectors, never through ``Model.objects`` / ``get_object_or_404(Model, …)``.
- ``selector-view-event``: every selector that returns personal data writes its view event (domain §2:
  every look at a patron's data leaves a trace), or says why not. Precisely:

  * a *selector* is a public (no leading ``_``) top-level function of a selectors module:
    ``selectors.py``, ``<name>_selectors.py`` or ``selectors/<name>.py``;
  * it *returns personal data* when its return annotation names a personal-data model
    (``personal_models()``: ``Patron``, ``QuerySet[Loan]``, ``list[tuple[PrivacyRequest, date]]``…), or a
    class of the same module whose annotated fields name one (a row dataclass holding a request); a
    selector without a return annotation, or annotated ``Any``, returns personal data when its body
    names such a model;
  * it *writes its view event* when its body calls ``audit_record`` with a literal ``action`` that
    ends in ``.view`` / ``.search`` / ``.list`` / ``.download`` / ``.preview`` / ``.export`` (or
    ``…_view``: ``circulation.hold_shelf_view``), or calls a view-recording helper, named
    ``…record_view`` / ``…record_search`` / ``…record_list`` / ``…record_download``
    (``patron_record_view``);
  * otherwise it carries one of the markers of ``privacy_admin/core/view_events.py`` with a literal,
    non-empty reason: ``@view_logged_by_caller("…")`` (a building block: its caller shows the data
    and writes the event) or ``@no_view_event("…")`` (it shows no one a person's data — a count, a
    masked number — or the house decided not to log it).
- ``actor-typed``: a function's ``actor`` parameter is typed ``Actor`` (``privacy_admin/core/actor.py``),
  never ``Any`` or left unannotated, so the type checker sees what services and selectors are handed.

- ``test-mirror``: every module with logic has its tests where its path says
  (``loans/services/lending.py`` -> ``tests/loans/services/test_lending.py``; ``mirror_of`` gives the
  whole mapping and the exempt kinds of module).

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


# test-mirror: a module's tests live where its path says (README "Layout"). The rule, path for path:
#
#   <app>/<package>/<module>.py                    -> tests/<app>/<package>/test_<module>.py
#   privacy_admin/<component>/<package>/<module>.py -> tests/<component>/<package>/test_<module>.py
#       for the project's components (accounts, audit, core, devmail, dispatch): each has its own
#       tests/ folder, as the top-level apps do;
#   privacy_admin/<module>.py (the wiring)         -> tests/privacy_admin/test_<module>.py
#   management commands and template tags too:
#   <app>/management/commands/<command>.py         -> tests/<app>/management/commands/test_<command>.py
#
# Exempt — modules with nothing to test on their own, each category for one reason:
#   __init__.py   package markers and re-exports of the modules below them (tested there);
#   apps.py       AppConfig wiring: what ``ready()`` registers is tested through the registry asked
#                 (tests/privacy_admin/test_components.py, the scope and label registries);
#   migrations/   schema history: migrations are tested by the migration tests of their app;
#   urls.py, <name>_urls.py, urls/   routing: every route is tested through its views;
#   admin.py, labels.py   when they define no function: admin registrations (list_display,
#                 search_fields) and an app's action -> label dicts are declarations; the labels are
#                 tested together by tests/core/test_labels.py (every action code written has a label).
#                 One with a function (a permission, an admin action, a label lookup) has its file;
#   _<name>.py    a package's private helpers (``loans/services/_common.py``): tested through the
#                 public modules that use them;
#   settings.py, wsgi.py, asgi.py   configuration and server entry points (settings are tested
#                 through what they configure: tests/privacy_admin/test_checks.py, test_security_headers.py);
#   privacy_admin/registry/   only the register's and incidents' old migrations remain.
# Every other module — anything with logic — has its file.
MIRROR_APPS_SKIP = {"tools", "bench", "scripts", "tests", "docs", "templates", "static", "locale", "var"}
MIRROR_COMPONENTS = {"accounts", "audit", "core", "devmail", "dispatch"}
MIRROR_EXEMPT_NAMES = {"__init__.py", "apps.py", "urls.py"}
MIRROR_DECLARATIONS = {"admin.py", "labels.py"}  # exempt while they define no function
MIRROR_EXEMPT_PATHS = {"privacy_admin/settings.py", "privacy_admin/wsgi.py", "privacy_admin/asgi.py"}
MIRROR_EXEMPT_DIRS = {"migrations", "urls"}


def mirror_of(path: str, source: str = "") -> str | None:
    """The test file of a source module (``loans/services/lending.py`` ->
    ``tests/loans/services/test_lending.py``), or None for a module exempt from the rule."""
    parts = path.split("/")
    if parts[-1] in MIRROR_DECLARATIONS and not any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) for node in ast.walk(ast.parse(source))
    ):
        return None
    if (
        len(parts) < 2
        or parts[0] in MIRROR_APPS_SKIP
        or parts[-1] in MIRROR_EXEMPT_NAMES
        or parts[-1].endswith("_urls.py")
        or parts[-1].startswith("_")
        or path in MIRROR_EXEMPT_PATHS
        or MIRROR_EXEMPT_DIRS.intersection(parts[:-1])
        or parts[:2] == ["privacy_admin", "registry"]
    ):
        return None
    folders = parts[:-1]
    if folders[0] == "privacy_admin" and len(folders) > 1 and folders[1] in MIRROR_COMPONENTS:
        folders = folders[1:]
    return "/".join(["tests", *folders, "test_" + parts[-1]])


def missing_mirrors(root: Path) -> Iterator[Violation]:
    """Every source module whose mirror test file is missing (see ``mirror_of``)."""
    for path in _sources(root):
        rel = path.relative_to(root).as_posix()
        wanted = mirror_of(rel, path.read_text(encoding="utf-8"))
        if wanted is not None and not (root / wanted).is_file():
            yield Violation("test-mirror", rel, 1, f"its tests belong in {wanted}")


SELECTOR_MODULE = re.compile(r"(^|/)([a-z_]+_)?selectors\.py$|(^|/)selectors/[^/]+\.py$")
VIEW_ACTION = re.compile(r"[._](view|search|list|download|preview|export)$")
VIEW_RECORDER = re.compile(r"(^|_)record_(view|search|list|download)$")
VIEW_MARKERS = ("view_logged_by_caller", "no_view_event")


def _names(node: ast.AST | None) -> set[str]:
    """The names an annotation (or any expression) mentions, string annotations included."""
    found: set[str] = set()
    if node is None:
        return found
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            found.add(sub.attr)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", sub.value))
    return found


def _class_holds(name: str, classes: dict[str, ast.ClassDef], models: set[str], seen: set[str]) -> bool:
    """Whether a class of the module has an annotated field naming a personal-data model (or such a class)."""
    if name in seen or name not in classes:
        return False
    seen.add(name)
    for stmt in classes[name].body:
        if isinstance(stmt, ast.AnnAssign):
            names = _names(stmt.annotation)
            if names & models or any(_class_holds(n, classes, models, seen) for n in names):
                return True
    return False


def _returns_personal(
    func: ast.FunctionDef | ast.AsyncFunctionDef, models: set[str], classes: dict[str, ast.ClassDef]
) -> set[str]:
    """The personal-data models (or row classes holding one) the selector returns; empty if none."""
    names = _names(func.returns)
    if not names or names == {"Any"}:
        return {n.id for stmt in func.body for n in ast.walk(stmt) if isinstance(n, ast.Name)} & models
    return (names & models) | {n for n in names if _class_holds(n, classes, models, set())}


def _call_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


def _is_view_action(value: ast.expr) -> bool:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return bool(VIEW_ACTION.search(value.value))
    if isinstance(value, ast.JoinedStr) and value.values:  # f"{kind}.view": the literal tail decides
        tail = value.values[-1]
        return isinstance(tail, ast.Constant) and bool(VIEW_ACTION.search(str(tail.value)))
    return False


def _writes_view_event(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for node in ast.walk(func):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if VIEW_RECORDER.search(name):
            return True
        if name == "audit_record" and any(
            k.arg == "action" and _is_view_action(k.value) for k in node.keywords
        ):
            return True
    return False


def _view_marker(func: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.Call | ast.expr | None:
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
        if name in VIEW_MARKERS:
            return decorator
    return None


def selector_view_events(source: str, path: str, models: set[str]) -> Iterator[Violation]:
    if not SELECTOR_MODULE.search(path):
        return
    tree = ast.parse(source)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    for func in tree.body:
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or func.name.startswith("_"):
            continue
        returned = _returns_personal(func, models, classes)
        if not returned:
            continue
        marker = _view_marker(func)
        if marker is not None:
            reason = marker.args[0] if isinstance(marker, ast.Call) and len(marker.args) == 1 else None
            if not (
                isinstance(reason, ast.Constant) and isinstance(reason.value, str) and reason.value.strip()
            ):
                yield Violation(
                    "selector-view-event",
                    path,
                    func.lineno,
                    f"{func.name}: give the marker one literal, non-empty reason",
                )
            continue
        if _writes_view_event(func):
            continue
        yield Violation(
            "selector-view-event",
            path,
            func.lineno,
            f"{func.name} returns personal data ({', '.join(sorted(returned))}) and writes no view event: "
            'call audit_record(action="….view") or a …_record_view helper, or mark it '
            '@view_logged_by_caller("who logs") / @no_view_event("why") (privacy_admin/core/view_events.py)',
        )


def untyped_actors(source: str, path: str) -> Iterator[Violation]:
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            if arg.arg != "actor":
                continue
            if arg.annotation is None or _names(arg.annotation) == {"Any"}:
                shown = "unannotated" if arg.annotation is None else "Any"
                yield Violation(
                    "actor-typed",
                    path,
                    arg.lineno,
                    f"{node.name}(actor: {shown}): type it Actor (privacy_admin.core.actor)",
                )


# (rule, path) -> (how many, why). Known exceptions, to be removed as they are fixed.
_ACCOUNTS_IN_FLIGHT = "privacy_admin/accounts is being reworked (sign-in lockout, API tokens): type it there"
EXCEPTIONS: dict[tuple[str, str], tuple[int, str]] = {
    ("actor-typed", "privacy_admin/accounts/lockout.py"): (2, _ACCOUNTS_IN_FLIGHT),
    ("actor-typed", "privacy_admin/accounts/otp.py"): (2, _ACCOUNTS_IN_FLIGHT),
    ("actor-typed", "privacy_admin/accounts/services.py"): (3, _ACCOUNTS_IN_FLIGHT),
}

Check = Callable[[str, str, set[str]], Iterator[Violation]]
CHECKS: list[Check] = [
    lambda source, path, models: link_deletes(source, path),
    personal_orm_in_interface,
    selector_view_events,
    lambda source, path, models: untyped_actors(source, path),
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
    for violation in missing_mirrors(root):
        counts.setdefault((violation.rule, violation.path), []).append(violation)
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
