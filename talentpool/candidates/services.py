from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from talentpool.candidates.languages import with_language
from talentpool.candidates.models import Candidate, SavedSearch
from talentpool.core.actors import Actor
from talentpool.core.models import Organization
from talentpool.core.selectors import organization_list_for_user
from talentpool.core.services import audit_record
from talentpool.core.writes import apply_changes, language_codes
from talentpool.skills.labels import skill_labels_clean

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

CANDIDATE_WRITABLE_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "email",
        "phone",
        "language",
        "headline",
        "location",
        "latitude",
        "longitude",
        "skills",
        "languages",
        "years_of_experience",
        "links",
        "tags",
        "availability",
        "cv_text",
        "source",
        "external_id",
    }
)


def candidate_clean_data(data: Mapping[str, Any], *, organization_id: int) -> dict[str, Any]:
    """Writable candidate fields normalised as the services store them (email, skills, languages).

    Skills are kept as the person wrote them (trimmed, without repeats); what they mean is
    worked out when the candidate is indexed and matched (``talentpool.skills``).

    Raises TypeError for a field that is not writable. Used by the services below and by batched
    writers (the ATS sync) that create many candidates at once.
    """
    unknown = set(data) - CANDIDATE_WRITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not candidate fields: {', '.join(sorted(unknown))}")
    cleaned = dict(data)
    if "email" in cleaned:
        cleaned["email"] = str(cleaned["email"]).strip().lower()
    if "skills" in cleaned:
        cleaned["skills"] = skill_labels_clean(cleaned["skills"] or [])
    if "languages" in cleaned:
        cleaned["languages"] = language_codes(cleaned["languages"])
    if "tags" in cleaned:
        cleaned["tags"] = sorted({str(tag).strip() for tag in cleaned["tags"] or [] if str(tag).strip()})
    return cleaned


@transaction.atomic
def candidate_create(
    *, organization: Organization, actor: Actor, data: Mapping[str, Any], ad_text: str = ""
) -> Candidate:
    """Create a candidate (not yet in the pool: that takes consent).

    Without a ``language``, theirs is worked out from the ad they applied to (``ad_text``), where
    they live and what they wrote (``talentpool.candidates.languages``).
    """
    data = with_language(data, organization=organization, ad_text=ad_text)
    candidate = Candidate(
        organization=organization, **candidate_clean_data(data, organization_id=organization.pk)
    )
    candidate.full_clean()
    candidate.save()
    audit_record(
        organization=organization,
        actor=actor,
        action="candidate.created",
        target=candidate,
        changes=data.keys(),
    )
    return candidate


@transaction.atomic
def candidate_update(*, candidate: Candidate, actor: Actor, data: Mapping[str, Any]) -> list[str]:
    """Change the given fields; return (and audit) the names of those that changed."""
    changed = apply_changes(candidate, candidate_clean_data(data, organization_id=candidate.organization_id))
    if changed:
        audit_record(
            organization=candidate.organization_id,
            actor=actor,
            action="candidate.updated",
            target=candidate,
            changes=changed,
        )
    return changed


@transaction.atomic
def saved_search_create(
    *,
    organization: Organization,
    owner: AbstractBaseUser,
    name: str,
    params: Mapping[str, Any],
    shared: bool,
    actor: Actor,
) -> SavedSearch:
    """Keep a pool search under a name; ``shared`` shows it to everyone in the organization."""
    if not organization_list_for_user(user=owner).filter(pk=organization.pk).exists():
        raise ValidationError(_("Only members of the organization can save its searches."))
    saved = SavedSearch(
        organization=organization, owner_id=owner.pk, name=name.strip(), params=dict(params), shared=shared
    )
    saved.full_clean()
    saved.save()
    audit_record(
        organization=organization,
        actor=actor,
        action="saved_search.created",
        target=saved,
        changes=["name", "params", "shared"],
    )
    return saved


SAVED_SEARCH_EDITABLE_FIELDS = frozenset({"name", "params", "shared"})


@transaction.atomic
def saved_search_update(*, saved_search: SavedSearch, actor: Actor, data: Mapping[str, Any]) -> list[str]:
    """Rename a saved search, change its query or whether it is shared; return what changed."""
    unknown = set(data) - SAVED_SEARCH_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable saved search fields: {', '.join(sorted(unknown))}")
    cleaned = dict(data)
    if "name" in cleaned:
        cleaned["name"] = str(cleaned["name"]).strip()
    if "params" in cleaned:
        cleaned["params"] = dict(cleaned["params"] or {})
    changed = apply_changes(saved_search, cleaned)
    if changed:
        audit_record(
            organization=saved_search.organization_id,
            actor=actor,
            action="saved_search.updated",
            target=saved_search,
            changes=changed,
        )
    return changed
