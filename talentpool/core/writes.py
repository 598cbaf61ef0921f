from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models


def apply_changes(instance: models.Model, data: Mapping[str, Any]) -> list[str]:
    """Set the fields whose values differ, validate, save only those; return their names."""
    changed = [name for name, value in data.items() if getattr(instance, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(instance, name, data[name])
    instance.full_clean()
    update_fields = [*changed, "updated_at"] if hasattr(instance, "updated_at") else changed
    instance.save(update_fields=update_fields)
    return changed


def language_codes(values: Iterable[object] | None) -> list[str]:
    """ISO 639-1 codes as stored: lowercased, unique, sorted."""
    return sorted({str(code).strip().lower() for code in values or []})
