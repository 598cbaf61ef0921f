"""Match-alert quality on the hand-labelled sets in ``bench/matching_data/``.

Each set is loaded as an integrator would load it: past hiring decisions (runner-ups with
feedback) and candidates through the REST API, consent given through the candidates' own links
(the consent request's email, the link, the confirmation page), then each opening created through
the API, which matches it against the pool. The alerts the API lists for the opening, best score
first, are compared with a recruiter's grades (3: call them today, 2: worth a look, 1: weak):

- precision@5: the share of the first five alerts graded 2 or 3 (an empty place counts as a miss);
- grade-3 recall@3: the share of grade-3 people among the first three, out of min(3, how many);
- nDCG@10: the order of the first ten alerts against the ideal order of the grades.

Next to it, a word-overlap baseline ranks the whole pool by how many of the opening's words
(title and skills) the candidate's headline, skills and CV contain, with no filters.

    .venv/bin/python bench/matching_quality.py [set_a.json ...]
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "matching_data"
RELEVANT = 2  # grade from which an alert counts as right for precision


@dataclass
class Scores:
    precision_at_5: float
    grade3_recall_at_3: float
    ndcg_at_10: float

    def row(self, name: str) -> str:
        return (
            f"{name:<28} {self.precision_at_5:>6.2f} {self.grade3_recall_at_3:>8.2f} {self.ndcg_at_10:>8.2f}"
        )


def dcg(gains: Sequence[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(gains))


def opening_scores(ranked: Sequence[str], grades: dict[str, int]) -> Scores:
    top5 = [grades.get(ref, 0) for ref in ranked[:5]]
    precision = sum(1 for grade in top5 if grade >= RELEVANT) / 5
    best = [ref for ref, grade in grades.items() if grade == 3]
    recall = sum(1 for ref in ranked[:3] if grades.get(ref, 0) == 3) / min(3, len(best)) if best else 1.0
    ideal = dcg(sorted(grades.values(), reverse=True)[:10])
    ndcg = dcg([grades.get(ref, 0) for ref in ranked[:10]]) / ideal if ideal else 1.0
    return Scores(precision, recall, ndcg)


def mean_scores(scores: Sequence[Scores]) -> Scores:
    count = len(scores)
    return Scores(
        sum(s.precision_at_5 for s in scores) / count,
        sum(s.grade3_recall_at_3 for s in scores) / count,
        sum(s.ndcg_at_10 for s in scores) / count,
    )


# The baseline --------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if len(word) > 2}


def overlap_ranking(dataset: dict[str, Any], opening: dict[str, Any]) -> list[str]:
    """Plain word overlap: the opening's title and skills against headline, skills and CV."""
    wanted = _words(
        " ".join([opening["title"], *opening["must_have_skills"], *opening["nice_to_have_skills"]])
    )
    scored = []
    for person in dataset["candidates"]:
        if not person.get("in_pool", True):
            continue
        have = _words(
            " ".join([person.get("headline", ""), *person.get("skills", []), person.get("cv_text", "")])
        )
        scored.append((-len(wanted & have), person["ref"]))
    return [ref for _, ref in sorted(scored)]


# Scoring without the API and the engine ------------------------------------------------------


