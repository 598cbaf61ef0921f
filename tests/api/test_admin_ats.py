"""The ATS connection's page: the webhook URL, the stages mapped to ours, and how deliveries went."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import AtsConnection, AtsDelivery, AtsStageMapping
from talentpool.core.models import Membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(organization) -> Client:
    user = UserFactory(is_staff=True)
    MembershipFactory(user=user, organization=organization, role=Membership.Role.ADMIN)
    client = Client()
    client.force_login(user)
    return client


def test_a_new_connection_starts_from_the_vendors_default_pipeline(admin_client, organization):
    response = admin_client.post(
        reverse("admin:api_atsconnection_add"),
        {
            "organization": organization.pk,
            "vendor": "workable",
            "is_active": "on",
            "minimum_stage": "FIRST_INTERVIEW",
            "secret": "account-token",
            "api_key": "",
            "api_base_url": "",
            "stage_mappings-TOTAL_FORMS": "0",
            "stage_mappings-INITIAL_FORMS": "0",
            "deliveries-TOTAL_FORMS": "0",
            "deliveries-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    connection = AtsConnection.objects.get()
    stages = dict(AtsStageMapping.objects.filter(connection=connection).values_list("vendor_stage", "stage"))
    assert stages["Interview"] == "FIRST_INTERVIEW"
    assert stages["Applied"] == "SCREENING"


def test_the_connections_page_shows_its_health_and_why_deliveries_were_ignored(admin_client, organization):
    connection = AtsConnection.objects.create(
        organization=organization,
        vendor="greenhouse",
        secret="s",
        refused_count=2,
        last_error="Bad signature",
    )
    now = timezone.now()
    AtsDelivery.objects.create(connection=connection, key="a", received_at=now, outcome="RECORDED")
    AtsDelivery.objects.create(
        connection=connection, key="b", received_at=now, outcome="IGNORED", reason="The candidate withdrew."
    )

    response = admin_client.get(reverse("admin:api_atsconnection_change", args=[connection.pk]))

    assert response.status_code == 200
    assert "recorded: 1, ignored: 1, failed: 0, refused: 2" in response.text
    assert "The candidate withdrew." in response.text
    assert "Bad signature" in response.text
    assert f"/api/v1/ats/greenhouse/{connection.public_id}/" in response.text
