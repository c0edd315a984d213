"""No print, no export, nothing left on the terminal (002: 閲覧はできるがプリントアウトはできない;
データは端末機には保存されない).

- every page and endpoint not opened to operators refuses them and logs it; every download among them
  is refused, and the operator middleware turns any download that slips through into a logged 404;
- an operator's printout carries only the refusal, and each print attempt is logged;
- every response to an operator, and every page with personal data, is ``Cache-Control: no-store``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from outsourcing import print_guard
from outsourcing.middleware import is_download
from privacy_admin import urls as root_urls
from privacy_admin.audit.models import AuditEvent, Outcome
from privacy_admin.audit.permissions import role_required
from privacy_admin.core.roles import Role

from .scope_world import OPERATOR_MIDDLEWARE, World, build_world, install_operator_middleware
from .test_scope_pages import PAGE_CASES, PageCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(central: Any, pickup_counter: Any, general_category: Any) -> World:
    return build_world(central, pickup_counter, general_category)


@pytest.fixture
def with_operator_middleware(settings: Any) -> None:
    install_operator_middleware(settings)


PRINT_REFUSAL = "委託先の操作員は印刷できません（練馬区 審議会 2011: 閲覧はできるがプリントアウトはできない）"


@role_required(Role.CONTRACTOR, Role.COUNTER)
def _leaky_pdf(request: HttpRequest) -> HttpResponse:
    """A download opened to operators by mistake: the middleware must still refuse it."""
    return HttpResponse(b"%PDF-1.7 personal data", content_type="application/pdf")


@role_required(Role.CONTRACTOR, Role.COUNTER)
def _leaky_attachment(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("card,name\n", content_type="text/plain")
    response["Content-Disposition"] = 'attachment; filename="patrons.txt"'
    return response


# This module is also a URLconf: the project's, with the print-attempt URL the lead adds to
# privacy_admin/urls.py (skipped if already there) and two leaky test views.
_wired = any(getattr(p, "name", None) == "operator_print_attempt" for p in root_urls.urlpatterns)
urlpatterns = [
    *(
        []
        if _wired
        else [path("outsourcing/print-attempt/", print_guard.print_attempt, name="operator_print_attempt")]
    ),
    path("test-leak/pdf/", _leaky_pdf, name="test_leak_pdf"),
    path("test-leak/attachment/", _leaky_attachment, name="test_leak_attachment"),
    *root_urls.urlpatterns,
]
URLCONF = __name__


# --- the URL resolver: every page not opened to operators refuses them ------------------------------


def _routes(patterns: list[Any], namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _routes(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name or ""
            yield name, prefix + str(p.pattern), p.callback


def _concrete(route: str) -> str:
    """A path for a route, with a plausible value for each converter (ids that do not exist)."""
    route = re.sub(r"<int:[^>]+>", "999999", route)
    route = re.sub(r"<uuid:[^>]+>", str(uuid.uuid4()), route)
    route = re.sub(r"<(?:str:|slug:|path:)?[^>]+>", "x", route)
    return "/" + route


def gated_routes() -> list[tuple[str, str, tuple[str, ...]]]:
    """(view name, path, admitted roles) of every role-gated page outside the admin and the API."""
    found = []
    for name, route, callback in _routes(get_resolver().url_patterns):
        roles = getattr(callback, "allowed_roles", None)
        if roles is None or name.startswith(("admin:", "api:")) or route.startswith("^"):
            continue
        found.append((name, _concrete(route), tuple(str(r) for r in roles)))
    return found


EXPORT = re.compile(r"pdf|csv|json|export|download|print|postcard|package", re.IGNORECASE)
KNOWN_EXPORTS = {
    "loans:postcards_pdf",
    "letters:package_pdf",
    "letters:package_json",
    "letters:download",
    "incidents:pdf",
    "annual_reports:register_status_pdf",
    "annual_reports:enforcement_pdf",
    "access_review:pdf",
}


def test_every_page_not_opened_to_operators_refuses_them_and_logs_it(world: World, login: Any) -> None:
    client = login(world.op_east)
    refused = [(n, p) for n, p, roles in gated_routes() if Role.CONTRACTOR.value not in roles]
    assert len(refused) > 50
    for name, url in refused:
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        assert response.status_code == 403, (name, response.status_code)
        assert not is_download(response)
    denied = AuditEvent.objects.filter(action="access.denied", actor=world.op_east, outcome=Outcome.DENIED)
    assert denied.count() == len(refused)


def test_every_download_refuses_operators(world: World, login: Any) -> None:
    exports = {n: p for n, p, roles in gated_routes() if EXPORT.search(n) or EXPORT.search(p)}
    assert set(exports) >= KNOWN_EXPORTS
    open_to_operators = {n for n, _p, roles in gated_routes() if Role.CONTRACTOR.value in roles}
    # The print-attempt logger is the only "print" URL an operator may call, and it returns nothing.
    assert set(exports) & open_to_operators <= {"operator_print_attempt"}
    client = login(world.op_east)
    for name, url in exports.items():
        if name == "operator_print_attempt":
            continue
        for response in (client.get(url), client.post(url)):
            assert response.status_code in (403, 405), (name, response.status_code)
            assert not is_download(response)
    assert AuditEvent.objects.filter(action="access.denied", actor=world.op_east).exists()


def test_postcard_pdf_is_refused_to_an_operator_and_logged(world: World, login: Any) -> None:
    response = login(world.op_east).post(reverse("loans:postcards_pdf"))
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="access.denied", actor=world.op_east)
    assert (event.target_id, event.outcome) == ("loans:postcards_pdf", Outcome.DENIED)


@pytest.mark.urls(URLCONF)
@pytest.mark.usefixtures("with_operator_middleware")
@pytest.mark.parametrize("name", ["test_leak_pdf", "test_leak_attachment"])
def test_a_download_opened_to_operators_by_mistake_is_still_refused(
    name: str, world: World, login: Any
) -> None:
    response = login(world.op_east).get(reverse(name))
    assert response.status_code == 404
    assert b"personal data" not in response.content
    event = AuditEvent.objects.get(action="operator.export_denied")
    assert (event.actor_id, event.target_id, event.outcome) == (world.op_east.pk, name, Outcome.DENIED)


@pytest.mark.urls(URLCONF)
@pytest.mark.usefixtures("with_operator_middleware")
def test_library_staff_downloads_are_untouched(counter_staff: Any, login: Any) -> None:
    response = login(counter_staff).get(reverse("test_leak_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not AuditEvent.objects.filter(action="operator.export_denied").exists()


# --- printing -------------------------------------------------------------------------------------


def _static(path: str) -> str:
    found = finders.find(path)
    assert found, path
    return Path(found).read_text(encoding="utf-8")


def _detail_url(world: World) -> str:
    return reverse("patrons:detail", kwargs={"public_id": world.reader.public_id})


@pytest.mark.urls(URLCONF)
def test_operator_pages_carry_the_print_refusal_and_the_print_logger(world: World, login: Any) -> None:
    html = login(world.op_east).get(_detail_url(world)).content.decode()
    assert '<body class="operator-session">' in html
    assert PRINT_REFUSAL in html
    # Static files, not inline (Content-Security-Policy: tests/privacy_admin/test_security_headers.py).
    assert 'href="/static/css/operator_print.css"' in html
    assert 'src="/static/js/print_guard.js"' in html
    assert f'data-url="{reverse("operator_print_attempt")}"' in html
    assert "data-csrf-token=" in html
    refusal = "body.operator-session > :not(.print-refusal) { display: none !important; }"
    assert refusal in _static("css/operator_print.css")
    guard = _static("js/print_guard.js")
    assert 'window.addEventListener("beforeprint"' in guard and '"X-CSRFToken": token' in guard


def test_pages_render_without_the_print_logger_url_wired(world: World, login: Any) -> None:
    response = login(world.op_east).get(_detail_url(world))
    assert response.status_code == 200
    assert PRINT_REFUSAL in response.content.decode()


@pytest.mark.urls(URLCONF)
def test_staff_pages_have_no_print_refusal(world: World, login: Any, counter_staff: Any) -> None:
    html = login(counter_staff).get(_detail_url(world)).content.decode()
    assert PRINT_REFUSAL not in html and "beforeprint" not in html
    assert '<body class="">' in html


@pytest.mark.urls(URLCONF)
def test_print_attempt_is_logged_with_the_view_not_the_path(world: World, login: Any) -> None:
    page = _detail_url(world)
    response = login(world.op_east).post(reverse("operator_print_attempt"), {"page": page, "via": "print"})
    assert response.status_code == 204
    event = AuditEvent.objects.get(action="operator.print_attempt")
    assert (event.actor_id, event.target_type, event.target_id, event.outcome, event.detail) == (
        world.op_east.pk,
        "view",
        "patrons:detail",
        Outcome.DENIED,
        {"via": "print"},
    )
    assert str(world.reader.public_id) not in str(event.detail) + event.target_id


@pytest.mark.urls(URLCONF)
@pytest.mark.parametrize(
    ("page", "via", "target", "logged_via"),
    [
        ("/nowhere/", "print_shortcut", "unknown", "print_shortcut"),
        ("https://evil.example/patrons/", "save_shortcut", "unknown", "save_shortcut"),
        ("/patrons/\x00", "<script>", "unknown", "print"),
        ("/" + "a" * 600, "", "unknown", "print"),
    ],
)
def test_print_attempt_takes_bad_input_calmly(
    page: str, via: str, target: str, logged_via: str, world: World, login: Any
) -> None:
    response = login(world.op_east).post(reverse("operator_print_attempt"), {"page": page, "via": via})
    assert response.status_code == 204
    event = AuditEvent.objects.get(action="operator.print_attempt")
    assert (event.target_id, event.detail) == (target, {"via": logged_via})


@pytest.mark.urls(URLCONF)
def test_print_attempts_are_rate_limited(world: World, login: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    client = login(world.op_east)
    for _ in range(print_guard.MAX_PER_MINUTE + 5):
        assert (
            client.post(reverse("operator_print_attempt"), {"page": "/", "via": "print"}).status_code == 204
        )
    assert AuditEvent.objects.filter(action="operator.print_attempt").count() == print_guard.MAX_PER_MINUTE
    cache.clear()


@pytest.mark.urls(URLCONF)
def test_print_attempt_needs_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.op_east, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("operator_print_attempt"), {"page": "/"}).status_code == 403
    client.get(reverse("patrons:find"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("operator_print_attempt"), {"page": "/"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 204


@pytest.mark.urls(URLCONF)
@pytest.mark.parametrize(
    "persona", ["counter_staff", "privacy_officer", "administrator", "no_role_user"], indirect=True
)
def test_print_attempt_endpoint_is_for_operators_only(persona: Any, login: Any) -> None:
    response = login(persona).post(reverse("operator_print_attempt"), {"page": "/"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", actor=persona).exists()
    assert not AuditEvent.objects.filter(action="operator.print_attempt").exists()


@pytest.mark.urls(URLCONF)
def test_print_attempt_endpoint_sends_anonymous_to_login(client: Client) -> None:
    response = client.post(reverse("operator_print_attempt"), {"page": "/"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.urls(URLCONF)
def test_print_attempt_endpoint_is_post_only(world: World, login: Any) -> None:
    assert login(world.op_east).get(reverse("operator_print_attempt")).status_code == 405
    assert not AuditEvent.objects.filter(action="operator.print_attempt").exists()


# --- nothing cached on the terminal ---------------------------------------------------------------


def test_no_store_middleware_is_installed(settings: Any) -> None:
    assert "privacy_admin.accounts.middleware.NoStoreMiddleware" in settings.MIDDLEWARE


@pytest.mark.parametrize("case", PAGE_CASES, ids=lambda c: c.id)
def test_every_operator_page_with_personal_data_is_no_store(case: PageCase, world: World, login: Any) -> None:
    from .test_scope_pages import _call

    response = _call(login(getattr(world, case.in_scope)), case, world, case.in_scope)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    ["patrons:find", "loans:counter", "loans:return", "loans:pickup", "loans:notices", "loans:phone_sheet"],
)
def test_staff_pages_with_personal_data_are_no_store(url: str, login: Any, counter_staff: Any) -> None:
    response = login(counter_staff).get(reverse(url))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.usefixtures("with_operator_middleware")
@pytest.mark.parametrize(
    "url", ["/", "/no-such-page/", "/patrons/", "/circulation/return/", "/api/v1/branches"]
)
def test_every_response_to_an_operator_is_no_store(url: str, world: World, login: Any) -> None:
    response = login(world.op_east).get(url)
    assert "no-store" in response["Cache-Control"], (url, response.status_code)
    assert response["Pragma"] == "no-cache"


@pytest.mark.usefixtures("with_operator_middleware")
def test_operator_sign_out_clears_the_browser_cache(world: World, login: Any) -> None:
    response = login(world.op_east).post(reverse("accounts:logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'


@pytest.mark.usefixtures("with_operator_middleware")
def test_staff_sign_out_is_untouched(login: Any, counter_staff: Any) -> None:
    response = login(counter_staff).post(reverse("accounts:logout"))
    assert "Clear-Site-Data" not in response


def test_the_middleware_is_named_for_the_settings() -> None:
    from django.utils.module_loading import import_string

    assert import_string(OPERATOR_MIDDLEWARE).__name__ == "OperatorSessionMiddleware"


def test_every_action_written_here_has_a_japanese_label() -> None:
    from privacy_admin.audit.labels import ACTION_LABELS

    written = {
        "operator.print_attempt",
        "operator.export_denied",
        "operator.admin_denied",
        "patron.out_of_scope",
        "circulation.out_of_scope",
    }
    assert {action: ACTION_LABELS.get(action) for action in written if not ACTION_LABELS.get(action)} == {}
