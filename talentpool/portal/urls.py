from __future__ import annotations

from django.urls import path

from talentpool.portal import views

urlpatterns = [
    path("", views.home, name="candidate-home"),
    path("link/<str:token>/", views.link_open, name="candidate-link"),
    path("link/", views.link_confirm, name="candidate-link-confirm"),
    path("link-unusable/", views.link_unusable, name="candidate-link-unusable"),
    path("consent/", views.consent_page, name="candidate-consent"),
    path("profile/", views.profile_page, name="candidate-profile"),
    path("cv/", views.cv_page, name="candidate-cv"),
    path("cv/confirm/", views.cv_confirm_page, name="candidate-cv-confirm"),
    path("feedback/", views.feedback_page, name="candidate-feedback"),
    path("data/", views.data_page, name="candidate-data"),
    path("data/export/", views.data_export, name="candidate-data-export"),
    path("data/erase/", views.data_erase, name="candidate-data-erase"),
    path("erased/", views.erased, name="candidate-erased"),
    path("new-link/", views.new_link, name="candidate-new-link"),
    path("new-link/sent/", views.new_link_sent, name="candidate-new-link-sent"),
    path("session-ended/", views.new_link, {"ended": True}, name="candidate-new-link-ended"),
    path("language/", views.language_set, name="candidate-language"),
    path("sign-out/", views.sign_out, name="candidate-sign-out"),
]
