from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from integrations.search import indices
from integrations.search.indices import fingerprint
from talentpool.candidates.models import Candidate
from talentpool.core.actors import Actor
from talentpool.core.models import AuditEvent, Membership
from talentpool.flows.consent import pool_leave
from talentpool.flows.decision import decision_record
from talentpool.flows.opening import opening_add, opening_change
from talentpool.flows.profile import candidate_change
from talentpool.matching import services
from talentpool.matching.models import GapClosure, MatchAlert
from talentpool.matching.scoring import (
    THRESHOLD,
    Match,
    hard_requirements_met,
    reasons_text,
    score_match,
)
from talentpool.matching.services import opening_match
from talentpool.messaging.models import Message
from talentpool.openings.services import FeedbackInput
from talentpool.search.candidates import candidate_index
from talentpool.workspace.overview import candidate_timeline
from tests.candidates.test_search import pooled
from tests.factories import MembershipFactory, OpeningFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]

SYSTEM = Actor.system()
AARHUS = {"location": "Aarhus", "latitude": 56.1629, "longitude": 10.2039}


@pytest.fixture
def pool(organization, django_capture_on_commit_callbacks):
    """A small pool around an IT project manager role, some of them past runner-ups."""
    with django_capture_on_commit_callbacks(execute=True):
        past = OpeningFactory(organization=organization, title="IT-projektleder", status="FILLED")
        people = {
            "runner_up": pooled(
                organization, first_name="Mette", skills=["projektleder", "PRINCE2", "agil"], **AARHUS
            ),
            "skilled": pooled(
                organization, first_name="Jonas", skills=["project manager", "prince2"], **AARHUS
            ),
            "flagged": pooled(
                organization, first_name="Freja", skills=["project manager", "prince2"], **AARHUS
            ),
            "partial": pooled(organization, first_name="Ida", skills=["project management"], **AARHUS),
            "unrelated": pooled(organization, first_name="Bo", skills=["bogføring", "e-conomic"], **AARHUS),
            "far_away": pooled(
                organization,
                first_name="Lars",
                skills=["PM", "prince2"],
                location="Tromsø",
                latitude=69.6492,
                longitude=18.9553,
            ),
        }
        decision_record(actor=SYSTEM, candidate=people["runner_up"], opening=past, stage="FINAL_INTERVIEW")
        decision_record(
            actor=SYSTEM,
            candidate=people["flagged"],
            opening=OpeningFactory(organization=organization, title="Marketing Coordinator", status="FILLED"),
            stage="SCREENING",
            contact_first=True,
        )
    return people


def new_opening(organization, recruiters=(), **data):
    data = {
        "title": "IT Project Manager",
        "description": "Lead the rollout of our new case management system.",
        "must_have_skills": ["project management", "PRINCE2"],
        "nice_to_have_skills": ["agile"],
        **AARHUS,
        **data,
    }
    return opening_add(
        organization=organization, actor=SYSTEM, data=data, recruiter_ids=[r.pk for r in recruiters]
    )


def test_match_alerts_rank_the_past_runner_up_first_with_readable_reasons(
    organization, pool, recruiter, django_capture_on_commit_callbacks
):
    # when an opening is created
    with django_capture_on_commit_callbacks(execute=True):
        opening = new_opening(organization, recruiters=[recruiter])
    # then the past runner-up leads, half the must-haves ranks last, and the bookkeeper and the
    # project manager too far away are left out
    alerts = list(MatchAlert.objects.filter(opening=opening).order_by("-score", "id"))
    names = [alert.candidate.first_name for alert in alerts]
    assert names[0] == "Mette"
    assert names[-1] == "Ida"
    assert set(names) == {"Mette", "Jonas", "Freja", "Ida"}
    assert reasons_text(alerts[0].reasons) == (
        "has Project manager (profile), Project management (profile), PRINCE2 (profile) and Agile "
        "(profile); runner-up for IT-projektleder, final interview; 0 km away"
    )
    opening.refresh_from_db()
    assert opening.matched_at is not None


