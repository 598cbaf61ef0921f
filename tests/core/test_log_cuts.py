from __future__ import annotations

import pytest

from talentpool.core.logging import secrets_cut


@pytest.mark.parametrize(
    ("line", "kept", "cut"),
    [
        ('"GET /me/link/Xq7k2-mP_9k2-mP_9k2-mP_9k2-mP_9/ HTTP/1.1" 302', "/me/link/[cut]/", "Xq7k2"),
        ("GET /me/stop/eyJjIjo0Mn0:1tXyZa:abcDEF123ghiJKL456/ 200", "/me/stop/[cut]/", "eyJjIjo0Mn0"),
        (
            "GET /me/experience/WzEsMV0:1vzswa:6k657lq2C75ApuXQTL0I57bx8pP/ 200",
            "/me/experience/[cut]/",
            "WzEsMV0",
        ),
        ("GET /me/stop/done/?lang=da 200", "/me/stop/done/?lang=da", "[cut]"),
        (
            "GET /api/v1/candidates/12/consent-requests/ 202",
            "/api/v1/candidates/12/consent-requests/",
            "[cut]",
        ),
        ("GET /me/new-link/?token=abc123&x=1", "?token=[cut]&x=1", "abc123"),
        ("{'email': 'birgitte.o@example.dk', 'token': 'q-r_s'}", "'token': '[cut]'", "birgitte"),
    ],
)
def test_a_log_line_keeps_the_path_but_not_the_credential_or_the_address(line, kept, cut):
    assert kept in secrets_cut(line)
    assert cut not in secrets_cut(line)
