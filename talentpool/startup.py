from __future__ import annotations

import sys

from django.core.exceptions import ImproperlyConfigured


def load_settings_or_exit() -> None:
    """Read the settings now, so a bad environment stops start-up with one clear line."""
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - the access loads the settings module
    except ImproperlyConfigured as error:
        sys.exit(f"talentpool: configuration error: {error}")
