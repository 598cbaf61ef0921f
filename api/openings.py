"""Openings: create and update (creating or reopening one matches it against the pool), list, read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import CoordinatesInputMixin, InputSerializer, OrganizationScopedViewSet, UpdatedAfterFilter
from api.candidates import string_list
from api.match_alerts import ReasonOutput
from talentpool.core.models import Membership
from talentpool.flows.decision import opening_upsert
from talentpool.flows.opening import opening_add, opening_change
from talentpool.matching.models import MatchAlert
from talentpool.matching.scoring import reasons_text
from talentpool.matching.services import opening_rank
from talentpool.openings.models import Opening

MATCHES_SHOWN = 100


class OpeningInput(CoordinatesInputMixin, InputSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=50_000, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    radius_km = serializers.IntegerField(
        min_value=1,
        max_value=1000,
        required=False,
        allow_null=True,
        help_text="How far from the opening's place candidates may live. Empty: the organization's default.",
    )
    remote = serializers.BooleanField(required=False, help_text="Candidates may live anywhere.")
    must_have_skills = string_list(help_text="As the recruiter writes them, in any language.")
    nice_to_have_skills = string_list(help_text="As the recruiter writes them, in any language.")
    hard_skills = string_list(
        help_text="Requirements nobody can do without (a licence, an authorisation): candidates who do not "
        "show them are not matched. Each is a must-have too."
    )
    languages = serializers.ListField(
        child=serializers.CharField(min_length=2, max_length=2),
        max_length=20,
        required=False,
        help_text="Required languages (ISO 639-1): candidates who do not speak them are not matched.",
    )
    experience_level = serializers.ChoiceField(
        choices=Opening.Level.choices,
        required=False,
        allow_null=True,
        help_text='The level of the role; null: read from the title ("Senior", "Trainee"), else experienced.',
    )

    def validate_experience_level(self, value: str | None) -> str:
        return value or ""

    min_years_of_experience = serializers.IntegerField(
        min_value=0, max_value=50, required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=Opening.Status.choices, required=False)
    source = serializers.CharField(max_length=40, required=False, allow_blank=True)  # type: ignore[assignment]  # a field named like Field.source
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    recruiter_emails = serializers.ListField(
        child=serializers.EmailField(),
        max_length=50,
        required=False,
        help_text="Members of the organization.",
    )


class OpeningUpsertInput(OpeningInput):
    source = serializers.CharField(max_length=40)
    external_id = serializers.CharField(max_length=100)


class OpeningOutput(serializers.ModelSerializer):
    recruiter_emails = serializers.SerializerMethodField()
    experience_level = serializers.SerializerMethodField()

    class Meta:
        model = Opening
        fields = [
            "id",
            "title",
            "description",
            "location",
            "latitude",
            "longitude",
            "radius_km",
            "remote",
            "must_have_skills",
            "nice_to_have_skills",
            "hard_skills",
            "languages",
            "experience_level",
            "min_years_of_experience",
            "status",
            "source",
            "external_id",
            "recruiter_emails",
            "opened_at",
            "matched_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=Opening.Level.choices, allow_null=True))
    def get_experience_level(self, opening: Opening) -> str | None:
        return opening.experience_level or None

    def get_recruiter_emails(self, opening: Opening) -> list[str]:
        return sorted(user.email for user in opening.recruiters.all())


class OpeningFilter(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    status = django_filters.ChoiceFilter(choices=Opening.Status.choices)
    source = django_filters.CharFilter()
    external_id = django_filters.CharFilter()

    class Meta:
        model = Opening
        fields = ["updated_after", "status", "source", "external_id"]


def recruiter_ids(*, organization_id: int, emails: Sequence[str] | None) -> list[int] | None:
    """The members of the organization with these emails; an email that is not one is refused."""
    if emails is None:
        return None
    wanted = {email.strip().lower() for email in emails}
    members = dict(
        get_user_model()
        .objects.filter(
            pk__in=Membership.objects.filter(organization_id=organization_id).values("user_id"),
            email__in=[*wanted, *emails],
        )
        .values_list("email", "pk")
    )
    found = {email.lower(): pk for email, pk in members.items()}
    missing = sorted(wanted - set(found))
    if missing:
        raise serializers.ValidationError(
            {"recruiter_emails": [f"Not a member of the organization: {email}" for email in missing]}
        )
    return sorted(set(found.values()))


class RankedMatchOutput(serializers.Serializer):
    candidate_id = serializers.IntegerField()
    score = serializers.FloatField(help_text="0 to 100.")
    contact_first = serializers.BooleanField()
    alerted = serializers.BooleanField(help_text="Whether the candidate has a match alert for the opening.")
    reasons = ReasonOutput(many=True)
    reasons_text = serializers.CharField()


@extend_schema(tags=["openings"])
class OpeningViewSet(OrganizationScopedViewSet):
    filterset_class = OpeningFilter
    serializer_class = OpeningOutput

    def base_queryset(self) -> QuerySet[Opening]:
        return Opening.objects.prefetch_related("recruiters")

    def output(self, opening: Opening, *, status_code: int = status.HTTP_200_OK) -> Response:
        # Re-read so the recruiters shown are those just set.
        fresh = self.get_queryset().get(pk=opening.pk)
        return Response(OpeningOutput(fresh).data, status=status_code)

    def _input(
        self, serializer_class: type[OpeningInput], **kwargs: Any
    ) -> tuple[dict[str, Any], list[int] | None]:
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        ids = recruiter_ids(organization_id=self.organization_id, emails=data.pop("recruiter_emails", None))
        return data, ids

    @extend_schema(summary="List openings", responses=OpeningOutput(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(OpeningOutput(page, many=True).data)

    @extend_schema(summary="Read an opening", responses=OpeningOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(OpeningOutput(self.get_object()).data)

    @extend_schema(
        summary="Create an opening",
        description="An OPEN opening is matched against the talent pool right away.",
        request=OpeningInput,
        responses={201: OpeningOutput},
    )
    def create(self, request: Request) -> Response:
        data, ids = self._input(OpeningInput)
        opening = opening_add(
            organization=self.organization, actor=self.actor, data=data, recruiter_ids=ids or ()
        )
        return self.output(opening, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an opening",
        description="Setting `status` back to OPEN reopens it and matches it against the pool again.",
        request=OpeningInput(partial=True),
        responses=OpeningOutput,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        opening = self.get_object()
        data, ids = self._input(OpeningInput, partial=True)
        opening_change(opening=opening, actor=self.actor, data=data, recruiter_ids=ids)
        return self.output(opening)

    @extend_schema(
        summary="Rank the talent pool for an opening",
        description="Everyone in the pool who meets the opening's hard requirements (required languages, "
        "radius, hard skills), best first, with the reasons. Alerts go to the best of them above a "
        "threshold; this is the whole list.",
        responses=RankedMatchOutput(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def matches(self, request: Request, pk: str) -> Response:
        opening = self.get_object()
        ranked = opening_rank(opening, now=timezone.now(), enough=None)[:MATCHES_SHOWN]
        alerted = set(MatchAlert.objects.filter(opening=opening).values_list("candidate_id", flat=True))
        language = self.organization.language
        return Response(
            [
                {
                    "candidate_id": match.candidate_id,
                    "score": match.score,
                    "contact_first": match.contact_first,
                    "alerted": match.candidate_id in alerted,
                    "reasons": match.reasons,
                    "reasons_text": reasons_text(match.reasons, language=language),
                }
                for match in ranked
            ]
        )

    @extend_schema(
        summary="Create or update an opening by ATS id",
        request=OpeningUpsertInput,
        responses={200: OpeningOutput, 201: OpeningOutput},
    )
    @action(detail=False, methods=["post"])
    def upsert(self, request: Request) -> Response:
        data, ids = self._input(OpeningUpsertInput)
        opening, created = opening_upsert(
            organization=self.organization,
            actor=self.actor,
            source=data.pop("source"),
            external_id=data.pop("external_id"),
            data=data,
            recruiter_ids=ids,
        )
        return self.output(opening, status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