def test_contact_first_runner_ups_rank_first_among_equal_matches(
    organization, pool, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        opening = new_opening(organization)
    alerts = {a.candidate.first_name: a for a in MatchAlert.objects.filter(opening=opening)}
    assert alerts["Freja"].score == alerts["Jonas"].score
    ranked = [m.candidate.first_name for m in sorted(alerts.values(), key=lambda a: (-a.score, a.id))]
    # the alerts are stored best first, with Freja (contact first) before Jonas
    assert ranked.index("Freja") < ranked.index("Jonas")


def test_an_alert_is_never_created_twice_for_the_same_pair(
    organization, pool, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        opening = new_opening(organization)
    count = MatchAlert.objects.filter(opening=opening).count()
    assert opening_match(opening_id=opening.pk) == []
    with django_capture_on_commit_callbacks(execute=True):
        opening_change(opening=opening, actor=SYSTEM, data={"status": "CLOSED"})
        opening_change(opening=opening, actor=SYSTEM, data={"status": "OPEN"})
    assert MatchAlert.objects.filter(opening=opening).count() == count


def test_a_candidate_who_left_the_pool_never_appears_in_a_new_alert(
    organization, pool, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pool_leave(candidate=pool["runner_up"], actor=Actor.candidate())
        opening = new_opening(organization)
    assert not MatchAlert.objects.filter(opening=opening, candidate=pool["runner_up"]).exists()
    assert MatchAlert.objects.filter(opening=opening).exists()


def test_the_recruiters_get_one_digest_per_opening_not_one_per_candidate(
    organization, pool, recruiter, django_capture_on_commit_callbacks
):
    # given two recruiters on the opening
    colleague = UserFactory(
        username="jonas-r", email="jonas@kystlys.example", first_name="Jonas", is_staff=True
    )
    MembershipFactory(user=colleague, organization=organization, role=Membership.Role.RECRUITER)
    with django_capture_on_commit_callbacks(execute=True):
        new_opening(organization, recruiters=[recruiter, colleague])
    # then each gets one email naming every match and why
    assert sorted(message.to[0] for message in mail.outbox) == sorted([recruiter.email, colleague.email])
    body = mail.outbox[0].body
    for name in ("Mette", "Jonas", "Freja"):
        assert name in body
    assert "PRINCE2" in body
    assert getattr(mail.outbox[0], "alternatives", [])[0][1] == "text/html"
    digests = Message.objects.filter(kind=Message.Kind.MATCH_ALERT_DIGEST)
    assert digests.count() == 2
    assert set(digests.values_list("status", flat=True)) == {"SENT"}


def test_a_profile_update_matches_the_candidate_against_open_openings(
    organization, pool, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        opening = new_opening(organization)
    assert not MatchAlert.objects.filter(opening=opening, candidate=pool["unrelated"]).exists()
    # when Bo, a bookkeeper, retrains and says so in his profile
    with django_capture_on_commit_callbacks(execute=True):
        candidate_change(
            candidate=pool["unrelated"],
            actor=Actor.candidate(),
            data={"headline": "IT-projektleder", "skills": ["projektledelse", "PRINCE2 Practitioner"]},
        )
    # then he is alerted for the open opening
    assert MatchAlert.objects.filter(opening=opening, candidate=pool["unrelated"]).exists()


def test_another_organizations_opening_never_alerts_these_candidates(
    organization, other_organization, pool, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        theirs = new_opening(other_organization)
    assert not MatchAlert.objects.filter(opening=theirs).exists()
    assert MatchAlert.objects.filter(organization=other_organization).count() == 0


def test_a_closed_opening_is_not_matched(organization, pool, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        opening = new_opening(organization, status="CLOSED")
    assert not MatchAlert.objects.filter(opening=opening).exists()
    assert opening_match(opening_id=opening.pk) == []


def test_the_engine_recalls_everyone_a_scoring_of_the_whole_pool_would_rank(
    organization, pool, django_capture_on_commit_callbacks
):
    # given an opening (created closed, so nothing is alerted yet)
    with django_capture_on_commit_callbacks(execute=True):
        opening = new_opening(organization, status="CLOSED")
    opening.status = "OPEN"
    # when the pool is ranked through the engine
    now = timezone.now()
    ranked = services.opening_rank(opening, now=now, enough=None)
    # then everyone worth an alert is exactly who scoring the whole pool from the database finds
    needs = services.opening_needs(opening)
    everyone = [
        score_match(needs, facts)
        for candidate in Candidate.objects.in_pool(now=now)
        if (facts := services.candidate_facts(candidate.pk, now=now)) is not None
        and hard_requirements_met(needs, facts, now=now)
    ]
    assert [(m.candidate_id, m.score) for m in ranked if m.score >= THRESHOLD] == [
        (m.candidate_id, m.score) for m in sorted(everyone, key=Match.sort_key) if m.score >= THRESHOLD
    ]
    names = [Candidate.objects.get(pk=m.candidate_id).first_name for m in ranked]
    assert names[0] == "Mette"
    assert "Lars" not in names  # too far away
    assert names.index("Freja") < names.index("Jonas")  # equal scores, Freja is contact first


def test_more_of_the_pool_is_read_when_the_best_candidates_live_too_far_away(
    organization, django_capture_on_commit_callbacks, monkeypatch
):
    # given three strong candidates far away and one weaker candidate nearby
    monkeypatch.setattr(services, "MATCH_FIRST_PAGE", 2)
    far = {"location": "Tromsø", "latitude": 69.6492, "longitude": 18.9553}
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("Lars", "Nils", "Ole"):
            pooled(
                organization, first_name=name, headline="IT Project Manager", skills=["PM", "PRINCE2"], **far
            )
        nearby = pooled(organization, first_name="Ida", skills=["PM", "PRINCE2"], **AARHUS)
    # when an opening in Aarhus is matched, reading two candidates first
    with django_capture_on_commit_callbacks(execute=True):
        opening = new_opening(organization, nice_to_have_skills=[])
    # then the nearby candidate, read next, is found, and nobody far away
    assert list(MatchAlert.objects.filter(opening=opening).values_list("candidate", flat=True)) == [nearby.pk]


def test_a_candidate_who_does_not_speak_the_openings_languages_is_not_alerted(
    organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        danish = pooled(
            organization, first_name="Mette", skills=["PM", "PRINCE2"], languages=["da"], **AARHUS
        )
        pooled(organization, first_name="Erik", skills=["PM", "PRINCE2"], languages=["sv"], **AARHUS)
        opening = new_opening(organization, languages=["da"])
    assert list(MatchAlert.objects.filter(opening=opening).values_list("candidate", flat=True)) == [danish.pk]


def test_a_candidate_whose_consent_expired_is_not_alerted_even_while_still_indexed(
    organization, pool, django_capture_on_commit_callbacks
):
    # given Mette's consent ran out a minute ago and the expiry task has not run yet
    Candidate.objects.filter(pk=pool["runner_up"].pk).update(
        consent_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        opening = new_opening(organization)
    alerted = set(MatchAlert.objects.filter(opening=opening).values_list("candidate__first_name", flat=True))
    assert alerted == {"Jonas", "Freja", "Ida"}


def test_a_pool_indexed_before_match_profiles_existed_is_refilled_when_the_new_release_starts(
    organization, django_capture_on_commit_callbacks
):
    # given Mette's document in an index made by a release without concepts and match profiles
    with django_capture_on_commit_callbacks(execute=True):
        mette = pooled(organization, first_name="Mette", skills=["PM", "PRINCE2"], **AARHUS)
    client = candidate_index.client
    [current] = candidate_index.indices_behind(candidate_index.read_alias)
    source = client.get(index=current, id=str(mette.pk))["_source"]
    new_fields = ("concepts", "match_profile")
    old = {key: value for key, value in source.items() if key not in (*new_fields, "fingerprint", "row_id")}
    body = candidate_index.body()
    for field in new_fields:
        del body["mappings"]["properties"][field]
    client.indices.delete(index=current)
    name = f"{candidate_index.read_alias}-old"
    client.indices.create(index=name, body=body)
    client.indices.update_aliases(
        actions=[
            {"add": {"index": name, "alias": candidate_index.read_alias}},
            {"add": {"index": name, "alias": candidate_index.write_alias}},
        ]
    )
    document = {**old, "fingerprint": fingerprint(old), "row_id": mette.pk}
    client.index(index=name, id=str(mette.pk), document=document, refresh=True)
    indices._ensured.clear()  # what a new process of the new release starts with
    # when the new release first uses the index
    with django_capture_on_commit_callbacks(execute=True):
        candidate_index.ensure()
    # then the reconciliation it queued refilled the document, and Mette is matched
    candidate_index.refresh()
    refilled = client.get(index=candidate_index.read_alias, id=str(mette.pk))["_source"]
    assert f"{organization.pk}:prince2" in refilled["concepts"]
    with django_capture_on_commit_callbacks(execute=True):
        opening = new_opening(organization)
    assert list(MatchAlert.objects.filter(opening=opening).values_list("candidate", flat=True)) == [mette.pk]


def test_a_runner_up_who_closes_the_deciding_gap_is_brought_to_the_recruiters_of_similar_openings(
    organization, recruiter, django_capture_on_commit_callbacks
):
    # given Karin, runner-up for a warehouse manager post, missing a forklift licence
    with django_capture_on_commit_callbacks(execute=True):
        karin = pooled(
            organization, first_name="Karin", headline="Lagerleder", skills=["Lagerstyring"], **AARHUS
        )
        past = OpeningFactory(organization=organization, title="Lagerchef", status="FILLED")
        decision_record(
            actor=SYSTEM,
            candidate=karin,
            opening=past,
            stage="SECOND_INTERVIEW",
            feedback=FeedbackInput(development_areas=[("CERTIFICATION", "Mangler truckcertifikat")]),
        )
        # and a similar warehouse post that cannot do without the licence, created before she has it
        opening = new_opening(
            organization,
            recruiters=[recruiter],
            title="Lagerchef",
            must_have_skills=["Truckcertifikat", "Lagerstyring"],
            hard_skills=["Truckcertifikat"],
            nice_to_have_skills=[],
        )
    assert not MatchAlert.objects.filter(opening=opening, candidate=karin).exists()
    # when she adds the licence to her profile
    with django_capture_on_commit_callbacks(execute=True):
        candidate_change(
            candidate=karin, actor=Actor.candidate(), data={"skills": ["Lagerstyring", "Truckcertifikat"]}
        )
    # then the closed gap is recorded once, on her timeline, and the opening's recruiter hears of it
    closure = GapClosure.objects.get(candidate=karin)
    assert (closure.concept, closure.runner_up.opening) == ("forklift_licence", past)
    assert AuditEvent.objects.filter(action="candidate.gap_closed", target_id=karin.pk).count() == 1
    alert = MatchAlert.objects.get(opening=opening, candidate=karin)
    assert "closed the gap: Forklift licence (runner-up for Lagerchef, second interview)" in reasons_text(
        alert.reasons
    )
    assert any("Karin" in message.body for message in mail.outbox if recruiter.email in message.to)
    timeline = candidate_timeline(candidate=karin)
    assert [entry.item for entry in timeline if entry.kind == "gap"] == [closure]
    # and saving the profile again records nothing new
    with django_capture_on_commit_callbacks(execute=True):
        candidate_change(
            candidate=karin, actor=Actor.candidate(), data={"headline": "Lagerleder, truckfører"}
        )
    assert GapClosure.objects.filter(candidate=karin).count() == 1
