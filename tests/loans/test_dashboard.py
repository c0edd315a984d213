"""The circulation dashboard: the safety net's health and anonymous counts, no patron data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from loans.models import CirculationDailyStat, DamageCase, Item, Loan, Notice, SafetyNetRun
from loans.notice_views import duration_ja
from patrons.models import Branch
from tests.factories import make_branch, make_patron

from .factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _notice_urls(settings) -> None:
    settings.ROOT_URLCONF = "tests.loans.notice_urlconf"


def finished_run(minutes_ago: float, *, dry_run: bool = False, loans: int = 0) -> SafetyNetRun:
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return SafetyNetRun.objects.create(
        started_at=at - dt.timedelta(seconds=3),
        finished_at=at,
        dry_run=dry_run,
        erased={"returned_loans": loans},
    )


def page(client) -> str:
    response = client.get(reverse("loans:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["privacy_officer", "contractor_operator", "no_role_user"], indirect=True)
def test_wrong_roles_are_refused(persona, login) -> None:
    assert login(persona).get(reverse("loans:dashboard")).status_code == 403


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(reverse("loans:dashboard"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("persona", ["counter_staff", "administrator"], indirect=True)
def test_warns_when_the_job_never_ran(persona, login) -> None:
    finished_run(5, dry_run=True)  # a dry run is not the job running
    assert "一度も実行されていません" in page(login(persona))


def test_warns_when_the_last_run_is_too_old(login, counter_staff, settings) -> None:
    settings.LOANS_SAFETY_NET_MAX_GAP_MINUTES = 90
    finished_run(150, loans=4)
    html = page(login(counter_staff))
    assert "経っています（上限 90分）" in html
    assert "2時間30分" in html


def test_no_warning_after_a_recent_run(login, counter_staff) -> None:
    finished_run(10)
    html = page(login(counter_staff))
    assert "一度も実行されていません" not in html and "経っています" not in html
    assert "消去されているべき記録が残っています" not in html
    assert 'stat-value ok">0分<' in html  # the oldest leftover's age, with its unit


def test_unfinished_run_is_mentioned(login, counter_staff) -> None:
    finished_run(10)
    SafetyNetRun.objects.create(started_at=timezone.now() - dt.timedelta(minutes=2))
    assert "完了していません" in page(login(counter_staff))


def test_a_record_that_should_be_gone_is_highlighted(login, counter_staff, central) -> None:
    finished_run(10)
    patron = make_patron(registered_branch=central, family_name="表示しない")
    item = make_item(title="見せない本", home_branch=central)
    Loan.objects.create(
        item=item,
        patron=patron,
        branch=central,
        lent_at=timezone.now() - dt.timedelta(days=3),
        due_on=timezone.localdate() + dt.timedelta(days=11),
    )
    Item.objects.filter(pk=item.pk).update(last_returned_at=timezone.now() - dt.timedelta(hours=5))
    html = page(login(counter_staff))
    assert "消去されているべき記録が残っています" in html and "5時間" in html
    assert 'stat-value bad">' in html
    for secret in ("表示しない", "見せない本", item.barcode, patron.card_number):
        assert secret not in html


def test_shows_todays_counts_queues_overdue_and_damage(
    login, administrator, central, general_category
) -> None:
    finished_run(1)
    today = timezone.localdate()
    CirculationDailyStat.objects.create(
        day=today, branch=central, category=general_category, action="lend", count=12
    )
    CirculationDailyStat.objects.create(
        day=today, branch=central, category=general_category, action="return", count=7
    )
    CirculationDailyStat.objects.create(
        day=today - dt.timedelta(days=1), branch=central, category=general_category, action="lend", count=99
    )
    patron = make_patron(registered_branch=central, family_name="出さない")
    for days in (3, 4):
        Loan.objects.create(
            item=make_item(home_branch=central),
            patron=patron,
            branch=central,
            lent_at=timezone.now() - dt.timedelta(days=20),
            due_on=today - dt.timedelta(days=days),
        )
    Notice.objects.create(
        patron=patron, kind=Notice.Kind.OVERDUE, channel=Notice.Channel.PHONE, created_on=today, item_count=2
    )
    DamageCase.objects.create(
        item=make_item(home_branch=central),
        patron=patron,
        branch=central,
        reported_on=today,
        description="水濡れ",
    )
    html = page(login(administrator))
    assert "中央図書館" in html and "一般" in html
    assert '<td class="num">12</td>' in html and '<td class="num">7</td>' in html
    assert ">99<" not in html  # yesterday's figures are not today's
    assert "返却期限を過ぎた貸出" in html
    assert "出さない" not in html and "水濡れ" not in html and patron.card_number not in html


def test_durations_read_in_japanese() -> None:
    assert duration_ja(dt.timedelta(0)) == "0分"  # with its unit, never a bare 0
    assert duration_ja(dt.timedelta(seconds=20)) == "1分未満"
    assert duration_ja(dt.timedelta(minutes=15)) == "15分"
    assert duration_ja(dt.timedelta(hours=2, minutes=30)) == "2時間30分"
    assert duration_ja(dt.timedelta(days=3, hours=4)) == "3日4時間"


# --- the mobile library's offline returns, from the dashboard ------------------------------------------


def _csv(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("returns.csv", "\n".join(lines).encode("utf-8"), content_type="text/csv")


@pytest.mark.parametrize("persona", ["privacy_officer", "contractor_operator", "no_role_user"], indirect=True)
def test_offline_import_refuses_other_roles(persona, login, central) -> None:
    item = make_item(home_branch=central)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    response = login(persona).post(
        reverse("loans:offline_returns"), {"file": _csv(f"{item.barcode},{stamp}")}
    )
    assert response.status_code == 403
    assert Item.objects.get(pk=item.pk).last_returned_at is None


def test_offline_import_erases_loans_and_reports_counts(login, counter_staff, central) -> None:
    mobile = make_branch(code="mobile", name="移動図書館", kind=Branch.Kind.MOBILE)
    patron = make_patron(registered_branch=central, family_name="取込対象")
    item = make_item(home_branch=central, title="移動図書館で返した本")
    Loan.objects.create(
        item=item,
        patron=patron,
        branch=mobile,
        lent_at=timezone.now() - dt.timedelta(days=8),
        due_on=timezone.localdate() + dt.timedelta(days=6),
    )
    stamp = timezone.localtime(timezone.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    client = login(counter_staff)
    html = client.get(reverse("loans:dashboard")).content.decode()
    select = html.split('id="offline-branch"')[1].split("</select>")[0]
    assert select.index('value="mobile"') < select.index('value="central"')  # the mobile library first
    response = client.post(
        reverse("loans:offline_returns"),
        {
            "file": _csv("barcode,returned_at", f"{item.barcode},{stamp}", "0000000000,2026-01-01 10:00"),
            "branch": "mobile",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "貸出記録1件を消去しました" in text and "登録されていない資料番号が1件" in text
    assert not Loan.objects.filter(item=item).exists()
    assert Item.objects.get(pk=item.pk).current_branch == mobile
    assert "取込対象" not in text and "移動図書館で返した本" not in text


def test_offline_import_with_a_bad_line_imports_nothing(login, counter_staff, central) -> None:
    patron = make_patron(registered_branch=central)
    item = make_item(home_branch=central)
    Loan.objects.create(
        item=item,
        patron=patron,
        branch=central,
        lent_at=timezone.now() - dt.timedelta(days=8),
        due_on=timezone.localdate() + dt.timedelta(days=6),
    )
    stamp = timezone.localtime(timezone.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    response = login(counter_staff).post(
        reverse("loans:offline_returns"),
        {"file": _csv(f"{item.barcode},{stamp}", f"{item.barcode},きのう")},
        follow=True,
    )
    text = response.content.decode()
    assert "2行目: 返却日時の形式が正しくありません" in text and "取り込みませんでした" in text
    assert Loan.objects.filter(item=item).exists()
    assert Item.objects.get(pk=item.pk).last_returned_at is None
