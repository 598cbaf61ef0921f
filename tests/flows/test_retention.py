from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence

import pytest
import time_machine
from django.db import connection

from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent
from talentpool.consent.tasks import retention_run_task
from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent
from talentpool.flows import retention
from talentpool.flows.consent import pool_expire, pool_join, pool_leave
from talentpool.flows.retention import candidates_due_for_erasure, retention_run
from talentpool.flows.rights import candidate_erase
from talentpool.messaging.models import Message, TouchpointPlan
from talentpool.search.candidates import candidate_index
from tests.factories import (
    CandidateFactory,
    ConsentTextFactory,
    MessageFactory,
    OrganizationFactory,
    RunnerUpFactory,
)

T0 = dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(T0)]


def months_after(months: int, *, days: int = 0) -> dt.datetime:
    month_index = T0.month - 1 + months
    return T0.replace(year=T0.year + month_index // 12, month=month_index % 12 + 1) + dt.timedelta(days=days)


def person(
    organization, name: str, *, decided: Sequence[dt.datetime] = (), consent_at: dt.datetime | None = None
):
    with time_machine.travel(T0, tick=False):
        candidate = CandidateFactory(
            organization=organization, first_name=name, email=f"{name.lower()}@example.dk"
        )
    for decided_at in decided:
        RunnerUpFactory(organization=organization, candidate=candidate, decided_at=decided_at)
    if consent_at is not None:
        text = ConsentTextFactory(organization=organization, language="da")
        with time_machine.travel(consent_at, tick=False):
            pool_join(candidate=candidate, text=text, actor=Actor.candidate(), now=consent_at)
    return candidate


@pytest.fixture
def people(organization):
    patient = OrganizationFactory(slug="patient", documentation_months=12)
    withdrawn = person(organization, "Hanne", decided=[T0], consent_at=T0)
    with time_machine.travel(months_after(1), tick=False):
        pool_leave(candidate=withdrawn, actor=Actor.candidate())
    return {
        "decided_7_months_ago": person(organization, "Anna", decided=[T0]),
        "decided_5_months_ago": person(organization, "Bo", decided=[months_after(2)]),
        "in_the_pool": person(organization, "Clara", decided=[T0], consent_at=T0),
        "never_decided": person(organization, "Dan"),
        "decided_again_later": person(organization, "Frida", decided=[T0, months_after(5)]),
        "other_organization": person(patient, "Gustav", decided=[T0]),
        "withdrew_consent": withdrawn,
    }


def test_the_retention_task_with_the_clock_moved_forward_erases_exactly_the_right_candidates(people):
    # when
    with time_machine.travel(months_after(7), tick=False):
        result = retention_run_task()

    # then
    remaining = set(Candidate.objects.values_list("first_name", flat=True))
    assert remaining == {"Bo", "Clara", "Frida", "Gustav"}
    assert result == {"expired": 0, "erased": 3}


def test_a_second_retention_run_changes_nothing(people):
    # given
    with time_machine.travel(months_after(13), tick=False):
        first = retention_run()
        counts = (Candidate.objects.count(), ConsentEvent.objects.count(), AuditEvent.objects.count())

        # when
        second = retention_run()

    # then
    assert (first.expired, first.erased) == (1, 7)
    assert (second.expired, second.erased) == (0, 0)
    assert (Candidate.objects.count(), ConsentEvent.objects.count(), AuditEvent.objects.count()) == counts


def test_nobody_is_erased_the_day_before_their_documentation_period_ends(organization):
    # given
    person(organization, "Anna", decided=[T0])

    # when
    with time_machine.travel(months_after(6, days=-1), tick=False):
        retention_run()

    # then
    assert Candidate.objects.filter(first_name="Anna").exists()


def test_the_documentation_period_ends_on_the_last_day_of_a_shorter_month(organization):
    # given: decided on 31 August at 10:00; six months later is 28 February
    decided = dt.datetime(2026, 8, 31, 10, 0, tzinfo=dt.UTC)
    candidate = person(organization, "Anna", decided=[decided])

    # when / then
    assert candidates_due_for_erasure(now=dt.datetime(2027, 2, 28, 9, 59, tzinfo=dt.UTC)) == []
    assert candidates_due_for_erasure(now=dt.datetime(2027, 2, 28, 10, 0, tzinfo=dt.UTC)) == [candidate.pk]


def test_expired_consent_is_recorded_and_keep_warm_mail_is_cancelled(organization):
    # given: in the pool, and still within the documentation period of a later decision
    candidate = person(organization, "Clara", decided=[months_after(10)], consent_at=T0)
    check_in = MessageFactory(
        candidate=candidate, kind=Message.Kind.CHECK_IN, status=Message.Status.SCHEDULED
    )
    renewal = MessageFactory(
        candidate=candidate, kind=Message.Kind.CONSENT_RENEWAL, status=Message.Status.APPROVED
    )
    rejection = MessageFactory(
        candidate=candidate, kind=Message.Kind.WARM_REJECTION, status=Message.Status.DRAFT
    )
    sent = MessageFactory(
        candidate=candidate, kind=Message.Kind.CHECK_IN, status=Message.Status.SENT, sent_at=T0
    )
    plan = TouchpointPlan.objects.create(
        organization=organization,
        candidate=candidate,
        next_due_at=months_after(13),
        next_touchpoint="check_in",
    )

    # when
    with time_machine.travel(months_after(12, days=1), tick=False):
        result = retention_run()

    # then
    assert (result.expired, result.erased) == (1, 0)
    candidate.refresh_from_db()
    assert candidate.consent_expires_at is None
    latest = ConsentEvent.objects.filter(candidate=candidate).latest()
    assert (latest.kind, latest.channel) == ("EXPIRED", "SYSTEM")
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert statuses == {
        check_in.pk: "CANCELLED",
        renewal.pk: "CANCELLED",
        rejection.pk: "DRAFT",
        sent.pk: "SENT",
    }
    plan.refresh_from_db()
    assert (plan.stopped_at is not None, plan.next_due_at) == (True, None)


@pytest.mark.usefixtures("search_engine")
def test_expired_consent_removes_the_candidate_from_the_index(
    organization, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        candidate = person(organization, "Clara", decided=[months_after(10)], consent_at=T0)
    candidate_index.refresh()
    assert candidate_index.client.count(index=candidate_index.read_alias)["count"] == 1

    # when
    with (
        time_machine.travel(months_after(12, days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        retention_run()

    # then
    candidate_index.refresh()
    assert candidate_index.client.count(index=candidate_index.read_alias)["count"] == 0
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_consent_that_runs_out_after_the_documentation_period_is_followed_by_erasure(organization):
    # given
    person(organization, "Erik", decided=[T0], consent_at=T0)

    # when
    with time_machine.travel(months_after(12, days=1), tick=False):
        result = retention_run()

    # then
    assert (result.expired, result.erased) == (1, 1)
    assert not Candidate.objects.exists()


def test_retention_records_only_ids_in_the_audit_trail(people):
    # when
    with time_machine.travel(months_after(13), tick=False):
        retention_run()

    # then
    erased = AuditEvent.objects.filter(action="candidate.erased")
    assert erased.count() == 7
    assert set(erased.values_list("actor_type", flat=True)) == {"SYSTEM"}
    text = str(list(AuditEvent.objects.values()))
    for name in ("Anna", "Dan", "Hanne", "example.dk"):
        assert name not in text


def test_consent_expiry_skips_a_candidate_a_parallel_run_has_just_erased(organization):
    # given Erik, listed for expiry by this run and erased by another one meanwhile
    erik = person(organization, "Erik", decided=[T0], consent_at=T0)
    listed = Candidate.objects.get(pk=erik.pk)
    with time_machine.travel(months_after(12, days=1), tick=False):
        candidate_erase(candidate=erik, actor=Actor.system(), reason="retention")

        # when this run gets to him
        event = pool_expire(candidate=listed, now=months_after(12, days=1))

    # then there is nothing to do and no error
    assert event is None
    assert not ConsentEvent.objects.filter(candidate_id=erik.pk).exists()


def test_a_retention_run_skips_without_error_the_candidates_a_parallel_run_erased(
    people, monkeypatch, caplog
):
    # given a parallel run that erases Anna just after this run listed her
    list_due = retention.candidates_due_for_erasure

    def listed_then_erased_elsewhere(*, now):
        due = list_due(now=now)
        candidate_erase(candidate=people["decided_7_months_ago"], actor=Actor.system(), reason="retention")
        return due

    monkeypatch.setattr(retention, "candidates_due_for_erasure", listed_then_erased_elsewhere)

    # when
    with time_machine.travel(months_after(7), tick=False):
        result = retention_run()

    # then the other two are erased by this run, Anna once, by the other, and nothing failed
    assert result.erased == 2
    assert AuditEvent.objects.filter(action="candidate.erased").count() == 3
    assert set(Candidate.objects.values_list("first_name", flat=True)) == {"Bo", "Clara", "Frida", "Gustav"}
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_retention_runs_at_the_same_moment_erase_and_expire_each_person_once(people):
    # given both runs at the same moment, past everyone's documentation period and consent
    moment = months_after(13)
    results: list[retention.RetentionResult] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            results.append(retention_run(now=moment))
        except BaseException as error:  # pragma: no cover - the assertion shows it
            errors.append(error)
        finally:
            connection.close()

    # when
    with time_machine.travel(moment, tick=False):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

    # then no run failed, and the work was done once between them
    assert errors == []
    assert sum(result.erased for result in results) == 7
    assert sum(result.expired for result in results) == 1
    assert AuditEvent.objects.filter(action="candidate.erased").count() == 7
    assert ConsentEvent.objects.filter(kind=ConsentEvent.Kind.EXPIRED).count() == 0  # erased with them
    assert not Candidate.objects.exists()
