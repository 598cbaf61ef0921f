"""Magic links as a candidate uses them: from an email, opened in a browser, signed in."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from talentpool.candidates.models import Candidate
from talentpool.consent.links import magic_link_create
from talentpool.consent.models import MagicLink


def link_for(candidate: Candidate, scope: str = MagicLink.Scope.CONSENT, **kwargs) -> tuple[MagicLink, str]:
    return magic_link_create(candidate=candidate, scope=scope, **kwargs)


def open_link(client: Client, token: str):
    """Open a link as a browser does: the token URL, then the page it redirects to."""
    response = client.get(reverse("candidate-link", args=[token]))
    assert response.status_code == 302
    return client.get(response["Location"])


def token_in(text: object) -> str:
    """The token of the magic link in an email's text."""
    match = re.search(r"/me/link/([\w-]+)/", str(text))
    assert match, "no magic link in the text"
    return match.group(1)


def signed_in(client: Client, candidate: Candidate) -> Client:
    """Sign the client in as the candidate, through a profile link."""
    _link, token = link_for(candidate, MagicLink.Scope.PROFILE)
    open_link(client, token)
    response = client.post(reverse("candidate-link-confirm"), {"intent": "sign_in"})
    assert response.status_code == 302, response
    return client
