"""Demo incidents that make the incident pages and the dashboard panel explorable, made through the
services (so each has its history and access-log events) and dated relative to ``today``:

- a closed one: a reservation slip lost at the counter (1 person; not reportable; every step of 山梨県 要綱
  第48条 done, the person told anyway);
- an open, reportable one: an event e-mail sent with 120 addresses in the To field (100人超, 規則 第43条
  第4号) — first report to the board, first measures, checklist and 速報 done; the 確報, the notice to
  each person and the written report still due, so the dashboard shows their deadlines.

Idempotent: an incident with the same title is not made twice.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from incidents import services
from incidents.models import Incident
from privacy_admin.core.actor import Actor
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.register_entries import LIBRARY_USE
from register.models import RegisterEntry

LOST_SLIP = "予約資料引換票の紛失"
MISDIRECTED_MAIL = "行事案内メールの宛先誤り（メールアドレスの漏えい）"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _entries() -> list[RegisterEntry]:
    return list(RegisterEntry.objects.filter(code=LIBRARY_USE))


def seed_incidents(*, today: dt.date, actor: Actor) -> list[Incident]:
    """Create the two demo incidents unless they exist. Returns those created.

    ``actor``: a privacy officer (or administrator). ``today`` should be the library's today: the
    services refuse times in the future.
    """
    created: list[Incident] = []
    if not Incident.objects.filter(title=LOST_SLIP).exists():
        known = today - dt.timedelta(days=40)
        incident = services.incident_record(
            actor=actor,
            title=LOST_SLIP,
            kind=Incident.Kind.RISK,
            discovered_at=_at(known, 10, 20),
            discovered_by="中央図書館 奉仕係 職員",
            occurred_at=_at(known - dt.timedelta(days=1), 18, 0),
            data_items=[DataItem.CARD_NUMBER, DataItem.NAME, DataItem.RESERVATION_ITEM_TITLE],
            people_count=1,
            place="中央図書館 1階 カウンター",
            circumstances=(
                "閉館後の点検で、予約資料の引換票1枚が所定のトレイに見当たらないことに気付いた。"
                "引換票には利用者番号の下4桁、氏名（カナ）、予約資料名が記載されている。"
            ),
            first_measures=(
                "カウンター周辺と返却ブックトラックを捜索したが発見できなかった。"
                "当該利用者に電話で事情を説明し、引換票を再発行した。"
            ),
            register_entries=_entries(),
        )
        services.incident_board_report(
            actor=actor, incident=incident, reported_at=_at(known, 11, 5), reported_by="館長"
        )
        services.incident_set_triggers(
            actor=actor,
            incident=incident,
            involves_sensitive=False,
            financial_harm=False,
            wrongful_purpose=False,
        )
        services.incident_persons_notified(
            actor=actor, incident=incident, notified_on=known, method="電話（本人に説明し謝罪）"
        )
        services.incident_written_report(
            actor=actor,
            incident=incident,
            submitted_on=known + dt.timedelta(days=6),
            cause="引換票を一時的にカウンター上に置いたまま別の利用者に対応し、所定のトレイに戻さなかった。",
            prevention_plan=(
                "引換票は受け取ったらすぐ施錠できるトレイに入れ、閉館時に枚数を照合する。"
                "引換票への資料名の記載をやめ、予約番号のみとする。職員研修で周知する。"
            ),
        )
        services.incident_close(actor=actor, incident=incident, closed_on=known + dt.timedelta(days=7))
        created.append(incident)
    if not Incident.objects.filter(title=MISDIRECTED_MAIL).exists():
        known = today - dt.timedelta(days=2)
        incident = services.incident_record(
            actor=actor,
            title=MISDIRECTED_MAIL,
            kind=Incident.Kind.LEAK,
            discovered_at=_at(known, 9, 40),
            discovered_by="中央図書館 管理係 職員",
            occurred_at=_at(known, 9, 15),
            data_items=[DataItem.EMAIL],
            other_items="おはなし会の参加申込の有無",
            people_count=120,
            place="中央図書館 事務室（行事案内メールの一斉送信）",
            circumstances=(
                "おはなし会の案内メールを参加申込者120人に一斉送信した際、宛先をBCCではなくTOに入力したため、"
                "受信者全員に他の受信者のメールアドレスが表示された。受信者からの電話で発覚した。"
            ),
            first_measures=(
                "受信者全員に、誤送信したメールの削除を依頼するメールをBCCで送信した。"
                "一斉送信を停止し、送信前に複数の職員で宛先を確認する手順を当面の措置として定めた。"
            ),
            register_entries=_entries(),
        )
        services.incident_board_report(
            actor=actor, incident=incident, reported_at=_at(known, 10, 30), reported_by="館長"
        )
        services.incident_set_triggers(
            actor=actor,
            incident=incident,
            involves_sensitive=False,
            financial_harm=False,
            wrongful_purpose=False,
        )
        services.incident_commission_report(
            actor=actor,
            incident=incident,
            stage=services.STAGE_FIRST,
            reported_at=_at(today - dt.timedelta(days=1), 14, 0),
        )
        created.append(incident)
    return created
