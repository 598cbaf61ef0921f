"""Reads about candidates: an organization's skill aliases and its saved searches."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from talentpool.candidates.models import SavedSearch, SkillAlias


def skill_alias_map(*, organization_id: int) -> dict[str, str]:
    """The organization's own skill words (in label form) to their keys."""
    return SkillAlias.objects.as_map(organization_id=organization_id)


def saved_search_list(*, organization_id: int, user_id: int) -> QuerySet[SavedSearch]:
    """The user's own saved searches in the organization and those shared with it."""
    return SavedSearch.objects.filter(organization_id=organization_id).filter(
        Q(owner_id=user_id) | Q(shared=True)
    )
