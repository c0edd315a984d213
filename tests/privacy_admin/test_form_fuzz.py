"""Every form in the product, posted hostile values, answers below 500 (issue 14: no server error on any
input). So do the list and search pages given hostile query parameters.

The test builds one demo world (``manage.py seed_demo``) for the module, walks the URL resolver, opens
each page as a role that may use it (real ids from the world), reads the page's own forms with
``html.parser``, and posts values hypothesis draws for each field: plausible ones (the form's own
options, dates, numbers) mixed with NUL, 10,000-character strings, emoji, RTL marks, half-width kana,
impossible dates, huge numbers and bytes that are not UTF-8. A failure prints the URL, the role and the
values. Bounded (a few examples a form, fewer for slow ones, e.g. PDFs) so the module runs in minutes.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import import_module
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from privacy_admin.core.dates import today

# The marker makes pytest-django create the test database; the world lives in a module-wide transaction
# that is rolled back at the end, and each test runs in a savepoint within it.
pytestmark = pytest.mark.django_db

EXAMPLES = 8  # a form, after the boundary sweep
SLOW_EXAMPLES = 3  # a form whose plain post takes over a second (PDFs, whole-register print)
QUERY_EXAMPLES = 5  # a list or search page
SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/system/outbox/")
SKIP_NAMES = {"accounts:logout", "mypage:logout"}
COMMON_QUERY_NAMES = ("q", "page", "status", "kind", "fy", "month", "branch", "state", "layout")
# Who opens a page first; the others are tried when the first is refused.
ROLE_BY_NAMESPACE = {
    "patrons": "counter",
    "loans": "counter",
    "requests": "officer",
    "letters": "officer",
    "complaints": "officer",
    "incidents": "officer",
    "audit": "officer",
    "oversight": "officer",
    "access_review": "officer",
    "annual_reports": "officer",
    "registry": "admin",
    "register_print": "admin",
    "outsourcing": "admin",
    "backups": "admin",
    "accounts": "admin",
    "mypage": "patron",
    "public_register": "anonymous",
}
ROLES = ("admin", "officer", "counter", "operator", "patron", "anonymous")

HOSTILE_TEXT = [
    "\x00",
    "山田\x00太郎",
    "あ" * 10_000,
    "x" * 10_000,
    "😀👨\u200d👩\u200d👧",
    "\u202e逆向き\u202c",
    "\u200b\ufeff",
    "ﾔﾏﾀﾞ ﾀﾛｳ",
    "../../../../etc/passwd",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "2026-02-30",
    "0000-00-00",
    "1868-01-01",
    "1872-12-31",
    "9999-12-31",
    "10000-01-01",
    "2026/13/45",
    "99999999999",
    "9" * 40,
    "-99999999999",
    "1e308",
    "NaN",
    "",
    " ",
    "\r\n",
]
HOSTILE_BYTES = [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xe3\x81", b"\x80abc"]


# --- reading forms --------------------------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, date, number, file, hidden, …
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class PageForm:
    method: str
    action: str
    fields: dict[str, FormField] = field(default_factory=dict)


class FormReader(HTMLParser):
    """The forms of a page: method, action and fields with their kind, value and options."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            # htmx forms post to hx-post; the others to action (or the page itself).
            method = "post" if a.get("hx-post") is not None else a.get("method", "get").lower()
            action = a.get("hx-post") or a.get("action") or self.url
            self._form = PageForm(method=method, action=urljoin(self.url, action))
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            current = self._form.fields.get(name)
            if current is not None and kind in ("radio", "checkbox"):
                current.options.append(a.get("value", "on"))
                current.multiple = kind == "checkbox"
                return
            self._form.fields[name] = FormField(
                name,
                kind,
                a.get("value", ""),
                [a.get("value", "on")] if kind in ("radio", "checkbox") else [],
            )
        elif tag == "select":
            self._select = FormField(name, "select", multiple="multiple" in a)
            self._form.fields[name] = self._select
        elif tag == "textarea":
            self._textarea = FormField(name, "textarea")
            self._form.fields[name] = self._textarea

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data


def read_forms(url: str, html: str) -> list[PageForm]:
    reader = FormReader(url)
    reader.feed(html)
    return reader.forms


# --- the world ------------------------------------------------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}".strip(":") if p.namespace else ns
            yield from _patterns(p, prefix + str(p.pattern), inner)
        else:
            yield prefix + str(p.pattern), f"{ns}:{p.name}".strip(":"), p


def _first(model_path: str, **filters: Any) -> Any:
    module, name = model_path.rsplit(".", 1)
    model = getattr(import_module(module), name)
    return model.objects.filter(**filters).order_by("pk").first()


