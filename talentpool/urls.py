from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, re_path

from api.errors import not_found_view
from talentpool.core.views import health
from talentpool.messaging.urls import experience_urlpatterns
from talentpool.workspace.dashboard import dashboard_view

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/dashboard/", admin.site.admin_view(dashboard_view), name="admin_dashboard"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    # Anything else under /api/ is a JSON 404, with DEBUG on too.
    re_path(r"^api/", not_found_view, name="api-not-found"),
    path("me/stop/", include("talentpool.messaging.urls")),
    path("me/experience/", include(experience_urlpatterns)),
    path("me/", include("talentpool.portal.urls")),
]

# JSON errors under /api/, Django's pages elsewhere.
handler400 = "api.errors.bad_request_view"
handler404 = "api.errors.not_found_view"
handler500 = "api.errors.server_error_view"
