"""What happens to an ATS's webhook delivery: checked, recorded once, then its feedback fetched.

Each signed delivery becomes an ``AtsDelivery`` row keyed by what identifies it (the vendor's event
id or token, or the body's hash), so a replay, or a vendor's retry of a delivery already taken,
records nothing twice. A delivery that failed (the vendor's API was down) may be tried again.
Refused deliveries (no valid signature) are only counted on the connection: nothing from them is
stored. The interviewers' feedback is fetched after the decision is recorded, in a task; its state
is on the delivery, and a sweeper tries again what a lost task left pending.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from api.models import AtsConnection, AtsDelivery
from integrations.ats.base import (
    AtsAdapter,
    AtsApiError,
    Decision,
    Ignored,
    NotConfigured,
    PayloadError,
    closeness_from,
    feedback_from,
)
from integrations.ats.registry import ADAPTERS
from talentpool.core.actors import Actor
from talentpool.core.queueing import enqueue_task_on_commit, task_named
from talentpool.flows.decision import decision_feedback_add, hiring_decision_record
from talentpool.openings.models import RunnerUp

logger = logging.getLogger(__name__)

FEEDBACK_TASK = "api.tasks.ats_feedback_fetch_task"
FEEDBACK_MAX_ATTEMPTS = 6
Outcome = AtsDelivery.Outcome
FeedbackState = AtsDelivery.FeedbackState


@dataclass(frozen=True)
class Received:
    """What to answer the vendor: ``status`` is recorded, ignored or failed."""

    status: str
    reason: str = ""
    runner_up_id: int | None = None
    http_status: int = 200
    code: str = ""


def connection_refused(connection: AtsConnection, reason: str, *, now: dt.datetime) -> None:
    """Count a delivery without a valid signature (nothing from it is kept)."""
    AtsConnection.objects.filter(pk=connection.pk).update(
        refused_count=F("refused_count") + 1, last_error=reason[:300], last_error_at=now
    )


def delivery_receive(
    *, connection: AtsConnection, adapter: AtsAdapter, key: str, body: bytes, now: dt.datetime | None = None
) -> Received:
    """Take a signed delivery: record the decision in it once, or say why not."""
    now = now or timezone.now()
    AtsConnection.objects.filter(pk=connection.pk).update(last_received_at=now)
    with transaction.atomic():
        delivery, created = AtsDelivery.objects.select_for_update().get_or_create(
            connection=connection, key=key, defaults={"received_at": now, "outcome": Outcome.FAILED}
        )
        if not created and delivery.outcome != Outcome.FAILED:
            return Received("ignored", "Already received (a replay or a retry): nothing recorded twice.")
    try:
        payload = json.loads(body)
        parsed = adapter.parse(payload, connection=connection)
        if isinstance(parsed, Ignored):
            _finish(delivery, Outcome.IGNORED, parsed.reason, now=now)
            return Received("ignored", parsed.reason)
        runner_up = _record(connection, adapter, parsed, delivery, now=now)
    except ValueError as error:  # PayloadError, and JSON that does not parse
        reason = str(error) if isinstance(error, PayloadError) else "The body is not JSON."
        return _failed(connection, delivery, reason, now=now, http_status=400, code="invalid_payload")
    except NotConfigured as error:
        return _failed(connection, delivery, str(error), now=now, http_status=400, code="ats_not_configured")
    except AtsApiError as error:
        return _failed(
            connection,
            delivery,
            str(error),
            now=now,
            http_status=502 if error.retryable else 400,
            code="ats_api_error",
        )
    return Received("recorded", runner_up_id=runner_up.pk)


def _record(
    connection: AtsConnection,
    adapter: AtsAdapter,
    decision: Decision,
    delivery: AtsDelivery,
    *,
    now: dt.datetime,
) -> RunnerUp:
    with transaction.atomic():
        runner_up = hiring_decision_record(
            organization=connection.organization,
            actor=Actor.system(),
            candidate=decision.candidate,
            opening=decision.opening,
            stage=decision.stage,
            closeness=closeness_from(decision.scorecards),
            decided_at=decision.decided_at,
            notes=decision.notes(),
            feedback=feedback_from(decision.scorecards),
            notify_not_before=decision.notify_not_before,
        )
        wants_feedback = adapter.reads_feedback(connection) and not decision.scorecards
        delivery.runner_up = runner_up
        delivery.application_id = decision.application_id[:100]
        delivery.feedback_state = FeedbackState.PENDING if wants_feedback else FeedbackState.NONE
        _finish(delivery, Outcome.RECORDED, "", now=now)
        if wants_feedback:
            enqueue_task_on_commit(FEEDBACK_TASK, delivery_id=delivery.pk)
    logger.info("ATS decision recorded", extra={"vendor": connection.vendor, "runner_up_id": runner_up.pk})
    return runner_up


def _finish(delivery: AtsDelivery, outcome: str, reason: str, *, now: dt.datetime) -> None:
    delivery.outcome, delivery.reason, delivery.received_at = outcome, reason[:300], now
    delivery.save()


def _failed(
    connection: AtsConnection,
    delivery: AtsDelivery,
    reason: str,
    *,
    now: dt.datetime,
    http_status: int,
    code: str,
) -> Received:
    _finish(delivery, Outcome.FAILED, reason, now=now)
    AtsConnection.objects.filter(pk=connection.pk).update(last_error=reason[:300], last_error_at=now)
    logger.warning(
        "ATS delivery failed", extra={"vendor": connection.vendor, "delivery_id": delivery.pk, "code": code}
    )
    return Received("failed", reason, http_status=http_status, code=code)


def delivery_feedback_fetch(*, delivery_id: int) -> str:
    """Read the interviewers' feedback for a recorded decision and add it; return the new state.

    Raises ``AtsApiError`` when a retry may help (the task retries); gives up after a few tries.
    """
    delivery = (
        AtsDelivery.objects.select_related("connection__organization", "runner_up")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.feedback_state != FeedbackState.PENDING:
        return delivery.feedback_state if delivery else FeedbackState.NONE
    runner_up = delivery.runner_up
    if runner_up is None:  # erased since
        return _feedback_state(delivery, FeedbackState.NONE)
    adapter = ADAPTERS[delivery.connection.vendor]
    AtsDelivery.objects.filter(pk=delivery.pk).update(feedback_attempts=F("feedback_attempts") + 1)
    try:
        cards = adapter.feedback(delivery.application_id, connection=delivery.connection)
    except (AtsApiError, NotConfigured) as error:
        retryable = isinstance(error, AtsApiError) and error.retryable
        if retryable and delivery.feedback_attempts + 1 < FEEDBACK_MAX_ATTEMPTS:
            raise
        logger.warning(
            "ATS feedback not read", extra={"delivery_id": delivery.pk, "error": type(error).__name__}
        )
        return _feedback_state(delivery, FeedbackState.FAILED)
    decision_feedback_add(
        runner_up=runner_up,
        actor=Actor.system(),
        feedback=feedback_from(cards),
        closeness=closeness_from(cards),
    )
    return _feedback_state(delivery, FeedbackState.DONE)


def _feedback_state(delivery: AtsDelivery, state: str) -> str:
    AtsDelivery.objects.filter(pk=delivery.pk).update(feedback_state=state)
    return state


def delivery_feedback_sweep(
    *, now: dt.datetime | None = None, older_than: dt.timedelta = dt.timedelta(minutes=10)
) -> int:
    """Queue again the feedback fetches a lost task left pending; return how many."""
    now = now or timezone.now()
    pending = AtsDelivery.objects.filter(
        feedback_state=FeedbackState.PENDING, updated_at__lt=now - older_than
    ).values_list("pk", flat=True)[:200]
    for delivery_id in pending:
        task_named(FEEDBACK_TASK).delay(delivery_id=delivery_id)
    return len(pending)


def delivery_summary(connection: AtsConnection) -> dict[str, Any]:
    """Counts for the connection's page: recorded, ignored, failed, and refused."""
    counts = dict.fromkeys(Outcome.values, 0)
    for row in connection.deliveries.values("outcome").annotate(count=Count("id")):
        counts[row["outcome"]] = row["count"]
    return {**counts, "REFUSED": connection.refused_count}