def offline_rankings(dataset: dict[str, Any], *, now: Any) -> dict[str, list[str]]:
    """Each opening's alerts as the matching service would make them, scored in this process.

    The same profile building and scoring as the service, without the database, the API or the
    engine's recall (whose completeness ``tests/matching/test_services.py`` checks): seconds
    instead of a minute, for the quality floor in the test suite.
    """
    from talentpool.core.models import Organization
    from talentpool.matching.scoring import (
        THRESHOLD,
        CandidateFacts,
        OpeningNeeds,
        hard_requirements_met,
        score_match,
    )
    from talentpool.matching.services import MATCH_ALERT_LIMIT
    from talentpool.openings.models import Opening
    from talentpool.skills.profile import PastPlace, profile_of

    spec = dataset["organization"]
    organization = Organization(
        pk=1, country=spec.get("country", "DK"), default_radius_km=spec.get("default_radius_km", 50)
    )
    past = {opening["ref"]: opening for opening in dataset.get("past_openings", [])}
    facts: dict[str, CandidateFacts] = {}
    for number, person in enumerate(dataset["candidates"]):
        if not person.get("in_pool", True):
            continue
        history = [
            PastPlace(
                past[place["opening"]]["title"],
                place["stage"],
                tuple(area["text"] for area in (place.get("feedback") or {}).get("development_areas", [])),
            )
            for place in person.get("runner_ups", [])
        ]
        profile = profile_of(
            skills=person.get("skills", []),
            headline=person.get("headline", ""),
            cv_text=person.get("cv_text", ""),
            years_of_experience=person.get("years_of_experience"),
            location=person.get("location", ""),
            latitude=person.get("latitude"),
            longitude=person.get("longitude"),
            languages=person.get("languages", []),
            preferred_language=person.get("language") or "en",
            history=history,
            country=organization.country,
        )
        contact_first = any(place.get("contact_first") for place in person.get("runner_ups", []))
        facts[person["ref"]] = CandidateFacts(number, 1, profile, person.get("location", ""), contact_first)
    rankings: dict[str, list[str]] = {}
    for spec_opening in dataset["openings"]:
        opening = Opening(organization_id=1, **_opening_payload(spec_opening))
        opening.organization = organization
        needs = OpeningNeeds.of(opening)
        matches = [
            (score_match(needs, candidate), ref)
            for ref, candidate in facts.items()
            if hard_requirements_met(needs, candidate, now=now)
        ]
        matches.sort(key=lambda pair: pair[0].sort_key())
        rankings[spec_opening["ref"]] = [ref for match, ref in matches if match.score >= THRESHOLD][
            :MATCH_ALERT_LIMIT
        ]
    return rankings


def evaluate_rankings(dataset: dict[str, Any], rankings: dict[str, list[str]]) -> Scores:
    return mean_scores(
        [
            opening_scores(
                rankings[opening["ref"]], {ref: int(grade) for ref, grade in opening["grades"].items()}
            )
            for opening in dataset["openings"]
        ]
    )


def baseline_scores(dataset: dict[str, Any]) -> Scores:
    return evaluate_rankings(
        dataset, {opening["ref"]: overlap_ranking(dataset, opening) for opening in dataset["openings"]}
    )


# Loading through the API ---------------------------------------------------------------------


def configure() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="talentpool-quality-"))
    Path(os.environ["VAR_DIR"], "static").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("API_THROTTLE_RATE", "1000000/min")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("EMAIL_URL", "locmem://")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpool.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import logging

    logging.getLogger("celery").setLevel(logging.WARNING)


def _candidate_payload(person: dict[str, Any]) -> dict[str, Any]:
    fields = [
        "first_name", "last_name", "email", "language", "headline", "location", "latitude", "longitude",
        "skills", "languages", "years_of_experience", "cv_text",
    ]  # fmt: skip
    payload = {name: person[name] for name in fields if person.get(name) is not None}
    return {**payload, "source": "labelled-set", "external_id": person["ref"]}


def _opening_payload(opening: dict[str, Any]) -> dict[str, Any]:
    fields = [
        "title", "description", "location", "latitude", "longitude", "radius_km", "remote",
        "must_have_skills", "nice_to_have_skills", "hard_skills", "languages", "experience_level",
        "min_years_of_experience",
    ]  # fmt: skip
    return {name: opening[name] for name in fields if opening.get(name) is not None}


