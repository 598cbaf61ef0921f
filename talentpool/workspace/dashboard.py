"""The recruiter's dashboard in the admin: one organization's pool, queues and mail at a glance.

Every figure is an aggregate in the database, so the page runs the same handful of queries for
a pool of a thousand candidates as for a hundred thousand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent
from talentpool.core.admin_scoping import organization_ids
from talentpool.core.models import Organization
from talentpool.matching.models import MatchAlert
from talentpool.messaging.experience import experience_summary
from talentpool.messaging.models import FeedbackRequest, Message
from talentpool.openings.models import Feedback

MONTHS = 12
EXPIRING_WITHIN = dt.timedelta(days=30)
MAIL_WINDOW = dt.timedelta(days=30)
LIST_LIMIT = 10
GRANTS = [ConsentEvent.Kind.GRANTED, ConsentEvent.Kind.RENEWED]


def month_ends(*, now: dt.datetime, months: int = MONTHS) -> list[dt.datetime]:
    """The end of each of the last ``months`` months, oldest first; the last one is ``now``."""
    local = timezone.localtime(now)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    ends = [now]
    for _month in range(months - 1):
        ends.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(ends))


def pool_size_history(*, organization_id: int, now: dt.datetime) -> list[tuple[dt.datetime, int]]:
    """How many candidates were in the pool at the end of each of the last 12 months, in one query.

    In the pool at a moment: their latest consent event by then grants and had not expired.
    """
    ends = month_ends(now=now)
    annotations: dict[str, Any] = {}
    counts: dict[str, Any] = {}
    for index, end in enumerate(ends):
        latest = ConsentEvent.objects.filter(candidate=OuterRef("pk"), created_at__lte=end).order_by(
            "-created_at", "-id"
        )
        annotations[f"kind_{index}"] = Subquery(latest.values("kind")[:1])
        annotations[f"until_{index}"] = Subquery(latest.values("expires_at")[:1])
        counts[f"month_{index}"] = Count(
            "pk", filter=Q(**{f"kind_{index}__in": GRANTS, f"until_{index}__gt": end})
        )
    totals = (
        Candidate.objects.filter(organization_id=organization_id, created_at__lte=now)
        .annotate(**annotations)
        .aggregate(**counts)
    )
    return [(end, int(totals[f"month_{index}"] or 0)) for index, end in enumerate(ends)]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


def bar_chart(points: list[tuple[str, int]], *, width: int = 600, height: int = 160) -> list[Bar]:
    """Bars for an inline SVG chart, scaled to the largest value; room is left below for labels."""
    if not points:
        return []
    top = max(value for _label, value in points) or 1
    slot = width / len(points)
    plot = height - 30
    bars = []
    for index, (label, value) in enumerate(points):
        bar_height = plot * value / top
        bars.append(
            Bar(
                x=round(index * slot + slot * 0.15, 1),
                y=round(plot - bar_height + 10, 1),
                width=round(slot * 0.7, 1),
                height=round(bar_height, 1),
                label=label,
                value=value,
            )
        )
    return bars


def organization_dashboard(*, organization_id: int, now: dt.datetime) -> dict[str, Any]:
    """The dashboard's figures for one organization, in a fixed number of queries."""
    candidates = Candidate.objects.filter(organization_id=organization_id)
    history = pool_size_history(organization_id=organization_id, now=now)
    expiring = candidates.filter(consent_expires_at__gt=now, consent_expires_at__lte=now + EXPIRING_WITHIN)
    messages = Message.objects.filter(organization_id=organization_id)
    mail = messages.aggregate(
        sent=Count("pk", filter=Q(status=Message.Status.SENT, sent_at__gte=now - MAIL_WINDOW)),
        failed=Count("pk", filter=Q(status=Message.Status.FAILED, updated_at__gte=now - MAIL_WINDOW)),
        runner_up_drafts=Count(
            "pk",
            filter=Q(
                status=Message.Status.DRAFT,
                kind__in=[Message.Kind.WARM_REJECTION, Message.Kind.FEEDBACK],
            ),
        ),
    )
    feedback_requests = FeedbackRequest.objects.filter(organization_id=organization_id).overdue(now=now)
    return {
        "pool_size": history[-1][1],
        "pool_history": history,
        "pool_chart": bar_chart(
            [(date_format(end - dt.timedelta(seconds=1), "M"), size) for end, size in history]
        ),
        "expiring_count": expiring.count(),
        "expiring": list(expiring.order_by("consent_expires_at", "id")[:LIST_LIMIT]),
        "feedback_awaiting_approval": Feedback.objects.filter(
            organization_id=organization_id, status=Feedback.Status.DRAFT
        ).count(),
        "messages_awaiting_approval": mail["runner_up_drafts"],
        "overdue_feedback_count": feedback_requests.count(),
        "overdue_feedback": list(
            feedback_requests.select_related("candidate").order_by("due_at", "id")[:LIST_LIMIT]
        ),
        "match_alerts": list(
            MatchAlert.objects.filter(organization_id=organization_id, status=MatchAlert.Status.NEW)
            .values("opening_id", "opening__title")
            .annotate(count=Count("pk"))
            .order_by("-count", "opening__title")[:LIST_LIMIT]
        ),
        "messages_sent": mail["sent"],
        "messages_failed": mail["failed"],
        **experience_summary(organization_id=organization_id),
    }


def dashboard_organization(request: HttpRequest) -> tuple[Organization, list[Organization]]:
    """The organization asked for with ``organization_id`` (a 404 if not the user's), else the first."""
    organizations = list(Organization.objects.filter(pk__in=organization_ids(request)).order_by("name", "pk"))
    if not organizations:
        raise Http404("No organization.")
    wanted = request.GET.get("organization_id", "")
    if not wanted:
        return organizations[0], organizations
    for organization in organizations:
        if str(organization.pk) == wanted:
            return organization, organizations
    raise Http404("No such organization.")


def dashboard_view(request: HttpRequest) -> HttpResponse:
    organization, organizations = dashboard_organization(request)
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "organization": organization,
        "organizations": organizations if len(organizations) > 1 else [],
        **organization_dashboard(organization_id=organization.pk, now=timezone.now()),
    }
    return TemplateResponse(request, "admin/dashboard.html", context)
