"""Seed the demo: two employers with recruiters, openings, candidates, runner-ups with feedback,
consent in every state, messages, feedback requests, match alerts and keep-warm plans.

The same seed and the same ``now`` give the same data; only the ``created_at``/``updated_at``
stamps the database sets itself differ between runs. Each organization has its own random
stream, so a run that completes a half-seeded database produces what a full run would have.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from talentpool.candidates.models import Candidate
from talentpool.candidates.services import candidate_create
from talentpool.consent.models import ConsentEvent, ConsentText
from talentpool.consent.services import add_months
from talentpool.core.actors import Actor
from talentpool.core.models import Membership, Organization
from talentpool.demo import data
from talentpool.demo.data import City, OpeningSpec, OrganizationSpec, Profile
from talentpool.flows.decision import decision_record
from talentpool.flows.opening import opening_add
from talentpool.matching.models import MatchAlert
from talentpool.matching.scoring import THRESHOLD, CandidateFacts, Match, hard_requirements_met, score_match
from talentpool.matching.services import opening_needs
from talentpool.messaging import content as contents
from talentpool.messaging.drafting import message_draft
from talentpool.messaging.keep_warm import renewal_touchpoint
from talentpool.messaging.models import FeedbackRequest, Message, TouchpointPlan
from talentpool.openings.models import Feedback, Opening, RunnerUp
from talentpool.openings.services import FeedbackInput
from talentpool.search.candidates import candidate_index_queue, load_candidate_sources
from talentpool.skills.labels import skill_concepts, skill_label

DEFAULT_SEED = 2026
CANDIDATES_PER_ORGANIZATION = 125
PROGRESS_EVERY = 50
DK_MOBILE_PREFIXES = (20, 21, 22, 23, 26, 28, 29, 30, 31, 40, 41, 42, 50, 51, 52, 53, 60, 61, 71, 81, 91, 93)

Progress = Callable[[str], None]
T = TypeVar("T")

STAGES = tuple(stage.value for stage in RunnerUp.Stage)
STAGE_WEIGHTS = (5, 10, 15, 25, 40, 5)  # in the order of RunnerUp.Stage
CONSENT_SCENARIOS = ("GRANTED", "EXPIRING_SOON", "RENEWED", "WITHDRAWN", "EXPIRED")
CONSENT_SCENARIO_WEIGHTS = (50, 10, 12, 13, 15)


def _silent(line: str) -> None:
    pass


@dataclass(frozen=True)
class SeedSummary:
    seeded: tuple[str, ...]  # slugs of the organizations this run created
    skipped: tuple[str, ...]  # slugs that already had their demo data
    organizations: int
    users: int
    openings: int
    candidates: int
    runner_ups: int
    in_pool: int


def default_now() -> dt.datetime:
    """Today at midnight UTC: the demo's dates are relative to it."""
    return timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)


def demo_usernames() -> list[str]:
    """The demo organizations' users (not the superuser, which may be an operator's own)."""
    return [user.email for spec in data.ORGANIZATIONS for user in spec.users]


def seed_demo(
    *,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
    reset: bool = False,
    progress: Progress = _silent,
) -> SeedSummary:
    """Seed the demo organizations that have no candidates yet; with ``reset``, start again.

    Each organization is seeded in one transaction, so an interrupted run leaves either nothing
    or a whole organization, and the next run completes what is missing.
    """
    now = now or default_now()
    if reset:
        demo_reset(progress=progress)
    passwords = _PasswordHash()
    with transaction.atomic():
        _ensure_superuser(passwords)
    seeded: list[str] = []
    skipped: list[str] = []
    for spec in data.ORGANIZATIONS:
        if Candidate.objects.filter(organization__slug=spec.slug).exists():
            progress(f"{spec.name}: demo data already present")
            skipped.append(spec.slug)
            continue
        with transaction.atomic():
            _OrganizationSeeder(spec=spec, seed=seed, now=now, progress=progress, passwords=passwords).run()
        seeded.append(spec.slug)
    return _summary(now=now, seeded=seeded, skipped=skipped)


@transaction.atomic
def demo_reset(*, progress: Progress = _silent) -> None:
    """Delete the demo organizations with everything in them, and their users."""
    organizations = Organization.objects.filter(slug__in=[spec.slug for spec in data.ORGANIZATIONS])
    # Consent events are append-only evidence that goes only with its candidate, and they
    # protect the consent texts they cite: so candidates go first, then the organizations.
    Candidate.objects.filter(organization__in=organizations).delete()
    count = organizations.count()
    organizations.delete()
    User.objects.filter(username__in=demo_usernames()).delete()
    progress(f"Deleted {count} demo organization(s) and their users")