def _args(route: str, name: str) -> dict[str, Any] | None:
    """Real values for the route's parameters from the demo world; None when the world has none."""
    namespace = name.split(":")[0]
    params = [part.split(">")[0].split(":")[-1] for part in route.split("<")[1:]]
    if not params:
        return {}
    # The model a route's <pk> names, by the route's beginning (the longest first).
    models = {
        "patrons/paper-forms/": "patrons.models.PaperApplicationForm",
        "circulation/damage-cases/": "loans.models.DamageCase",
        "circulation/notices/": "loans.models.Notice",
        "requests/letters/request/": "disclosure_requests.models.PrivacyRequest",
        "requests/letters/": "disclosure_requests.models.Letter",
        "requests/complaints/": "disclosure_requests.models.Complaint",
        "requests/": "disclosure_requests.models.PrivacyRequest",
        "registry/print/entries/": "register.models.RegisterEntry",
        "registry/print/": "register.models.RegisterPrint",
        "registry/incidents/": "incidents.models.Incident",
        "registry/": "register.models.RegisterEntry",
        "public/register/": "register.models.RegisterEntry",
        "outsourcing/oversight/contracts/": "outsourcing.models.Contract",
        "outsourcing/oversight/my/contracts/": "outsourcing.models.Contract",
        "outsourcing/oversight/reports/": "outsourcing.models.BusinessReport",
        "outsourcing/oversight/my/reports/": "outsourcing.models.BusinessReport",
        "outsourcing/oversight/audits/": "outsourcing.models.OnSiteAudit",
        "outsourcing/oversight/actions/": "outsourcing.models.CorrectiveAction",
        "outsourcing/contractors/": "outsourcing.models.Contractor",
        "outsourcing/contracts/": "outsourcing.models.Contract",
        "backups/": "backups.models.BackupMedium",
        "my/loans/": "loans.models.Loan",
        "my/reservations/": "loans.models.Reservation",
    }
    del namespace
    values: dict[str, Any] = {}
    try:
        if name == "requests:amend_complete":
            child = _first("disclosure_requests.models.Amendment")
            return None if child is None else {"pk": child.request_id, "amendment_pk": child.pk}
        if name == "requests:opinion":
            child = _first("disclosure_requests.models.ThirdPartyConsultation")
            return None if child is None else {"pk": child.request_id, "consultation_pk": child.pk}
        if "handler_pk" in params:
            child = _first("outsourcing.models.Handler")
            return None if child is None else {"pk": child.contract_id, "handler_pk": child.pk}
        if name == "public_register:form_pdf":
            return None
        if name == "access_review:operator":
            return {"pk": get_user_model().objects.get(username="operator").pk}
        for param in params:
            if param == "public_id":
                patron = _first("patrons.models.Patron", cancelled_on__isnull=True)
                values[param] = patron.public_id
                continue
            model = next(
                (m for key, m in sorted(models.items(), key=lambda kv: -len(kv[0])) if route.startswith(key)),
                None,
            )
            if model is None:
                return None
            obj = _first(model)
            if obj is None:
                return None
            values[param] = obj.pk
    except (AttributeError, LookupError, ImportError):
        return None
    return values


def _fill(route: str, args: dict[str, Any]) -> str:
    path = "/" + route
    for key, value in args.items():
        for converter in ("int", "str", "uuid", "slug", "path", ""):
            token = f"<{converter}:{key}>" if converter else f"<{key}>"
            path = path.replace(token, str(value))
    return path


def _clients(world: dict[str, Any]) -> dict[str, Client]:
    clients: dict[str, Client] = {}
    users = get_user_model().objects
    for role, username in (
        ("admin", "admin"),
        ("officer", "officer"),
        ("counter", "counter"),
        ("operator", "operator"),
    ):
        user = users.filter(username=username).first()
        if user is None:
            continue
        client = Client(raise_request_exception=True)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        clients[role] = client
    clients["anonymous"] = Client(raise_request_exception=True)
    patron = world.get("patron")
    if patron is not None:
        from mypage.auth import LAST_SEEN, SESSION_KEY

        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = patron.pk
        store[LAST_SEEN] = int(time.time())
        store.save()
        client = Client(raise_request_exception=True)
        client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
        clients["patron"] = client
    return clients


@dataclass
class Target:
    url: str
    role: str
    form: PageForm


@dataclass
class World:
    clients: dict[str, Client]
    posts: list[Target]
    queries: list[Target]
    unreached: list[str]


