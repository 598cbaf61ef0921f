from __future__ import annotations

from django.contrib import admin
from django.urls import path

from talentpool.core.views import health

admin.site.site_header = "talentpool"
admin.site.site_title = "talentpool"
admin.site.index_title = "Talent pool"

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
]