def _summary(*, now: dt.datetime, seeded: Sequence[str], skipped: Sequence[str]) -> SeedSummary:
    slugs = [spec.slug for spec in data.ORGANIZATIONS]
    candidates = Candidate.objects.filter(organization__slug__in=slugs)
    return SeedSummary(
        seeded=tuple(seeded),
        skipped=tuple(skipped),
        organizations=Organization.objects.filter(slug__in=slugs).count(),
        users=User.objects.filter(username__in=[*demo_usernames(), data.SUPERUSER_USERNAME]).count(),
        openings=Opening.objects.filter(organization__slug__in=slugs).count(),
        candidates=candidates.count(),
        runner_ups=RunnerUp.objects.filter(organization__slug__in=slugs).count(),
        in_pool=candidates.in_pool(now=now).count(),
    )


class _PasswordHash:
    """The demo password, hashed once per run and only when a user is created (hashing is slow)."""

    def __init__(self) -> None:
        self._hash = ""

    def __call__(self) -> str:
        if not self._hash:
            self._hash = make_password(data.PASSWORD)
        return self._hash


def _ensure_superuser(passwords: _PasswordHash) -> None:
    # An existing "admin" is left as it is: it may be the operator's own account.
    if not User.objects.filter(username=data.SUPERUSER_USERNAME).exists():
        User.objects.create(
            username=data.SUPERUSER_USERNAME,
            email=data.SUPERUSER.email,
            first_name=data.SUPERUSER.first_name,
            password=passwords(),
            is_staff=True,
            is_superuser=True,
        )


# Small helpers --------------------------------------------------------------------------------

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "ß": "ss", "ł": "l", "'": "", " ": ""})


def ascii_fold(text: str) -> str:
    """Lowercase ASCII for an email address: "Søren Østergaard" -> "sorenostergaard"."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return folded.encode("ascii", "ignore").decode("ascii")


def skill_in_text(key: str, language: str) -> str:
    """A skill's label as it reads inside a sentence: "projektledelse", but "Python" and "PRINCE2"."""
    label = skill_label(key, language)
    first_word = label.split(" ")[0]
    if key in data.PRODUCT_SKILLS or any(char.isupper() or char.isdigit() for char in first_word[1:]):
        return label
    return label[:1].lower() + label[1:]


def _join(items: Sequence[str], language: str) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {data.AND[language]} {items[-1]}"


def _years(count: int, language: str) -> str:
    if language == "en":
        return "1 year" if count == 1 else f"{count} years"
    return str(count)


# One organization ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ConsentStep:
    kind: str  # ConsentEvent.Kind value
    at: dt.datetime
    expires_at: dt.datetime | None = None
    channel: str = ConsentEvent.Channel.MAGIC_LINK


@dataclass
class _Person:
    """A candidate with what the seeder decided about them before writing anything."""

    candidate: Candidate
    profile: Profile
    employer: str
    skills: list[str] = field(default_factory=list)  # concept keys, in the order they were picked
    opening: Opening | None = None
    decided_at: dt.datetime | None = None
    consent: list[_ConsentStep] = field(default_factory=list)
    scenario: str = ""

    @property
    def language(self) -> str:
        return self.candidate.language


@dataclass(frozen=True)
class _Decision:
    """A recorded runner-up, with the feedback as given and the recruiter who decided."""

    person: _Person
    runner_up: RunnerUp
    feedback: FeedbackInput
    feedback_status: str
    recruiter: User


