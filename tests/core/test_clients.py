from __future__ import annotations

import pytest
from django.test import RequestFactory

from talentpool.core.clients import client_address


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.4", "172.18.0.2"),  # no proxy: a header anyone can send is ignored
        (1, "198.51.100.4", "198.51.100.4"),
        (1, "10.0.0.1, 198.51.100.4", "198.51.100.4"),  # the left part is the client's invention
        (2, "10.0.0.1, 198.51.100.4, 192.0.2.9", "198.51.100.4"),
        (2, "198.51.100.4", "172.18.0.2"),  # fewer hops than proxies: not from our proxies
        (1, "", "172.18.0.2"),
    ],
)
def test_the_client_address_is_the_one_the_outermost_trusted_proxy_saw(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="172.18.0.2")

    assert client_address(request) == expected
