"""Everything held about a candidate, as JSON they can take with them.

The profile uses JSON Resume's field names (``basics``, ``skills``, ``languages``, ``meta``);
the rest sits under ``talentpool``. Every relation through which a row holds a candidate's data
is listed in ``EXPORTED_RELATIONS`` or, with the reason, in ``EXCLUDED_RELATIONS``: a test walks
the models and fails on a relation in neither, so a new model cannot be missed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent, MagicLink
from talentpool.core.models import AuditEvent
from talentpool.matching.models import GapClosure, MatchAlert
from talentpool.messaging.models import ExperienceResponse, FeedbackRequest, Message, TouchpointPlan
from talentpool.openings.models import FeedbackItem, RunnerUp
from talentpool.skills.labels import skill_concepts, skill_label

FORMAT_VERSION = 1

# "app_label.Model.field" → where its rows appear in the export.
EXPORTED_RELATIONS: dict[str, str] = {
    "candidates.CvFile.candidate": "talentpool.cv (and the file itself in the archive)",
    "consent.ConsentEvent.candidate": "talentpool.consent_history",
    "consent.MagicLink.candidate": "talentpool.links",
    "messaging.Message.candidate": "talentpool.messages",
    "messaging.FeedbackRequest.candidate": "talentpool.feedback_requests",
    "messaging.FeedbackRequest.runner_up": "talentpool.feedback_requests",
    "messaging.TouchpointPlan.candidate": "talentpool.keep_warm",
    "messaging.ExperienceResponse.candidate": "talentpool.experience_responses",
    "matching.MatchAlert.candidate": "talentpool.match_alerts",
    "matching.GapClosure.candidate": "talentpool.gaps_closed",
    "matching.GapClosure.runner_up": "talentpool.gaps_closed",
    "openings.RunnerUp.candidate": "talentpool.applications",
    "openings.Feedback.runner_up": "talentpool.applications[].feedback",
    "openings.FeedbackItem.feedback": "talentpool.applications[].feedback.items",
}
# "app_label.Model.field" → why its rows are not exported.
EXCLUDED_RELATIONS: dict[str, str] = {
    "candidates.PendingCv.candidate": "A file the candidate has just uploaded, held for an hour at most "
    "until they say whether to keep it: theirs already, and never used for anything.",
    "api.AtsDelivery.runner_up": "The log of an ATS's webhook deliveries: the vendor's ids and what we did "
    "with each, none of the person's data; the link is cleared when they are erased.",
}


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _profiles(links: list[Any]) -> list[dict[str, Any]]:
    profiles = []
    for link in links:
        if isinstance(link, dict):
            network = link.get("network") or link.get("type") or link.get("label") or ""
            profiles.append(
                {"network": network, "url": link.get("url", ""), "username": link.get("username", "")}
            )
        else:
            profiles.append({"url": str(link)})
    return profiles


def candidate_export(*, candidate: Candidate, now: dt.datetime | None = None) -> dict[str, Any]:
    """The candidate's data as a JSON-ready dict."""
    now = now or timezone.now()
    language = candidate.language
    return {
        "basics": {
            "name": candidate.full_name,
            "label": candidate.headline,
            "email": candidate.email,
            "phone": candidate.phone,
            "location": {"address": candidate.location},
            "profiles": _profiles(list(candidate.links or [])),
        },
        "skills": [
            {"name": label, "keywords": [skill_label(key, language) for key in skill_concepts([label])]}
            for label in candidate.skills
        ],
        "languages": [{"language": code} for code in candidate.languages],
        "meta": {
            "version": f"talentpool-export-{FORMAT_VERSION}",
            "lastModified": _iso(candidate.updated_at),
        },
        "talentpool": {
            "exported_at": _iso(now),
            "organization": candidate.organization.name,
            "profile": {
                "first_name": candidate.first_name,
                "last_name": candidate.last_name,
                "preferred_language": candidate.language,
                "availability": candidate.availability,
                "years_of_experience": candidate.years_of_experience,
                "latitude": candidate.latitude,
                "longitude": candidate.longitude,
                "tags": list(candidate.tags),
                "source": candidate.source,
                "external_id": candidate.external_id,
                "created_at": _iso(candidate.created_at),
                "updated_at": _iso(candidate.updated_at),
                "in_pool_until": _iso(candidate.consent_expires_at),
            },
            "cv": _cv(candidate),
            "consent_history": _consent_history(candidate),
            "messages": _messages(candidate),
            "applications": _applications(candidate),
            "feedback_requests": _feedback_requests(candidate),
            "experience_responses": _experience_responses(candidate),
            "match_alerts": _match_alerts(candidate),
            "gaps_closed": _gaps_closed(candidate),
            "links": _links(candidate),
            "keep_warm": _keep_warm(candidate),
            "audit_trail": _audit_trail(candidate),
        },
    }


# The file's name inside the archive, by content type.
CV_FILE_NAMES = {
    "application/pdf": "cv.pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "cv.docx",
}