def load_set(
    dataset: dict[str, Any], *, check: Callable[[Any, int], None] | None = None
) -> dict[str, list[str]]:
    """Load a set into a new organization through the API; return each opening's alerts, best first."""
    from django.core import mail
    from django.test import Client
    from django.urls import reverse
    from django.utils.text import slugify
    from rest_framework.test import APIClient

    from talentpool.consent.models import ConsentText
    from talentpool.core.actors import Actor
    from talentpool.core.models import ApiKey, Organization
    from talentpool.core.services import api_key_create

    spec = dataset["organization"]
    organization = Organization.objects.create(
        name=spec["name"],
        slug=slugify(spec["name"])[:50],
        language=spec["language"],
        country=spec.get("country", "DK"),
        default_radius_km=spec.get("default_radius_km", 50),
        auto_approve_messages=False,
    )
    for language in ("da", "sv", "en"):
        ConsentText.objects.create(
            organization=organization,
            language=language,
            version=1,
            title="Talent pool",
            body="We keep your profile.",
        )
    _, secret = api_key_create(
        organization=organization, actor=Actor.system(), name="ATS", scope=ApiKey.Scope.WRITE
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def ok(response: Any, status: int) -> Any:
        if check is not None:
            check(response, status)
        elif response.status_code != status:
            raise AssertionError(f"{response.status_code}: {response.content[:500]!r}")
        return response.json()

    mail.outbox = []  # the locmem backend's, before its first message
    past = {opening["ref"]: opening for opening in dataset.get("past_openings", [])}
    ids: dict[str, int] = {}
    for person in dataset["candidates"]:
        payload = _candidate_payload(person)
        if person.get("runner_ups"):
            for place in person["runner_ups"]:
                old = past[place["opening"]]
                body = {
                    "candidate": payload,
                    "opening": {
                        "title": old["title"],
                        "location": old.get("location", ""),
                        "status": old.get("status", "FILLED"),
                        "source": "labelled-set",
                        "external_id": old["ref"],
                    },
                    "stage": place["stage"],
                    "contact_first": place.get("contact_first", False),
                    "decided_at": place["decided_at"],
                }
                if place.get("feedback"):
                    body["feedback"] = place["feedback"]
                created = ok(api.post("/api/v1/runner-ups/", body, format="json"), 201)
                ids[person["ref"]] = created["candidate_id"]
        else:
            created = ok(api.post("/api/v1/candidates/upsert/", payload, format="json"), 201)
            ids[person["ref"]] = created["id"]
    # Consent through the candidates' own links: the request's email, the link, the page's button.
    for person in dataset["candidates"]:
        if not person.get("in_pool", True):
            continue
        mail.outbox.clear()
        ok(api.post(f"/api/v1/candidates/{ids[person['ref']]}/consent-requests/"), 202)
        match = re.search(r"/me/link/([\w-]+)/", str(mail.outbox[-1].body))
        assert match, "the consent request's email has a link"
        browser = Client()
        browser.get(reverse("candidate-link", args=[match[1]]))
        text = ConsentText.objects.get(organization=organization, language=person.get("language") or "en")
        response = browser.post(reverse("candidate-link-confirm"), {"intent": "consent", "text": text.pk})
        assert response.status_code in (200, 302), response.status_code
    refs = {candidate_id: ref for ref, candidate_id in ids.items()}
    rankings: dict[str, list[str]] = {}
    for opening in dataset["openings"]:
        created = ok(api.post("/api/v1/openings/", _opening_payload(opening), format="json"), 201)
        alerts = ok(api.get(f"/api/v1/match-alerts/?opening={created['id']}&page_size=500"), 200)["results"]
        alerts.sort(key=lambda alert: (-alert["score"], alert["id"]))
        rankings[opening["ref"]] = [refs[alert["candidate_id"]] for alert in alerts]
    return rankings


def evaluate(path: Path, *, verbose: bool = False) -> tuple[Scores, Scores]:
    dataset = json.loads(path.read_text())
    rankings = load_set(dataset)
    ours, baseline = [], []
    for opening in dataset["openings"]:
        grades = {ref: int(grade) for ref, grade in opening["grades"].items()}
        ours.append(opening_scores(rankings[opening["ref"]], grades))
        baseline.append(opening_scores(overlap_ranking(dataset, opening), grades))
        if verbose:
            mine = rankings[opening["ref"]]
            print(
                f"  {opening['ref']} {opening['title'][:40]:<40} P@5 {ours[-1].precision_at_5:.2f} "
                f"R3 {ours[-1].grade3_recall_at_3:.2f} nDCG {ours[-1].ndcg_at_10:.2f} "
                f"top: {[(ref, grades.get(ref, 0)) for ref in mine[:6]]} "
                f"missed-3: {[ref for ref, g in grades.items() if g == 3 and ref not in mine[:5]]}"
            )
    return mean_scores(ours), mean_scores(baseline)


def main(argv: Sequence[str]) -> None:
    configure()
    from talentpool.search.candidates import candidate_index

    paths = [Path(arg) for arg in argv if not arg.startswith("-")] or sorted(DATA.glob("*.json"))
    verbose = "-v" in argv
    print(f"{'':<28} {'P@5':>6} {'G3 R@3':>8} {'nDCG@10':>8}")
    every: list[tuple[Scores, Scores]] = []
    for path in paths:
        candidate_index.ensure()
        ours, baseline = evaluate(path, verbose=verbose)
        every.append((ours, baseline))
        print(ours.row(f"{path.stem}: match alerts"))
        print(baseline.row(f"{path.stem}: word overlap"))
    if len(every) > 1:
        print(mean_scores([o for o, _ in every]).row("all sets: match alerts"))
        print(mean_scores([b for _, b in every]).row("all sets: word overlap"))


if __name__ == "__main__":
    main(sys.argv[1:])