def _discover(clients: dict[str, Client]) -> World:
    posts: dict[str, Target] = {}
    queries: dict[str, Target] = {}
    unreached: list[str] = []
    for route, name, _pattern in _patterns(get_resolver()):
        if "(?P" in route or "^" in route or name in SKIP_NAMES:
            continue
        args = _args(route, name)
        if args is None:
            unreached.append(name)
            continue
        url = _fill(route, args)
        if url.startswith(SKIP_PREFIXES) or url.endswith((".pdf", ".json", ".csv")):
            continue
        first = ROLE_BY_NAMESPACE.get(name.split(":")[0], "admin")
        for role in (first, *[r for r in ROLES if r != first]):
            client = clients.get(role)
            if client is None:
                continue
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode("utf-8", "replace")
            for form in read_forms("http://testserver" + url, html):
                action = urlsplit(form.action).path
                if action.startswith(SKIP_PREFIXES) or action.endswith("/logout/"):
                    continue
                target = Target(action, role, form)
                if form.method == "post":
                    posts.setdefault(f"{action}|{','.join(sorted(form.fields))}", target)
                else:
                    queries.setdefault(f"{action}|{','.join(sorted(form.fields))}", target)
            if "/list" in url or url.rstrip("/").count("/") <= 2:
                queries.setdefault(f"{url}|q", Target(url, role, PageForm("get", url)))
            break
        else:
            unreached.append(name)
    return World(clients, list(posts.values()), list(queries.values()), unreached)


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", patrons=12, stdout=io.StringIO())
            patron = _first("patrons.models.Patron", cancelled_on__isnull=True)
            clients = _clients({"patron": patron})
            yield _discover(clients)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- values ---------------------------------------------------------------------------------------

hostile = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(HOSTILE_BYTES),
    st.text(max_size=40),
    st.binary(max_size=12),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


def _plausible(f: FormField) -> st.SearchStrategy[Any]:
    """A value the form would likely take, so that a hostile value in another field reaches the service."""
    if f.options:
        return st.sampled_from(f.options)
    if f.kind == "date":
        return st.integers(min_value=0, max_value=400).map(
            lambda n: (today() - dt.timedelta(days=n)).isoformat()
        )
    if f.kind in ("number", "range"):
        return st.integers(min_value=0, max_value=100).map(str)
    if f.kind in ("checkbox", "radio"):
        return st.just(f.value or "on")
    if f.value:
        return st.just(f.value)
    return st.sampled_from(["山田", "ヤマダ", "中央図書館", "利用登録の情報", "1"])


EDGE_DATES = ["1868-01-01", "1872-12-31", "0001-01-01", "9999-12-31", "2026-02-30"]
EDGE_NUMBERS = ["99999999999", "-99999999999", "9" * 40]
EDGE_TEXT = ["山田\x00", "あ" * 10_000, "\u202e逆"]


def _base(f: FormField) -> Any:
    """One plausible value a field, deterministic: the sweep changes one field of these at a time."""
    if f.options:
        return next((o for o in f.options if o), f.options[0])
    if f.kind == "date" or f.name.endswith("_on"):
        return (today() - dt.timedelta(days=1)).isoformat()
    if f.kind in ("number", "range"):
        return "1"
    if f.kind in ("checkbox", "radio"):
        return f.value or "on"
    return f.value or "山田"


def _edges(f: FormField) -> list[Any]:
    """The boundary values of a field's kind: the dates 和暦 cannot write, numbers no column holds."""
    if f.kind == "file":
        return []
    if f.kind == "date" or f.name.endswith(("_on", "_from", "_to")):
        return EDGE_DATES
    if f.kind in ("number", "range") or f.name in ("number", "page", "people_count", "days"):
        return EDGE_NUMBERS
    if f.kind in ("select", "radio", "checkbox", "hidden"):
        return ["\x00", "9" * 40]
    return EDGE_TEXT