def candidate_export_archive(*, candidate: Candidate, now: dt.datetime | None = None) -> bytes:
    """The export as a zip: ``data.json`` and, if there is one, the CV file as it was uploaded."""
    data = candidate_export(candidate=candidate, now=now)
    cv = getattr(candidate, "cv_file", None)
    name = CV_FILE_NAMES.get(cv.content_type, "cv") if cv else None
    data["talentpool"]["cv"]["file"] = name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        if cv is not None and name is not None:
            with cv.file.open("rb") as stream:
                archive.writestr(name, stream.read(), compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def _cv(candidate: Candidate) -> dict[str, Any]:
    cv = getattr(candidate, "cv_file", None)
    return {
        "content_type": cv.content_type if cv else None,
        "size": cv.size if cv else None,
        "sha256": cv.sha256 if cv else None,
        "uploaded_at": _iso(cv.updated_at) if cv else None,
        "text_extracted_at": _iso(cv.extracted_at) if cv else None,
        "text": candidate.cv_text,
    }


def _consent_history(candidate: Candidate) -> list[dict[str, Any]]:
    events = (
        ConsentEvent.objects.filter(candidate=candidate).select_related("text").order_by("created_at", "id")
    )
    return [
        {
            "kind": event.kind,
            "channel": event.channel,
            "at": _iso(event.created_at),
            "expires_at": _iso(event.expires_at),
            "text": {
                "language": event.text.language,
                "version": event.text.version,
                "title": event.text.title,
                "body": event.text.body,
            }
            if event.text
            else None,
        }
        for event in events
    ]


def _messages(candidate: Candidate) -> list[dict[str, Any]]:
    messages = (
        Message.objects.filter(candidate=candidate).select_related("opening").order_by("created_at", "id")
    )
    return [
        {
            "kind": message.kind,
            "status": message.status,
            "language": message.language,
            "to": message.to_email,
            "subject": message.subject,
            "body_text": message.body_text,
            "opening": message.opening.title if message.opening else None,
            "scheduled_at": _iso(message.scheduled_at),
            "sent_at": _iso(message.sent_at),
            "created_at": _iso(message.created_at),
        }
        for message in messages
    ]


def _applications(candidate: Candidate) -> list[dict[str, Any]]:
    runner_ups = (
        RunnerUp.objects.filter(candidate=candidate)
        .select_related("opening", "feedback")
        .prefetch_related("feedback__items")
        .order_by("decided_at", "id")
    )
    applications = []
    for runner_up in runner_ups:
        feedback = getattr(runner_up, "feedback", None)
        items: list[FeedbackItem] = list(feedback.items.all()) if feedback else []
        applications.append(
            {
                "opening": runner_up.opening.title,
                "stage": runner_up.stage,
                "rank": runner_up.rank,
                "closeness": runner_up.closeness,
                "contact_first": runner_up.contact_first,
                "decided_at": _iso(runner_up.decided_at),
                "notes": runner_up.notes,
                "feedback": {
                    "status": feedback.status,
                    "free_text": feedback.free_text,
                    "shared_with_candidate": feedback.share_with_candidate,
                    "items": [
                        {"kind": item.kind, "category": item.category, "text": item.text} for item in items
                    ],
                }
                if feedback
                else None,
            }
        )
    return applications


def _feedback_requests(candidate: Candidate) -> list[dict[str, Any]]:
    requests = (
        FeedbackRequest.objects.filter(candidate=candidate)
        .select_related("runner_up__opening")
        .order_by("created_at", "id")
    )
    return [
        {
            "opening": request.runner_up.opening.title if request.runner_up else None,
            "question": request.question,
            "status": request.status,
            "asked_at": _iso(request.created_at),
            "due_at": _iso(request.due_at),
            "answered_at": _iso(request.answered_at),
        }
        for request in requests
    ]


def _experience_responses(candidate: Candidate) -> list[dict[str, Any]]:
    responses = ExperienceResponse.objects.filter(candidate=candidate).select_related("opening")
    return [
        {
            "opening": response.opening.title,
            "rating": response.rating,
            "comment": response.comment,
            "answered_at": _iso(response.answered_at),
        }
        for response in responses.order_by("answered_at", "id")
    ]


def _match_alerts(candidate: Candidate) -> list[dict[str, Any]]:
    alerts = (
        MatchAlert.objects.filter(candidate=candidate).select_related("opening").order_by("created_at", "id")
    )
    return [
        {
            "opening": alert.opening.title,
            "score": alert.score,
            "reasons": alert.reasons,
            "status": alert.status,
            "created_at": _iso(alert.created_at),
        }
        for alert in alerts
    ]


def _gaps_closed(candidate: Candidate) -> list[dict[str, Any]]:
    closures = GapClosure.objects.filter(candidate=candidate).select_related("runner_up__opening")
    return [
        {"opening": closure.runner_up.opening.title, "gap": closure.gap, "closed_at": _iso(closure.closed_at)}
        for closure in closures.order_by("closed_at", "id")
    ]


def _links(candidate: Candidate) -> list[dict[str, Any]]:
    links = MagicLink.objects.filter(candidate=candidate).order_by("created_at", "id")
    return [
        {
            "scope": link.scope,
            "created_at": _iso(link.created_at),
            "expires_at": _iso(link.expires_at),
            "used_at": _iso(link.used_at),
        }
        for link in links
    ]


def _keep_warm(candidate: Candidate) -> dict[str, Any] | None:
    plan = TouchpointPlan.objects.filter(candidate=candidate).first()
    if plan is None:
        return None
    return {
        "next_touchpoint": plan.next_touchpoint,
        "next_due_at": _iso(plan.next_due_at),
        "last_contacted_at": _iso(plan.last_contacted_at),
        "stopped_at": _iso(plan.stopped_at),
    }


def _audit_trail(candidate: Candidate) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(
        organization_id=candidate.organization_id,
        target_type=Candidate._meta.label_lower,
        target_id=candidate.pk,
    ).order_by("created_at", "id")
    return [
        {
            "at": _iso(event.created_at),
            "action": event.action,
            "by": event.actor_type,
            "fields": event.changes,
        }
        for event in events
    ]
