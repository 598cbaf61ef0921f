"""Real server processes on their own SQLite file: the embedded default under concurrent candidates
(requests wait for each other's writes instead of answering 500, "database is locked"), and the
access logs of runserver and gunicorn, which must not carry a link's token.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
CONCURRENT_USES = 20

SEED = """
import json
from talentpool.consent.links import magic_link_create
from talentpool.consent.models import MagicLink
from tests.factories import CandidateFactory, ConsentTextFactory, OrganizationFactory

organization = OrganizationFactory(name="Kystlys A/S", slug="kystlys", language="da")
text = ConsentTextFactory(organization=organization, language="da")
joining = CandidateFactory(organization=organization, language="da")
leaving = CandidateFactory(organization=organization, language="da")
_, consent = magic_link_create(candidate=joining, scope=MagicLink.Scope.CONSENT)
_, profile = magic_link_create(candidate=leaving, scope=MagicLink.Scope.PROFILE)
print(json.dumps({"text": text.pk, "consent": consent, "profile": profile}))
"""

COUNT = """
from talentpool.candidates.models import Candidate
from talentpool.consent.models import ConsentEvent
print(ConsentEvent.objects.count(), Candidate.objects.count())
"""


@dataclass
class Site:
    url: str
    env: dict[str, str]
    log: Path

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )
        return result.stdout


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """One browser: its own cookies; redirects are answers, not followed."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.site.url + path, data=body, timeout=60) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()

    def form_token(self, path: str) -> str:
        status, _, page = self.request(path)
        assert status == 200, (path, status)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, path
        return found.group(1)

    def open_link(self, token: str) -> str:
        status, location, _ = self.request(f"/me/link/{token}/")
        assert status == 302, status
        return self.form_token(location)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a fresh embedded site on a migrated SQLite file."""
    folder = tmp_path_factory.mktemp("embedded")
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "ELASTICSEARCH_URL")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env |= {
        "DJANGO_SETTINGS_MODULE": "talentpool.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'talentpool.sqlite3'}",
        "VAR_DIR": str(folder / "var"),
        "EMAIL_URL": "locmem://",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=180,
    )
    return env


@contextlib.contextmanager
def serving(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[Site]:
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=output)
    site = Site(url=f"http://127.0.0.1:{port}", env=env, log=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                assert server.poll() is None, "the server stopped"
                time.sleep(0.2)
        yield site
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def site(database: dict[str, str], tmp_path: Path) -> Iterator[Site]:
    """``manage.py runserver``, as ``make demo`` runs it."""
    port = _free_port()
    command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    with serving(command, database, port, tmp_path / "runserver.log") as site:
        yield site


@pytest.fixture
def gunicorn(database: dict[str, str], tmp_path: Path) -> Iterator[Site]:
    """gunicorn with the image's settings (gunicorn.conf.py), as production runs it."""
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "talentpool.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    with serving(command, database, port, tmp_path / "gunicorn.log") as site:
        yield site


def _at_once(actions: list[threading.Thread]) -> None:
    for action in actions:
        action.start()
    for action in actions:
        action.join(timeout=120)


def test_concurrent_uses_of_one_link_and_a_double_click_erase_never_answer_500_on_sqlite(site):
    # given: one consent link opened in twenty browsers, and a candidate signed in to erase
    seeded = json.loads(site.manage("shell", "-c", SEED).strip().splitlines()[-1])
    browsers = [Browser(site) for _ in range(CONCURRENT_USES)]
    forms = [browser.open_link(seeded["consent"]) for browser in browsers]
    eraser = Browser(site)
    eraser.request(
        "/me/link/", {"intent": "sign_in", "csrfmiddlewaretoken": eraser.open_link(seeded["profile"])}
    )
    erase_form = eraser.form_token("/me/data/")
    barrier = threading.Barrier(CONCURRENT_USES + 2)
    answers: list[tuple[int, str]] = []

    def use(browser: Browser, form: str) -> None:
        barrier.wait(timeout=60)
        data = {"intent": "consent", "text": str(seeded["text"]), "csrfmiddlewaretoken": form}
        status, location, _ = browser.request("/me/link/", data)
        answers.append((status, location))

    def erase() -> None:
        barrier.wait(timeout=60)
        status, location, _ = eraser.request(
            "/me/data/erase/", {"confirm": "on", "csrfmiddlewaretoken": erase_form}
        )
        answers.append((status, location))

    # when: all at once
    _at_once(
        [threading.Thread(target=use, args=pair) for pair in zip(browsers, forms, strict=True)]
        + [threading.Thread(target=erase), threading.Thread(target=erase)]
    )

    # then: nobody got a server error; the link was used once; both clicks end on the done page
    assert len(answers) == CONCURRENT_USES + 2
    assert [status for status, _ in answers if status >= 500] == []
    assert sum(1 for _, location in answers if location == "/me/") == 1
    assert sum(1 for _, location in answers if location == "/me/erased/") == 2
    # ... and the server's access log names the paths without the tokens
    log = site.log.read_text()
    assert "/me/link/[cut]/" in log
    assert seeded["consent"] not in log
    assert seeded["profile"] not in log
    consent_events, candidates = map(int, site.manage("shell", "-c", COUNT).splitlines()[-1].split())
    assert (consent_events, candidates) == (1, 1)


def test_gunicorns_access_log_is_json_without_the_token_of_an_opened_link(gunicorn):
    # given
    token = "Xq7" + "k2-mP_9" * 6

    # when
    status, _, _ = Browser(gunicorn).request(f"/me/link/{token}/")

    # then (gunicorn writes its access line once the answer has gone)
    assert status == 302
    deadline = time.monotonic() + 20
    while True:
        lines = [json.loads(line) for line in gunicorn.log.read_text().splitlines() if line.strip()]
        access = [line for line in lines if line["logger"] == "gunicorn.access"]
        if access or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(access) == 1
    assert "/me/link/[cut]/" in access[0]["message"]
    assert token not in gunicorn.log.read_text()
