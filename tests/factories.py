from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent, ConsentText
from talentpool.core.models import Membership, Organization
from talentpool.matching.models import MatchAlert
from talentpool.messaging.models import Message
from talentpool.openings.models import Feedback, Opening, RunnerUp


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Employer {n}")
    slug = factory.Sequence(lambda n: f"employer-{n}")
    language = "en"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.RECRUITER


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Sequence(lambda n: f"Sofie{n}")
    last_name = "Jensen"
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    language = "da"
    headline = "Project manager"
    skills = factory.LazyFunction(lambda: ["Project management", "PRINCE2"])


class OpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opening

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"IT Project Manager {n}")
    description = "Lead the rollout of our new case management system."
    must_have_skills = factory.LazyFunction(lambda: ["Project management"])
    opened_at = factory.LazyFunction(timezone.now)


class RunnerUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RunnerUp

    organization = factory.SelfAttribute("opening.organization")
    opening = factory.SubFactory(OpeningFactory)
    candidate = factory.SubFactory(CandidateFactory, organization=factory.SelfAttribute("..organization"))
    stage = RunnerUp.Stage.FINAL_INTERVIEW
    rank = 2
    decided_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))


class ConsentTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentText
        django_get_or_create = ["organization", "language", "version"]

    organization = factory.SubFactory(OrganizationFactory)
    language = "en"
    version = 1
    title = "Stay in our talent pool"
    body = "We keep your profile for 12 months and contact you about similar roles."


class FeedbackFactory(factory.django.DjangoModelFactory[Feedback]):
    class Meta:
        model = Feedback

    runner_up = factory.SubFactory(RunnerUpFactory)
    organization = factory.SelfAttribute("runner_up.organization")
    free_text = "Thank you for the strong case presentation."


class ConsentEventFactory(factory.django.DjangoModelFactory[ConsentEvent]):
    class Meta:
        model = ConsentEvent

    candidate = factory.SubFactory(CandidateFactory)
    organization = factory.SelfAttribute("candidate.organization")
    kind = ConsentEvent.Kind.GRANTED
    text = factory.SubFactory(ConsentTextFactory, organization=factory.SelfAttribute("..organization"))
    channel = ConsentEvent.Channel.MAGIC_LINK
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=365))


class MatchAlertFactory(factory.django.DjangoModelFactory[MatchAlert]):
    class Meta:
        model = MatchAlert

    opening = factory.SubFactory(OpeningFactory)
    organization = factory.SelfAttribute("opening.organization")
    candidate = factory.SubFactory(CandidateFactory, organization=factory.SelfAttribute("..organization"))
    score = 0.8
    reasons = factory.LazyFunction(
        lambda: [
            {
                "kind": "skill",
                "requirement": "Project management",
                "concept": "project_management",
                "label": "Project management",
                "found_in": ["profile"],
                "must": True,
            }
        ]
    )


class MessageFactory(factory.django.DjangoModelFactory[Message]):
    class Meta:
        model = Message

    candidate = factory.SubFactory(CandidateFactory)
    organization = factory.SelfAttribute("candidate.organization")
    kind = Message.Kind.WARM_REJECTION
    dedupe_key = factory.Sequence(lambda n: f"warm-rejection:{n}")
    language = "da"
    to_email = factory.SelfAttribute("candidate.email")
    subject = "Tak for din ansøgning"
    body_text = "Du kom tæt på."


def due_messages(organization: Any, count: int) -> list[Message]:
    """``count`` approved emails, each to its own person, due a minute ago; of a kind that goes
    at once (a link a candidate asked for), so that the hour the test runs at does not matter."""
    due = timezone.now() - dt.timedelta(minutes=1)
    return [
        MessageFactory(
            candidate=CandidateFactory(organization=organization, email=f"person{n}@example.dk"),
            organization=organization,
            kind=Message.Kind.MAGIC_LINK,
            status=Message.Status.APPROVED,
            scheduled_at=due,
        )
        for n in range(count)
    ]
