from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api.ats import AtsWebhookView
from api.candidates import CandidateViewSet
from api.consent import ConsentRequestView, ConsentStateView
from api.errors import not_found_view
from api.match_alerts import MatchAlertViewSet
from api.messages import MessageViewSet
from api.openings import OpeningViewSet
from api.runner_ups import RunnerUpViewSet
from api.search import CandidateSearchView
from api.webhooks import WebhookEndpointViewSet

router = SimpleRouter()
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("openings", OpeningViewSet, basename="opening")
router.register("runner-ups", RunnerUpViewSet, basename="runner-up")
router.register("messages", MessageViewSet, basename="message")
router.register("match-alerts", MatchAlertViewSet, basename="match-alert")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")

urlpatterns = [
    path("candidates/<int:pk>/consent/", ConsentStateView.as_view(), name="candidate-consent"),
    path(
        "candidates/<int:pk>/consent-requests/",
        ConsentRequestView.as_view(),
        name="candidate-consent-request",
    ),
    path("search/candidates/", CandidateSearchView.as_view(), name="candidate-search"),
    path("ats/<str:vendor>/<uuid:connection_id>/", AtsWebhookView.as_view(), name="ats-webhook"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
        name="api-docs",
    ),
    path("docs/swagger/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs-swagger"),
    *router.urls,
    # Anything else under the API is a JSON 404, with DEBUG on too (Django's debug page is HTML).
    re_path(r"^.*$", not_found_view, name="api-v1-not-found"),
]