class _OrganizationSeeder:
    def __init__(
        self,
        *,
        spec: OrganizationSpec,
        seed: int,
        now: dt.datetime,
        progress: Progress,
        passwords: _PasswordHash,
    ) -> None:
        self.spec = spec
        self.rng = random.Random(f"{seed}:{spec.slug}")
        self.now = now
        self.progress = progress
        self.passwords = passwords
        self.emails: set[str] = set()
        self.users: dict[str, User] = {}

    # Random helpers keep every draw on this organization's stream.
    def _weighted(self, pairs: Sequence[tuple[T, int]]) -> T:
        return self.rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]

    def _moment(self, days_ago: int) -> dt.datetime:
        """Office hours (08:00-16:59 UTC) on the day ``days_ago`` days before yesterday."""
        return self.now - dt.timedelta(
            days=days_ago, hours=self.rng.randint(8, 15), minutes=self.rng.randint(0, 59)
        )

    def run(self) -> None:
        spec = self.spec
        self.progress(f"{spec.name}: seeding")
        self.organization = self._organization()
        self._users()
        self.texts = self._consent_texts()
        people = self._candidates()
        # Consent is bulk-written below, which queues no indexing: index everyone once the
        # organization commits (the task reads the rows then). Queued before the openings are
        # created, it runs before their matching runs, which then see the whole pool.
        candidate_index_queue(candidate_ids=[person.candidate.pk for person in people])
        self.openings = self._openings()
        self.progress(f"  {len(self.users)} users, {len(self.openings)} openings")
        self._plan(people)
        decisions = self._runner_ups(people)
        self.progress(f"  {len(decisions)} runner-ups with feedback")
        events = self._consent_events(people)
        messages = self._messages(people, decisions)
        requests = self._feedback_requests(decisions)
        alerts = self._match_alerts(people, decisions)
        plans = self._touchpoint_plans(people)
        self.progress(
            f"  {events} consent events, {messages} messages, {requests} feedback requests, "
            f"{alerts} match alerts, {plans} touchpoint plans"
        )
        in_pool = sum(1 for person in people if person.candidate.is_in_pool(now=self.now))
        self.progress(f"{spec.name}: done ({len(people)} candidates, {in_pool} in the pool)")

    # Organization, users, consent texts, openings -------------------------------------------------

    def _organization(self) -> Organization:
        spec = self.spec
        organization, _ = Organization.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "language": spec.language,
                "time_zone": spec.time_zone,
                "sender_name": spec.sender_name,
                "sender_email": spec.sender_email,
                "signature": spec.signature,
                "consent_months": 12,
                "documentation_months": 6,
            },
        )
        return organization

    def _users(self) -> None:
        for user_spec in self.spec.users:
            user = User.objects.filter(username=user_spec.email).first()
            if user is None:
                user = User.objects.create(
                    username=user_spec.email,
                    email=user_spec.email,
                    first_name=user_spec.first_name,
                    last_name=user_spec.last_name,
                    password=self.passwords(),
                    is_staff=True,
                )
            Membership.objects.get_or_create(
                user=user,
                organization=self.organization,
                defaults={"role": user_spec.role, "title": user_spec.title},
            )
            self.users[user_spec.email] = user

    def _consent_texts(self) -> dict[str, ConsentText]:
        texts = {}
        for language in ("da", "sv", "en"):
            texts[language], _ = ConsentText.objects.get_or_create(
                organization=self.organization,
                language=language,
                version=1,
                defaults={
                    "title": self.spec.consent_title[language],
                    "body": self.spec.consent_body[language],
                },
            )
        return texts

    def _labels(self, words: Sequence[str]) -> list[str]:
        """Skills as the organization's recruiters write them, in their language."""
        return [skill_label(key, self.spec.language) for key in skill_concepts(words)]

    def _openings(self) -> list[Opening]:
        openings = []
        for index, opening_spec in enumerate(self.spec.openings):
            recruiter = self.users[opening_spec.recruiters[0]]
            city = data.CITIES[opening_spec.city]
            opening = opening_add(
                organization=self.organization,
                actor=Actor.user(recruiter),
                data={
                    "title": opening_spec.title,
                    "description": opening_spec.description,
                    "location": city.name,
                    "latitude": city.latitude,
                    "longitude": city.longitude,
                    "must_have_skills": self._labels(opening_spec.must_have),
                    "nice_to_have_skills": self._labels(opening_spec.nice_to_have),
                    "languages": list(opening_spec.languages),
                    "status": opening_spec.status,
                    "source": self.spec.ats,
                    "external_id": str(104200 + index * 17),
                },
                recruiter_ids=[self.users[email].pk for email in opening_spec.recruiters],
                now=self.now - dt.timedelta(days=opening_spec.opened_days_ago),
            )
            openings.append(opening)
        return openings

    def _opening_spec(self, opening: Opening) -> OpeningSpec:
        return self.spec.openings[self.openings.index(opening)]

    # Candidates -------------------------------------------------------------------------------

    def _candidates(self) -> list[_Person]:
        # More people in the professions with more (and open) openings.
        weights: dict[str, int] = {}
        for opening_spec in self.spec.openings:
            weight = 2 if opening_spec.status == Opening.Status.OPEN else 1
            weights[opening_spec.profile] = weights.get(opening_spec.profile, 0) + weight
        profiles = [(data.PROFILES[key], weight) for key, weight in weights.items()]
        people = []
        for index in range(CANDIDATES_PER_ORGANIZATION):
            people.append(self._candidate(index, self._weighted(profiles)))
            if (index + 1) % PROGRESS_EVERY == 0 or index + 1 == CANDIDATES_PER_ORGANIZATION:
                self.progress(f"  candidates {index + 1}/{CANDIDATES_PER_ORGANIZATION}")
        return people

    def _candidate(self, index: int, profile: Profile) -> _Person:
        rng, spec = self.rng, self.spec
        nationality = self._weighted(spec.nationalities)
        spoken: list[str]
        if nationality == "intl":
            origin = data.INTERNATIONAL_NAMES[rng.choice(sorted(data.INTERNATIONAL_NAMES))]
            first_name, last_name = rng.choice(origin.first_names), rng.choice(origin.last_names)
            language, domain = "en", "example.com"
            spoken = ["en", origin.language]
            if rng.random() < 0.3:
                spoken.append(spec.language)
            city = data.CITIES[self._weighted(spec.cities)]
        elif nationality == "da":
            first_name, last_name = rng.choice(data.DANISH_FIRST_NAMES), rng.choice(data.DANISH_LAST_NAMES)
            language, domain = "da", "example.net"  # reserved (RFC 2606): never a real inbox
            spoken = ["da", "en", *[code for code, p in (("sv", 0.2), ("de", 0.15)) if rng.random() < p]]
            city = data.CITIES[self._weighted(spec.cities if spec.country == "DK" else spec.neighbour_cities)]
        else:
            first_name, last_name = rng.choice(data.SWEDISH_FIRST_NAMES), rng.choice(data.SWEDISH_LAST_NAMES)
            language, domain = "sv", "example.org"
            extra = (("no", 0.15), ("da", 0.1), ("de", 0.1), ("fi", 0.05))
            spoken = ["sv", "en", *[code for code, p in extra if rng.random() < p]]
            city = data.CITIES[self._weighted(spec.cities if spec.country == "SE" else spec.neighbour_cities)]
        spoken = list(dict.fromkeys(spoken))

        years = rng.randint(*profile.years)
        skills = skill_concepts(
            [
                *rng.sample(profile.core_skills, rng.randint(2, len(profile.core_skills))),
                *rng.sample(profile.extra_skills, rng.randint(0, 3)),
            ]
        )
        home = "INTL" if nationality == "intl" and rng.random() < 0.4 else city.country
        employer = rng.choice(data.EMPLOYERS[home][rng.choice(profile.sectors)])
        previous = rng.choice(
            data.EMPLOYERS["INTL" if nationality == "intl" else home][rng.choice(profile.sectors)]
        )
        if previous == employer:
            previous = ""
        cv_text = self._cv_text(
            profile=profile,
            language=language,
            years=years,
            city=city,
            employer=employer,
            previous=previous,
            skills=skills,
            spoken=spoken,
        )
        if years >= 12:
            headline = data.HEADLINE_SENIOR[language].format(title=profile.title[language], years=years)
        else:
            focus = rng.choice(profile.focus[language])
            headline = data.HEADLINE_FOCUS[language].format(title=profile.title[language], focus=focus)
        tags = rng.sample(spec.tags, self._weighted([(0, 50), (1, 35), (2, 15)]))
        if years <= 2:
            tags.append(spec.junior_tag)
        elif years >= 15:
            tags.append(spec.senior_tag)
        local = self._email_local(first_name, last_name)
        links = []
        if profile.link and rng.random() < 0.5:
            host = "portfolio.example" if profile.link == "portfolio" else "git.example"
            links.append(f"https://{host}/{local.replace('.', '-')}")
        from_ats = rng.random() < 0.8
        candidate = candidate_create(
            organization=self.organization,
            actor=Actor.system(),
            data={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{local}@{domain}",
                "phone": self._phone(city),
                "language": language,
                "headline": headline,
                "location": city.name,
                "latitude": city.latitude,
                "longitude": city.longitude,
                "skills": [skill_label(key, language) for key in skills],
                "languages": spoken,
                "years_of_experience": years,
                "links": links,
                "tags": tags,
                "availability": rng.choice(data.AVAILABILITY[language]) if rng.random() < 0.7 else "",
                "cv_text": cv_text,
                "source": spec.ats if from_ats else "",
                "external_id": str(480100 + index * 7) if from_ats else "",
            },
        )
        return _Person(candidate=candidate, profile=profile, employer=employer, skills=skills)

    def _cv_text(
        self,
        *,
        profile: Profile,
        language: str,
        years: int,
        city: City,
        employer: str,
        previous: str,
        skills: Sequence[str],
        spoken: Sequence[str],
    ) -> str:
        rng = self.rng
        first, second = rng.sample(profile.achievements[language], 2)
        story = [
            data.CV_INTRO[language].format(
                role=profile.role[language], years=_years(years, language), city=city.name
            ),
            data.CV_CURRENT_JOB[language].format(employer=employer, achievement=first),
        ]
        if previous and years >= 5:
            previous_years = rng.randint(2, min(8, years - 2))
            story.append(
                data.CV_PREVIOUS_JOB[language].format(
                    years=_years(previous_years, language), employer=previous
                )
            )
        story.append(data.CV_ALSO[language].format(achievement=second))
        labels = [skill_in_text(key, language) for key in skills[:3]]
        names = [data.LANGUAGE_NAMES[code][language] for code in spoken]
        about = [
            profile.education[language],
            data.CV_SKILLS[language].format(skills=_join(labels, language)),
            data.CV_LANGUAGES[language].format(languages=_join(names, language)),
            rng.choice(data.CV_CLOSINGS[language]),
        ]
        return f"{' '.join(story)}\n\n{' '.join(about)}"

    def _email_local(self, first_name: str, last_name: str) -> str:
        first, last = ascii_fold(first_name), ascii_fold(last_name)
        local = self._weighted(
            [
                (f"{first}.{last}", 60),
                (f"{first}{last}", 15),
                (f"{first[0]}.{last}", 15),
                (f"{first}.{last}{self.rng.randint(10, 99)}", 10),
            ]
        )
        candidate, number = local, 2
        while candidate in self.emails:
            candidate, number = f"{local}{number}", number + 1
        self.emails.add(candidate)
        return candidate

    def _phone(self, city: City) -> str:
        rng = self.rng
        if city.country == "DK":
            prefix = rng.choice(DK_MOBILE_PREFIXES)
            return f"+45 {prefix} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
        # Swedish numbers from the ranges PTS reserves for use in fiction.
        landlines = {
            "Göteborg": "+46 31 390 06 {:02d}",
            "Mölndal": "+46 31 390 06 {:02d}",
            "Stockholm": "+46 8 465 004 {:02d}",
            "Solna": "+46 8 465 004 {:02d}",
            "Malmö": "+46 40 628 04 {:02d}",
        }
        if city.name in landlines and rng.random() < 0.3:
            return landlines[city.name].format(rng.randint(0, 99))
        return f"+46 70 174 06 {rng.randint(5, 99):02d}"

    # Decisions and consent, planned before anything is written ---------------------------------

    def _plan(self, people: list[_Person]) -> None:
        rng = self.rng
        runner_up_indexes = set(rng.sample(range(len(people)), len(people) // 2))
        for index, person in enumerate(people):
            is_runner_up = index in runner_up_indexes
            if is_runner_up:
                options = [
                    (opening, 1 if opening.status == Opening.Status.OPEN else 3)
                    for opening in self.openings
                    if self._opening_spec(opening).profile == person.profile.key
                ]
                person.opening = self._weighted(options)
            if rng.random() < (0.7 if is_runner_up else 0.5):
                person.scenario = self._weighted(
                    list(zip(CONSENT_SCENARIOS, CONSENT_SCENARIO_WEIGHTS, strict=True))
                )
                granted_days_ago = self._consent_plan(person)
                if is_runner_up:
                    # The decision came first; the invitation went out with the rejection a day later.
                    person.decided_at = self._moment(granted_days_ago + rng.randint(2, 7))
            elif is_runner_up:
                # Without consent a runner-up is kept only for the documentation period (6 months).
                person.decided_at = self._moment(
                    rng.randint(0, 3) if rng.random() < 0.35 else rng.randint(5, 150)
                )

    def _consent_plan(self, person: _Person) -> int:
        """Plan the person's consent events; return how many days ago consent was first granted."""
        rng, months = self.rng, self.organization.consent_months
        kind = ConsentEvent.Kind
        channel = self._weighted(
            [
                (ConsentEvent.Channel.MAGIC_LINK, 88),
                (ConsentEvent.Channel.ADMIN, 7),
                (ConsentEvent.Channel.API, 5),
            ]
        )
        days = {
            "GRANTED": (2, 300),
            "EXPIRING_SOON": (337, 360),
            "RENEWED": (380, 650),
            "WITHDRAWN": (20, 330),
            "EXPIRED": (370, 520),
        }[person.scenario]
        granted_days_ago = rng.randint(*days)
        granted_at = self._moment(granted_days_ago)
        expires_at = add_months(granted_at, months)
        steps = [_ConsentStep(kind.GRANTED, granted_at, expires_at, channel)]
        if person.scenario == "RENEWED":
            renewed_at = expires_at - dt.timedelta(days=rng.randint(3, 25), hours=rng.randint(0, 6))
            steps.append(_ConsentStep(kind.RENEWED, renewed_at, add_months(renewed_at, months)))
        elif person.scenario == "WITHDRAWN":
            steps.append(_ConsentStep(kind.WITHDRAWN, self._moment(rng.randint(1, granted_days_ago - 5))))
        elif person.scenario == "EXPIRED":
            # The nightly retention task records the expiry.
            steps.append(_ConsentStep(kind.EXPIRED, expires_at + dt.timedelta(hours=2), None, "SYSTEM"))
        person.consent = steps
        return granted_days_ago

    # Runner-ups and feedback ------------------------------------------------------------------

    def _runner_ups(self, people: list[_Person]) -> list[_Decision]:
        rng = self.rng
        recorded = []
        approvals: list[Feedback] = []
        for person in people:
            if person.opening is None or person.decided_at is None:
                continue
            opening, opening_spec = person.opening, self._opening_spec(person.opening)
            recruiter = self.users[rng.choice(opening_spec.recruiters)]
            stage = self._weighted(list(zip(STAGES, STAGE_WEIGHTS, strict=True)))
            rank = 2 if rng.random() < 0.75 else 3
            feedback = self._feedback(person, opening, stage)
            runner_up = decision_record(
                actor=Actor.user(recruiter),
                candidate=person.candidate,
                opening=opening,
                stage=stage,
                rank=rank,
                closeness=rng.randint(75, 95) if rank == 2 else rng.randint(60, 82),
                contact_first=rank == 2 and rng.random() < 0.1,
                decided_at=person.decided_at,
                decided_by_id=recruiter.pk,
                notes=rng.choice(self.spec.notes) if rng.random() < 0.3 else "",
                feedback=feedback,
            )
            status = self._feedback_status(person.decided_at)
            recorded.append(_Decision(person, runner_up, feedback, status, recruiter))
            if status != Feedback.Status.DRAFT:
                record = runner_up.feedback
                record.status = status
                record.approved_by = recruiter
                record.approved_at = person.decided_at + dt.timedelta(hours=rng.randint(1, 5))
                approvals.append(record)
        Feedback.objects.bulk_update(approvals, ["status", "approved_by", "approved_at"])
        return recorded

    def _feedback_status(self, decided_at: dt.datetime) -> str:
        if self.now - decided_at < dt.timedelta(days=4):
            return self._weighted([(Feedback.Status.DRAFT, 65), (Feedback.Status.APPROVED, 35)])
        return self._weighted(
            [(Feedback.Status.SENT, 80), (Feedback.Status.APPROVED, 10), (Feedback.Status.DRAFT, 10)]
        )

    def _feedback_language(self, person: _Person) -> str:
        # Recruiters write in their own language, and in English to those who applied in English.
        return "en" if person.language == "en" else self.spec.language

    def _feedback(self, person: _Person, opening: Opening, stage: str) -> FeedbackInput:
        rng, language = self.rng, self._feedback_language(person)
        wanted = set(skill_concepts([*opening.must_have_skills, *opening.nice_to_have_skills]))
        shared = [key for key in person.skills if key in wanted] or person.skills
        skill = skill_in_text(rng.choice(shared), language)
        pool = list(data.STRENGTHS[language])
        if STAGES.index(stage) >= STAGES.index(RunnerUp.Stage.CASE_ASSIGNMENT.value):
            pool.append(data.CASE_STRENGTH[language])
        strengths = [
            text.format(skill=skill, employer=person.employer)
            for text in rng.sample(pool, rng.choice((2, 2, 3)))
        ]
        gaps = [*person.profile.gaps, *data.GENERAL_GAPS, ("COMPANY_UNDERSTANDING", self.spec.company_gap)]
        areas = [(category, texts[language]) for category, texts in rng.sample(gaps, rng.choice((1, 1, 2)))]
        return FeedbackInput(
            strengths=strengths,
            development_areas=areas,
            next_steps=rng.sample(data.NEXT_STEPS[language], rng.choice((1, 2))),
            free_text=data.FEEDBACK_FREE_TEXT[language] if rng.random() < 0.3 else "",
            share_with_candidate=rng.random() < 0.85,
        )

    # Consent ----------------------------------------------------------------------------------

    def _consent_events(self, people: list[_Person]) -> int:
        events: list[ConsentEvent] = []
        for person in people:
            for number, step in enumerate(person.consent):
                grants = step.kind in (ConsentEvent.Kind.GRANTED, ConsentEvent.Kind.RENEWED)
                via_link = step.channel == ConsentEvent.Channel.MAGIC_LINK
                client = f"demo:{self.spec.slug}:{person.candidate.email}:{number}"
                events.append(
                    ConsentEvent(
                        organization=self.organization,
                        candidate=person.candidate,
                        kind=step.kind,
                        text=self.texts[person.language] if grants else None,
                        channel=step.channel,
                        expires_at=step.expires_at,
                        client_hash=hashlib.sha256(client.encode()).hexdigest() if via_link else "",
                    )
                )
        created = ConsentEvent.objects.bulk_create(events)
        # The events happened in the demo's past, but created_at is stamped on insert. Backdating
        # is done in SQL because the model refuses updates: this touches seeded demo rows only.
        moments = [step.at for person in people for step in person.consent]
        table = connection.ops.quote_name(ConsentEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET created_at = %s, updated_at = %s WHERE id = %s",  # noqa: S608
                [
                    (value, value, event.pk)
                    for event, moment in zip(created, moments, strict=True)
                    for value in [connection.ops.adapt_datetimefield_value(moment)]
                ],
            )
        in_pool = []
        for person in people:
            latest = person.consent[-1] if person.consent else None
            if latest and latest.expires_at and latest.expires_at > self.now:
                person.candidate.consent_expires_at = latest.expires_at
                in_pool.append(person.candidate)
        Candidate.objects.bulk_update(in_pool, ["consent_expires_at"])
        return len(created)

    # Messages ---------------------------------------------------------------------------------

    def _messages(self, people: list[_Person], decisions: Sequence[_Decision]) -> int:
        """The warm rejections and consent renewals, written by messaging as it writes them.

        Each is drafted at the moment it was written; one that went out is then marked sent.
        """
        rng = self.rng
        drafted: list[Message] = []
        sent: list[Message] = []
        for decision in decisions:
            runner_up, recruiter = decision.runner_up, decision.recruiter
            message = message_draft(
                kind=Message.Kind.WARM_REJECTION,
                candidate=decision.person.candidate,
                opening=runner_up.opening,
                build=partial(contents.warm_rejection_content, runner_up=runner_up, now=runner_up.decided_at),
                actor=Actor.user(recruiter),
                now=runner_up.decided_at,
            )
            drafted.append(message)
            if self.now - runner_up.decided_at > dt.timedelta(days=4):
                sent_at = runner_up.decided_at + dt.timedelta(hours=rng.randint(24, 30))
                message.approved_by = recruiter
                message.approved_at = sent_at - dt.timedelta(hours=rng.randint(1, 4))
                sent.append(self._sent(message, sent_at))
        for person in people:
            renewal = next((step for step in person.consent if step.kind == ConsentEvent.Kind.RENEWED), None)
            if person.scenario == "EXPIRING_SOON":
                expires_at = person.consent[-1].expires_at
                assert expires_at is not None
                sent_at = min(expires_at - dt.timedelta(days=30), self.now - dt.timedelta(hours=6))
            elif renewal is not None:
                expires_at = person.consent[0].expires_at
                assert expires_at is not None
                sent_at = renewal.at - dt.timedelta(days=rng.randint(1, 10), hours=rng.randint(1, 5))
            else:
                continue
            # The request names the expiry it was sent before (a renewal has moved it since).
            candidate = Candidate.objects.get(pk=person.candidate.pk)
            candidate.consent_expires_at = expires_at
            message = message_draft(
                kind=Message.Kind.CONSENT_RENEWAL,
                candidate=candidate,
                touchpoint=renewal_touchpoint(expires_at),
                build=partial(
                    contents.keep_warm_content,
                    kind=Message.Kind.CONSENT_RENEWAL,
                    candidate=candidate,
                    now=sent_at,
                ),
                actor=Actor.system(),
                now=sent_at,
            )
            drafted.append(message)
            sent.append(self._sent(message, sent_at))
        Message.objects.bulk_update(
            sent, ["status", "approved_by", "approved_at", "scheduled_at", "sent_at", "attempts"]
        )
        return len(drafted)

    @staticmethod
    def _sent(message: Message, sent_at: dt.datetime) -> Message:
        message.status = Message.Status.SENT
        message.scheduled_at = message.sent_at = sent_at
        message.attempts = 1
        return message

    # Feedback requests, match alerts, touchpoint plans ----------------------------------------

    def _feedback_requests(self, decisions: Sequence[_Decision]) -> int:
        rng, now = self.rng, self.now
        eligible = [
            decision
            for decision in decisions
            if now - decision.runner_up.decided_at > dt.timedelta(days=7)
            and decision.feedback_status == Feedback.Status.SENT
        ]
        # One overdue, two due soon, one answered.
        plans = [("OPEN", -2), ("OPEN", 3), ("OPEN", 6), ("ANSWERED", -1)]
        requests = []
        for decision, (status, due_in_days) in zip(
            rng.sample(eligible, min(len(eligible), len(plans))), plans, strict=False
        ):
            request = FeedbackRequest(
                organization=self.organization,
                candidate=decision.person.candidate,
                runner_up=decision.runner_up,
                question=rng.choice(data.FEEDBACK_REQUEST_QUESTIONS[decision.person.language]),
                status=status,
                due_at=now + dt.timedelta(days=due_in_days, hours=9),
            )
            if status == FeedbackRequest.Status.ANSWERED:
                request.answered_at = now - dt.timedelta(days=3, hours=rng.randint(1, 6))
                request.answered_by = decision.recruiter
            requests.append(request)
        FeedbackRequest.objects.bulk_create(requests)
        return len(requests)

    def _match_alerts(self, people: list[_Person], decisions: Sequence[_Decision]) -> int:
        """Alerts for the open openings, scored as the matching service scores them.

        They stand for matching runs before ``now``: the opening's hard requirements and the match
        score are those of the matching service, read from the profiles as the index holds them.
        Each new opening also queues a real matching run, which adds alerts of its own.
        """
        now = self.now
        past_titles: dict[int, set[str]] = {}
        for decision in decisions:
            runner_up = decision.runner_up
            past_titles.setdefault(runner_up.candidate_id, set()).add(runner_up.opening.title)
        pool = [person.candidate.pk for person in people if person.candidate.is_in_pool(now=now)]
        facts = [
            CandidateFacts.from_source(candidate_id, source)
            for candidate_id, source in load_candidate_sources(pool, now=now).items()
            if source is not None
        ]
        alerts: list[MatchAlert] = []
        for opening in self.openings:
            if opening.status != Opening.Status.OPEN:
                continue
            needs = opening_needs(opening)
            matches = [
                score_match(needs, candidate)
                for candidate in facts
                if hard_requirements_met(needs, candidate, now=now)
                and opening.title not in past_titles.get(candidate.candidate_id, set())
            ]
            best = sorted((match for match in matches if match.score >= THRESHOLD), key=Match.sort_key)[:5]
            for match in best:
                status = self._weighted(
                    [
                        (MatchAlert.Status.NEW, 60),
                        (MatchAlert.Status.CONTACTED, 25),
                        (MatchAlert.Status.DISMISSED, 15),
                    ]
                )
                alerts.append(
                    MatchAlert(
                        organization=self.organization,
                        opening=opening,
                        candidate_id=match.candidate_id,
                        score=match.score,
                        reasons=match.reasons,
                        status=status,
                    )
                )
        MatchAlert.objects.bulk_create(alerts)
        return len(alerts)

    def _touchpoint_plans(self, people: list[_Person]) -> int:
        rng, now = self.rng, self.now
        plans = []
        for person in people:
            if not person.consent:
                continue
            latest = person.consent[-1]
            plan = TouchpointPlan(organization=self.organization, candidate=person.candidate)
            plan.last_contacted_at = max(step.at for step in person.consent if step.expires_at is not None)
            if person.candidate.is_in_pool(now=now):
                assert latest.expires_at is not None
                if person.scenario == "EXPIRING_SOON":
                    plan.next_touchpoint = Message.Kind.CONSENT_RENEWAL
                    plan.next_due_at = max(
                        latest.expires_at - dt.timedelta(days=7), now + dt.timedelta(hours=9)
                    )
                else:
                    plan.next_touchpoint = rng.choice(
                        (Message.Kind.CHECK_IN, Message.Kind.CV_UPDATE_INVITATION)
                    )
                    plan.next_due_at = now + dt.timedelta(days=rng.randint(3, 100), hours=9)
            else:
                plan.stopped_at = latest.at
            plans.append(plan)
        TouchpointPlan.objects.bulk_create(plans)
        return len(plans)
