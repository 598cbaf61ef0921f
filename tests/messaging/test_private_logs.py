"""No token, address or name in any log line, with every logger at DEBUG, and /me/new-link/ that
gives nothing away: the lookup and the email happen after the answer, in every mode."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentpool.celery import app as celery_app
from talentpool.consent.models import LinkRequest, MagicLink
from talentpool.core.logging import JsonFormatter
from talentpool.core.models import ApiKey
from talentpool.messaging.models import Message
from tests.api.conftest import client_for
from tests.factories import CandidateFactory, ConsentTextFactory
from tests.links import token_in
from tests.messaging.conftest import TUESDAY_10

# The test's own SMTP server logs what it receives: it stands for the world outside.
OUTSIDE = ("mail.log",)


@pytest.fixture
def everything_logged(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in ("celery", "django", "talentpool"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    """Every line as our JSON formatter writes it (extras such as Celery's ``data`` included)."""
    formatter = JsonFormatter()
    return "\n".join(formatter.format(r) for r in caplog.records if not r.name.startswith(OUTSIDE))


def secrets_in(text: str, *, tokens: list[str], candidate) -> list[str]:
    words = [
        *tokens,
        candidate.email,
        candidate.email.split("@")[0],
        candidate.first_name,
        candidate.last_name,
    ]
    return [word for word in words if re.search(re.escape(word), text, flags=re.IGNORECASE)]


@pytest.mark.django_db
@pytest.mark.clock(TUESDAY_10, tick=False)
def test_nothing_logged_at_debug_during_a_new_link_a_consent_request_and_their_sending_names_anyone(
    smtp, kystlys, everything_logged, django_capture_on_commit_callbacks
):
    # given
    ConsentTextFactory(organization=kystlys, language="da")
    candidate = CandidateFactory(
        organization=kystlys, first_name="Oddveig", last_name="Quistgaard", email="oddveig.q@example.dk"
    )
    api = client_for(kystlys, scope=ApiKey.Scope.WRITE)

    # when: a new link, and a consent request from an ATS, both sent through the tasks
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().post(reverse("candidate-new-link"), {"email": candidate.email}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/candidates/{candidate.pk}/consent-requests/").status_code == 202

    # then: both arrived, and no log line holds their tokens, the address or the name
    tokens = [token_in(m.get_body(("plain",)).get_content()) for m in smtp.inbox.messages()]
    assert len(tokens) == 2
    text = log_text(everything_logged)
    assert "message_send_task" in text  # Celery's own task lines were captured...
    assert "[hidden]" in text  # ...without the task's arguments and result.
    assert secrets_in(text, tokens=tokens, candidate=candidate) == []


def test_celerys_pool_line_at_debug_does_not_show_a_tasks_arguments(everything_logged):
    # when: the line Celery's pool writes for each task it starts, in its own words
    logging.getLogger("celery.pool").debug(
        "TaskPool: Apply %s (args:%s kwargs:%s)", "<function _trace_task>", "('x',)", "{'email': 'a@b.dk'}"
    )

    # then
    (record,) = everything_logged.records
    assert "a@b.dk" not in JsonFormatter().format(record)


def start_response(
    status: str, headers: list[tuple[str, str]], exc_info: object = None, /
) -> Callable[[bytes], object]:
    return lambda data: None


@pytest.mark.django_db(transaction=True)
def test_the_new_link_answer_is_made_before_the_address_is_looked_up_or_anything_is_sent(client, settings):
    # given: a known address, and the form's CSRF token, as a browser has them
    candidate = CandidateFactory(email="kendt@example.dk")
    page = client.get(reverse("candidate-new-link"))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert csrf
    request = RequestFactory().post(
        reverse("candidate-new-link"),
        {"email": candidate.email, "csrfmiddlewaretoken": csrf.group(1)},
        HTTP_COOKIE=f"{settings.CSRF_COOKIE_NAME}={client.cookies[settings.CSRF_COOKIE_NAME].value}",
    )

    # when: the WSGI server calls the application; it has not sent the answer or closed it yet
    with CaptureQueriesContext(connection) as queries:
        response = WSGIHandler()(request.environ, start_response)

    # then: the answer is ready, and nothing about the candidate has been read or written
    assert response.status_code == 302
    assert response["Location"] == reverse("candidate-new-link-sent")
    assert not [q["sql"] for q in queries if "candidates_candidate" in q["sql"]]
    assert LinkRequest.objects.count() == 1
    assert not Message.objects.exists()
    assert not MagicLink.objects.exists()
    assert mail.outbox == []

    # when: the server has sent the answer and closes the response (eager mode: no broker)
    response.close()

    # then: the lookup and the email happened only now
    assert Message.objects.get().kind == Message.Kind.MAGIC_LINK
    assert len(mail.outbox) == 1
    assert not LinkRequest.objects.exists()


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_at_debug_logs_no_address_or_token(smtp, kystlys):
    # given: a worker on the real broker
    candidate = CandidateFactory(
        organization=kystlys, first_name="Oddveig", last_name="Quistgaard", email="oddveig.q@example.dk"
    )
    kept = Kept()
    names = ("", "celery", "django", "talentpool")
    levels = {name: logging.getLogger(name).level for name in names}
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            # The worker configured logging as in production (LOGGING); keep everything from here.
            logging.getLogger().addHandler(kept)
            for name in names:
                logging.getLogger(name).setLevel(logging.DEBUG)
            # when: a new link is asked for (the request queues the task on commit)
            assert Client().post(reverse("candidate-new-link"), {"email": candidate.email}).status_code == 302
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not smtp.inbox.received:
                time.sleep(0.1)
            time.sleep(0.5)  # The worker logs the task's success just after the email left.
    finally:
        celery_app.conf.task_always_eager = True
        logging.getLogger().removeHandler(kept)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)

    # then
    (received,) = smtp.inbox.messages()
    token = token_in(received.get_body(("plain",)).get_content())
    formatter = JsonFormatter()
    text = "\n".join(formatter.format(r) for r in kept.records if not r.name.startswith(OUTSIDE))
    assert "link_request_task" in text
    assert "TaskPool: Apply" not in text or "arguments hidden" in text
    assert secrets_in(text, tokens=[token], candidate=candidate) == []
