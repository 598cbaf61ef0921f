"""A candidate's consent: its state (read), and a request that emails the candidate a consent link."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import MAX_ID, ApiView
from api.errors import ApiError
from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent
from talentpool.messaging.link_emails import consent_request_send


class ConsentEventOutput(serializers.ModelSerializer):
    text_version = serializers.IntegerField(source="text.version", allow_null=True, read_only=True)
    text_language = serializers.CharField(source="text.language", allow_null=True, read_only=True)

    class Meta:
        model = ConsentEvent
        fields = ["id", "kind", "channel", "text_version", "text_language", "expires_at", "created_at"]
        read_only_fields = fields


class ConsentStateOutput(serializers.Serializer):
    candidate_id = serializers.IntegerField()
    in_pool = serializers.BooleanField()
    consent_expires_at = serializers.DateTimeField(allow_null=True)
    events = ConsentEventOutput(many=True)


class ConsentRequestOutput(serializers.Serializer):
    candidate_id = serializers.IntegerField()
    link_expires_at = serializers.DateTimeField()


class CandidateScopedView(ApiView):
    def candidate(self, pk: str) -> Candidate:
        if int(pk) > MAX_ID:
            raise ApiError(status_code=404, code="not_found", message="Not found.")
        return get_object_or_404(Candidate.objects.filter(organization_id=self.organization_id), pk=pk)


class ConsentStateView(CandidateScopedView):
    schema_tags = ["consent"]

    @extend_schema(summary="Read a candidate's consent", responses=ConsentStateOutput)
    def get(self, request: Request, pk: str) -> Response:
        candidate = self.candidate(pk)
        events = (
            ConsentEvent.objects.filter(candidate=candidate)
            .select_related("text")
            .order_by("-created_at", "-id")
        )
        return Response(
            ConsentStateOutput(
                {
                    "candidate_id": candidate.pk,
                    "in_pool": candidate.is_in_pool(),
                    "consent_expires_at": candidate.consent_expires_at,
                    "events": events,
                }
            ).data
        )


class ConsentRequestView(CandidateScopedView):
    schema_tags = ["consent"]

    @extend_schema(
        summary="Ask a candidate for consent",
        description=(
            "Emails the candidate, in their language, a link where they can join the talent pool. "
            "The email is stored before the answer and sent at the organization's next sending time; "
            "`link_expires_at` is when the link stops working if it leaves then."
        ),
        request=None,
        responses={202: ConsentRequestOutput},
    )
    def post(self, request: Request, pk: str) -> Response:
        candidate = self.candidate(pk)
        link = consent_request_send(candidate=candidate, actor=self.actor)
        return Response(
            ConsentRequestOutput({"candidate_id": candidate.pk, "link_expires_at": link.expires_at}).data,
            status=status.HTTP_202_ACCEPTED,
        )
