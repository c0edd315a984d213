from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

import pytest
from django.db import transaction
from django.urls import reverse

from patrons.models import Branch, Patron
from privacy_admin.audit import services
from privacy_admin.audit.models import AuditEvent, Outcome
from tests.factories import PatronFactory


def audit_record(**fields: Any) -> AuditEvent:
    """An event to find, written as a service writes it: inside its own transaction."""
    with transaction.atomic():
        return services.audit_record(**fields)


pytestmark = pytest.mark.django_db

URL = "/audit/"
JST = dt.timezone(dt.timedelta(hours=9))
REFUSED = ["counter_staff", "administrator", "contractor_operator", "no_role_user"]


def _patron(branch: Branch) -> Patron:
    return cast(Patron, PatronFactory(registered_branch=branch))


def _shown_seqs(response) -> list[int]:
    return [row.seq for row in response.context["rows"]]


def test_page_is_named_audit_log() -> None:
    assert reverse("audit:log") == URL


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, method: str) -> None:
    response = getattr(client, method)(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not AuditEvent.objects.filter(action="audit.view").exists()


@pytest.mark.parametrize("persona", REFUSED, indirect=True)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_roles_are_refused_and_the_refusal_is_logged(login, persona, method: str) -> None:
    response = getattr(login(persona), method)(URL, {"actor": "officer"} if method == "post" else None)
    assert response.status_code == 403
    denied = AuditEvent.objects.get(action="access.denied")
    assert (denied.actor_id, denied.outcome, denied.target_id) == (persona.pk, Outcome.DENIED, "audit:log")
    assert not AuditEvent.objects.filter(action="audit.view").exists()


def test_officer_sees_the_newest_events_and_the_view_is_logged(login, privacy_officer, counter_staff) -> None:
    seen = audit_record(
        actor=counter_staff, action="patron.view", target_type="patron", target_id=5, patron_id=5
    )
    response = login(privacy_officer).get(URL)
    assert response.status_code == 200
    assert seen.seq in _shown_seqs(response)  # with the officer's own auth.login after it
    html = response.content.decode()
    assert "利用者情報の閲覧" in html and "patron.view" in html and "カウンター職員" in html
    assert 'class="badge badge-success"' in html
    view = AuditEvent.objects.get(action="audit.view")
    assert (view.actor_id, view.target_type, view.patron_id) == (privacy_officer.pk, "audit_log", None)
    assert view.detail["actor"] is False and view.detail["next_page"] is False


@pytest.mark.parametrize(("style", "date"), [("wareki", "令和8年4月1日"), ("seireki", "2026年4月1日")])
def test_dates_are_shown_in_tokyo_in_the_configured_era(
    login, privacy_officer, clock, settings, style, date
) -> None:
    settings.DATE_ERA_STYLE = style
    clock.set(dt.datetime(2026, 3, 31, 15, 30, tzinfo=dt.UTC))  # 2026-04-01 00:30 in Tokyo
    audit_record(actor=None, action="audit.purge")
    response = login(privacy_officer).get(URL)
    row = next(row for row in response.context["rows"] if row.action == "audit.purge")
    assert (row.date, row.time) == (date, "00:30:00")
    assert "保存期間経過ログの削除" in response.content.decode()


def test_filter_by_actor(login, privacy_officer, counter_staff, administrator) -> None:
    mine = audit_record(actor=counter_staff, action="patron.view")
    audit_record(actor=administrator, action="patron.view")
    response = login(privacy_officer).post(URL, {"actor": "counter"})
    assert _shown_seqs(response) == [mine.seq]
    assert AuditEvent.objects.get(action="audit.view").detail["actor"] is True


def test_unknown_actor_is_a_form_error(login, privacy_officer) -> None:
    response = login(privacy_officer).post(URL, {"actor": "nobody"})
    assert response.status_code == 200
    assert "この操作者IDのアカウントは見つかりません。" in response.content.decode()
    assert response.context["page"] is None
    assert not AuditEvent.objects.filter(action="audit.view").exists()


def test_filter_by_patron_card_number(login, privacy_officer, counter_staff, central) -> None:
    patron, other = _patron(central), _patron(central)
    theirs = audit_record(actor=counter_staff, action="patron.view", patron_id=patron.pk)
    audit_record(actor=counter_staff, action="patron.view", patron_id=other.pk)
    response = login(privacy_officer).post(URL, {"patron": patron.card_number})
    assert _shown_seqs(response) == [theirs.seq]
    view = AuditEvent.objects.get(action="audit.view")
    assert view.patron_id == patron.pk
    assert patron.card_number not in str(view.detail)
    assert view.detail["patron"] is True


def test_erased_patron_by_internal_id(login, privacy_officer) -> None:
    erased = audit_record(actor=None, action="patron.erase", patron_id=987654)
    response = login(privacy_officer).post(URL, {"patron": "＃987654"})
    assert _shown_seqs(response) == [erased.seq]


def test_unknown_card_number_is_a_form_error_without_echoing_it(login, privacy_officer) -> None:
    response = login(privacy_officer).post(URL, {"patron": "2199999999"})
    assert response.status_code == 200
    errors = response.context["form"].errors["patron"]
    assert "見つかりません" in errors[0] and "2199999999" not in errors[0]
    assert not AuditEvent.objects.filter(action="audit.view").exists()


def test_filter_by_exact_action(login, privacy_officer) -> None:
    erase = audit_record(actor=None, action="patron.erase")
    audit_record(actor=None, action="patron.view")
    response = login(privacy_officer).post(URL, {"action": "patron.erase"})
    assert _shown_seqs(response) == [erase.seq]


def test_filter_by_japanese_action_label(login, privacy_officer) -> None:
    erase = audit_record(actor=None, action="patron.erase")
    audit_record(actor=None, action="patron.view")
    response = login(privacy_officer).post(URL, {"action": "利用者データ削除"})
    assert _shown_seqs(response) == [erase.seq]


def test_filter_by_action_prefix(login, privacy_officer) -> None:
    events = [audit_record(actor=None, action=code) for code in ("patron.view", "auth.login", "patron.erase")]
    audit_record(actor=None, action="patronage.other")
    response = login(privacy_officer).post(URL, {"action": "patron."})
    assert _shown_seqs(response) == [events[2].seq, events[0].seq]
    assert AuditEvent.objects.get(action="audit.view").detail["action"] == "patron."


def test_bad_action_code_is_a_form_error(login, privacy_officer) -> None:
    response = login(privacy_officer).post(URL, {"action": "patron.view'; DROP TABLE"})
    assert response.status_code == 200
    assert "操作コード" in response.context["form"].errors["action"][0]


def test_filter_by_date_range_in_tokyo(login, privacy_officer, clock) -> None:
    def at(day: int, hour: int, minute: int, second: int = 0) -> AuditEvent:
        clock.set(dt.datetime(2026, 3 if day == 31 else 4, day, hour, minute, second, tzinfo=JST))
        return audit_record(actor=None, action="patron.view")

    at(31, 23, 59)
    first = at(1, 0, 0)
    last = at(2, 23, 59, 59)
    at(3, 0, 0)
    response = login(privacy_officer).post(URL, {"date_from": "2026-04-01", "date_to": "2026/04/02"})
    assert _shown_seqs(response) == [last.seq, first.seq]


def test_combined_actor_and_date(login, privacy_officer, counter_staff, clock) -> None:
    clock.set(dt.datetime(2026, 4, 1, 10, tzinfo=JST))
    hit = audit_record(actor=counter_staff, action="patron.view")
    audit_record(actor=None, action="patron.view")
    clock.set(dt.datetime(2026, 4, 5, 10, tzinfo=JST))
    audit_record(actor=counter_staff, action="patron.view")
    response = login(privacy_officer).post(
        URL, {"actor": "counter", "date_from": "2026-04-01", "date_to": "2026-04-01"}
    )
    assert _shown_seqs(response) == [hit.seq]


def test_date_range_with_no_events(login, privacy_officer, record) -> None:
    record(2)
    response = login(privacy_officer).post(URL, {"date_from": "2001-01-01", "date_to": "2001-01-31"})
    assert response.context["rows"] == []
    assert "該当するログはありません。" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date_from": "2026-02-30"}, "date_from", "正しい日付"),
        ({"date_to": "yesterday"}, "date_to", "正しい日付"),
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "date_to", "開始日と同じ日か"),
        ({"date_to": "9999-12-31"}, "date_to", "以前の日付"),
        ({"actor": "x" * 151}, "actor", "150文字以内"),
        ({"patron": "1" * 21}, "patron", "20文字以内"),
        ({"action": "a" * 65}, "action", "64文字以内"),
        ({"before_seq": "-1"}, "before_seq", "ページの指定"),
        ({"before_seq": "9" * 30}, "before_seq", "ページの指定"),
    ],
)
def test_bad_input_gets_a_message_not_an_error_page(login, privacy_officer, data, field, message) -> None:
    response = login(privacy_officer).post(URL, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert 'class="errorlist' in html or form.errors.get("before_seq")


def test_pages_of_fifty_with_a_posted_cursor(login, privacy_officer, record) -> None:
    events = record(120, action="patron.view")
    client = login(privacy_officer)
    first = client.post(URL, {"action": "patron.view"})
    assert _shown_seqs(first) == [e.seq for e in reversed(events[70:])]
    html = first.content.decode()
    assert "次の50件" in html
    cursor = re.search(r'name="before_seq" value="(\d+)"', html)
    assert cursor is not None and int(cursor.group(1)) == events[70].seq
    assert '<input type="hidden" name="action" value="patron.view">' in html
    second = client.post(URL, {"action": "patron.view", "before_seq": cursor.group(1)})
    assert _shown_seqs(second) == [e.seq for e in reversed(events[20:70])]
    third = client.post(URL, {"action": "patron.view", "before_seq": str(events[20].seq)})
    assert _shown_seqs(third) == [e.seq for e in reversed(events[:20])]
    assert "次の50件" not in third.content.decode()
    assert AuditEvent.objects.filter(action="audit.view").first().detail["next_page"] is True  # type: ignore[union-attr]


def test_card_number_never_appears_in_a_url(login, privacy_officer, counter_staff, central) -> None:
    patron = _patron(central)
    audit_record(actor=counter_staff, action="patron.view", patron_id=patron.pk)
    for _ in range(55):
        audit_record(actor=counter_staff, action="patron.search", patron_id=patron.pk)
    client = login(privacy_officer)
    response = client.post(URL, {"patron": patron.card_number}, follow=True)
    assert response.redirect_chain == []
    assert response.request["PATH_INFO"] == URL and not response.request.get("QUERY_STRING")
    html = response.content.decode()
    urls = re.findall(r'(?:href|action|src)="([^"]*)"', html)
    assert urls and all(patron.card_number not in url for url in urls)
    # The card number travels only inside the POSTed "次の50件" form.
    assert re.search(r'<form method="post"[^>]*>.*name="patron" value="' + patron.card_number, html, re.S)


def test_wrong_method_is_refused(login, privacy_officer) -> None:
    assert login(privacy_officer).put(URL).status_code == 405


def test_page_query_count_is_bounded(
    login, privacy_officer, counter_staff, record, django_assert_max_num_queries
) -> None:
    record(80, actor=counter_staff)
    client = login(privacy_officer)
    client.get(URL)
    # Session and roles 3, filters and page 3-4, the audit.view event 7, the session's idle stamp 3,
    # the sealing lag 3, the staff list of the filter 1, naming the rows (staff names, branches) 2:
    # none of it grows with the 50 rows shown (tests/audit/test_display.py: one query per kind).
    with django_assert_max_num_queries(23):
        response = client.post(URL, {"actor": "counter", "action": "patron.", "date_from": "2026-01-01"})
    assert len(response.context["rows"]) == 50


def test_filter_by_kind_of_record(login, privacy_officer, counter_staff) -> None:
    wanted = audit_record(actor=counter_staff, action="patron.view", target_type="patron", target_id=5)
    audit_record(actor=counter_staff, action="auth.login", target_type="user", target_id=counter_staff.pk)
    response = login(privacy_officer).post(URL, {"target": "patron"})
    assert _shown_seqs(response) == [wanted.seq]
    assert AuditEvent.objects.get(action="audit.view").detail["target"] == "patron"


def test_an_unknown_kind_of_record_gets_a_message(login, privacy_officer) -> None:
    response = login(privacy_officer).post(URL, {"target": "no_such_kind"})
    assert "対象の種類を一覧から選んでください。" in response.context["form"].errors["target"][0]
    assert not AuditEvent.objects.filter(action="audit.view").exists()


def test_filters_offer_japanese_labels_grouped_by_area_and_staff_by_name(
    login, privacy_officer, counter_staff
) -> None:
    counter_staff.last_name, counter_staff.first_name = "山田", "花子"
    counter_staff.save()
    html = login(privacy_officer).get(URL).content.decode()
    action = re.search(r'<select name="action"[^>]*>(.*?)</select>', html, re.S)
    assert action is not None
    assert re.search(
        r'<optgroup label="利用者">\s*<option value="patron.">利用者（すべて）</option>', action.group(1)
    )
    assert '<option value="patron.view">利用者情報の閲覧</option>' in action.group(1)
    assert f'<option value="{counter_staff.username}">山田 花子（{counter_staff.username}）</option>' in html
    assert '<option value="privacy_request">開示等の請求</option>' in html


def test_rows_are_in_japanese_without_internal_ids_or_codes(
    login, privacy_officer, counter_staff, central
) -> None:
    patron = _patron(central)
    audit_record(
        actor=counter_staff,
        action="patron.view",
        target_type="patron",
        target_id=patron.pk,
        patron_id=patron.pk,
        detail={"view": "patrons:detail"},
    )
    response = login(privacy_officer).post(URL, {"action": "patron.view"})
    html = response.content.decode()
    (row,) = response.context["rows"]
    assert (row.target, row.patron, row.branch) == ("****" + patron.card_number[-4:],) * 2 + ("中央図書館",)
    assert "利用者情報の閲覧" in html and "カウンター職員" in html and "中央図書館" in html
    assert f"patron {patron.pk}" not in html and "#" + str(patron.pk) not in html and ">central<" not in html
    assert "view=patrons:detail" not in html and "<dt>画面</dt><dd>patrons:detail</dd>" in html


def test_log_page_shows_how_far_sealing_lags(login, privacy_officer, record) -> None:
    sealed = record(2)
    record(3, seal=False)
    response = login(privacy_officer).get(URL)
    lag = response.context["lag"]
    assert lag.last_sealed_seq == sealed[-1].seq
    assert lag.unsealed >= 3
    html = response.content.decode()
    assert f"ログ {sealed[-1].seq} まで封印済みです。" in html and "未封印のログが" in html


CHECKPOINT_URLS = ["/audit/checkpoint/", "/audit/checkpoint.pdf"]


@pytest.mark.parametrize("persona", REFUSED, indirect=True)
@pytest.mark.parametrize("url", CHECKPOINT_URLS)
def test_checkpoint_print_is_refused_to_other_roles(login, persona, url) -> None:
    assert login(persona).get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.checkpoint_print").exists()


@pytest.mark.parametrize("url", CHECKPOINT_URLS)
def test_checkpoint_print_needs_a_login(client, url) -> None:
    assert client.get(url).status_code == 302


def test_officer_prints_the_latest_checkpoint(login, privacy_officer, record) -> None:
    from privacy_admin.audit.checkpoints import audit_checkpoint_now, latest_daily

    record(2)
    audit_checkpoint_now()
    latest = latest_daily()
    assert latest is not None
    client = login(privacy_officer)
    response = client.get("/audit/checkpoint/")
    assert response.status_code == 200
    assert latest.hash in response.content.decode()
    pdf = client.get("/audit/checkpoint.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    printed = AuditEvent.objects.filter(action="audit.checkpoint_print").order_by("seq")
    assert [e.detail["format"] for e in printed] == ["html", "pdf"]


def test_checkpoint_page_without_a_checkpoint(login, privacy_officer) -> None:
    client = login(privacy_officer)
    assert "チェックポイントはまだありません" in client.get("/audit/checkpoint/").content.decode()
    assert client.get("/audit/checkpoint.pdf").status_code == 404


def test_public_register_page_shows_the_latest_checkpoint_hash(client, record) -> None:
    from privacy_admin.audit.checkpoints import audit_checkpoint_now, latest_daily

    record(1)
    audit_checkpoint_now()
    latest = latest_daily()
    assert latest is not None
    from django.urls import reverse

    html = client.get(reverse("public_register:publication")).content.decode()
    assert latest.hash in html and "アクセスログのチェックポイント" in html
