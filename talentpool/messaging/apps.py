from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "talentpool.messaging"
    label = "messaging"
    verbose_name = _("Messages")
