"""Structured logs: one JSON object a line. Log ids, never names, emails or CV text.

Whatever a line says, from our code or a library's (an access log, a task's arguments), the
formatter cuts what must never be in a log: the credential in a link's path (a magic link, a stop
link, any path segment that looks like a token), token-like query parameters, email addresses.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


CUT = "[cut]"
_SECRET_PATH = re.compile(r"(/me/(?:link|stop)/)(?!done/)[^/\s?#\"'\\]+")
# A path segment of 24 or more token characters with a letter and a digit: a token, a signature.
_TOKEN_SEGMENT = re.compile(
    r"(?<=/)(?=[\w:.-]*\d)(?=[\w:.-]*[A-Za-z])[\w:.-]{24,}(?=[/?#\s\"'\\]|$)", re.ASCII
)
_SECRET_PARAMETER = re.compile(r"([?&](?:token|key|sig|signature|code)=)[^&\s\"'\\]+", re.IGNORECASE)
_SECRET_FIELD = re.compile(
    r"""((?:\\?['"])(?:token|secret|password|api_key)(?:\\?['"])\s*:\s*\\?['"])[^'"\\]+""",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


def secrets_cut(text: str) -> str:
    """``text`` without link credentials, secret parameters or email addresses."""
    text = _SECRET_PATH.sub(rf"\g<1>{CUT}", text)
    text = _TOKEN_SEGMENT.sub(CUT, text)
    text = _SECRET_PARAMETER.sub(rf"\g<1>{CUT}", text)
    text = _SECRET_FIELD.sub(rf"\g<1>{CUT}", text)
    return _EMAIL.sub("[email]", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return secrets_cut(json.dumps(entry, default=str, ensure_ascii=False))


HIDDEN = "[hidden]"
# What Celery's task logging passes that may hold personal data: a task's arguments and result.
TASK_DATA_KEYS = frozenset({"args", "kwargs", "return_value", "argsrepr", "kwargsrepr"})
# Celery's loggers that log a task's arguments or result (``celery.pool`` at DEBUG).
CELERY_TASK_LOGGERS = ("celery.app.trace", "celery.pool", "celery.worker.request", "celery.worker.strategy")


class TaskDataFilter(logging.Filter):
    """Keep Celery's task arguments and results out of every log line.

    Our tasks take ids only, but their results and any task's arguments could still name a
    person. Celery's trace passes ``args``, ``kwargs`` and ``return_value`` in the record's
    arguments and again as the ``data`` extra (which a structured formatter prints); its pool
    logs the arguments at DEBUG. Set on those loggers (see ``LOGGING``), so every handler,
    not only ours, receives the record already cleaned.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            record.args = _hidden(record.args)
        data = getattr(record, "data", None)
        if isinstance(data, dict):
            record.data = _hidden(data)
        if isinstance(record.msg, str) and record.msg.startswith("TaskPool: Apply"):
            record.msg, record.args = "TaskPool: Apply a task (arguments hidden)", ()
        return True


def _hidden(values: dict[str, Any]) -> dict[str, Any]:
    return {key: HIDDEN if key in TASK_DATA_KEYS else value for key, value in values.items()}