def _values(fields: dict[str, FormField]) -> st.SearchStrategy[dict[str, Any]]:
    """Plausible values for every field, then one to three fields hostile (or left out)."""
    names = sorted(fields)
    base = st.fixed_dictionaries({name: _plausible(fields[name]) for name in names})
    if not names:
        return base
    changes = st.dictionaries(st.sampled_from(names), st.one_of(hostile, st.none()), min_size=1, max_size=3)

    def mutate(pair: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
        values, changed = pair
        values.update(changed)
        for name, value in changed.items():
            if fields[name].multiple and value is not None:
                values[name] = [value]
        return values

    return st.tuples(base, changes).map(mutate)


def _body(fields: dict[str, FormField], values: dict[str, Any]) -> bytes:
    pairs: list[tuple[str, Any]] = []
    for name, value in values.items():
        if value is None or name == "csrfmiddlewaretoken":
            continue
        for one in value if isinstance(value, list) else [value]:
            pairs.append((name, one))
    return urlencode(pairs).encode("ascii")


def _multipart(fields: dict[str, FormField], values: dict[str, Any]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data: dict[str, Any] = {}
    for name, value in values.items():
        if value is None or name == "csrfmiddlewaretoken":
            continue
        if fields[name].kind == "file":
            raw = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
            data[name] = SimpleUploadedFile("fuzz.csv", raw if isinstance(raw, bytes) else b"", "text/csv")
        elif isinstance(value, bytes):
            data[name] = value.decode("latin-1")
        else:
            data[name] = value
    return data


class ServerError(Exception):
    pass


def _send(client: Client, target: Target, values: dict[str, Any]) -> int:
    has_file = any(f.kind == "file" for f in target.form.fields.values())
    # A savepoint a request: a failed request must not poison the module's transaction.
    try:
        with transaction.atomic():
            if has_file:
                response = client.post(target.url, _multipart(target.form.fields, values))
            else:
                response = client.post(
                    target.url,
                    _body(target.form.fields, values),
                    content_type="application/x-www-form-urlencoded",
                )
            if response.status_code >= 500:
                raise ServerError(f"status {response.status_code}")
    except ServerError:
        raise
    except Exception as exc:
        raise ServerError(f"{type(exc).__name__}: {str(exc)[:300]}") from exc
    return response.status_code


def _describe(target: Target, values: dict[str, Any], error: Exception) -> str:
    shown = {
        k: (f"{v[:40]!r}…({len(v)})" if isinstance(v, str | bytes) and len(v) > 40 else v)
        for k, v in values.items()
    }
    return f"POST {target.url} as {target.role}: {error}\n    values: {shown!r}"


def test_the_world_reaches_the_product_forms(world: World) -> None:
    reached = {t.url for t in world.posts}
    assert len(world.posts) >= 30, sorted(reached)
    for url in ("/requests/receive/", "/registry/new/", "/patrons/register/", "/requests/complaints/new/"):
        assert url in reached, (url, sorted(reached))


def _fuzz_form(target: Target, client: Client, examples: int) -> str | None:
    """Post ``examples`` drawn value sets; the first server error, described, or None."""
    found: list[str] = []

    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(values=_values(target.form.fields))
    def post(values: dict[str, Any]) -> None:
        try:
            _send(client, target, values)
        except ServerError as exc:
            found.append(_describe(target, values, exc))
            raise

    try:
        post()
    except ServerError:
        return found[-1]
    return None


def _probe_page(target: Target, client: Client) -> str | None:
    """GET the page with drawn query parameters; the first server error, described, or None."""
    names = sorted({*target.form.fields, *COMMON_QUERY_NAMES})
    found: list[str] = []

    @hypothesis_settings(
        max_examples=QUERY_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(values=st.dictionaries(st.sampled_from(names), hostile, min_size=1, max_size=3))
    def probe(values: dict[str, Any]) -> None:
        query = urlencode(list(values.items()))
        try:
            with transaction.atomic():
                status = client.get(f"{target.url}?{query}").status_code
                if status >= 500:
                    raise ServerError(f"status {status}")
        except Exception as exc:  # the view raised: a 500 in production
            found.append(f"GET {target.url}?{query} as {target.role}: {type(exc).__name__}: {exc!s:.300}")
            raise ServerError from exc

    try:
        probe()
    except ServerError:
        return found[-1]
    return None


def _sweep(target: Target, client: Client) -> str | None:
    """Plausible values everywhere but one field, which takes each boundary value of its kind."""
    base = {name: _base(f) for name, f in target.form.fields.items()}
    for name, f in target.form.fields.items():
        for edge in _edges(f):
            values = {**base, name: [edge] if f.multiple else edge}
            try:
                _send(client, target, values)
            except ServerError as exc:
                return _describe(target, values, exc)
    return None


def test_no_form_answers_a_server_error_whatever_is_posted(world: World) -> None:
    failures: list[str] = []
    for target in world.posts:
        client = world.clients[target.role]
        started = time.monotonic()
        plain = {
            name: f.value or (f.options[0] if f.options else "") for name, f in target.form.fields.items()
        }
        try:
            _send(client, target, plain)
        except ServerError as exc:
            failures.append(_describe(target, plain, exc))
            continue
        slow = time.monotonic() - started >= 1.0
        failure = None if slow else _sweep(target, client)
        failure = failure or _fuzz_form(target, client, SLOW_EXAMPLES if slow else EXAMPLES)
        if failure:
            failures.append(failure)
    assert not failures, "server errors:\n" + "\n".join(failures)


def test_no_list_or_search_page_answers_a_server_error_whatever_is_asked(world: World) -> None:
    failures = [f for t in world.queries if (f := _probe_page(t, world.clients[t.role]))]
    assert not failures, "server errors:\n" + "\n".join(failures)
