from __future__ import annotations

from django.urls import path

from talentpool.messaging import views

urlpatterns = [
    path("done/", views.keep_warm_stopped, name="keep-warm-stopped"),
    path("<str:token>/", views.keep_warm_stop_view, name="keep-warm-stop"),
]

experience_urlpatterns = [
    path("thanks/", views.experience_thanks, name="experience-thanks"),
    path("<str:token>/", views.experience_view, name="experience"),
]
