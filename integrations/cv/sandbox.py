"""Run ``read_cv`` in a child process with limits on time and memory.

Parsing a hostile file is where a decompression bomb, a page-tree loop or a regex in a PDF
library costs minutes or gigabytes, so it does not happen in the web process. A fresh
interpreter (``python -I``, an empty environment: no secrets, no database) reads the file from
its standard input under ``RLIMIT_AS`` (address space), ``RLIMIT_CPU``, ``RLIMIT_FSIZE`` (it
writes no files) and ``RLIMIT_CORE``, and answers one JSON object on its standard output with
its own peak resident memory. The parent kills it at the wall-clock limit. Running out of time
or memory is a refusal (``too_complex``), never a server error.

Starting the interpreter costs about a tenth of a second; a CV is uploaded rarely enough.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from integrations.cv.reading import TOO_COMPLEX, Refused, read_cv

ROOT = Path(__file__).resolve().parent.parent.parent
# The child imports this module from the project root; -I keeps PYTHON* variables and the user's
# site directory out of it.
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from integrations.cv.sandbox import main; main()"
# Of the wall-clock limit, the share the child may spend reading text before it stops early.
_READ_SHARE = 0.7


@dataclass(frozen=True)
class Outcome:
    """What the child decided: a type and text, or a refusal code; and what it cost."""

    content_type: str = ""
    text: str = ""
    pages: int = 0
    refused: str = ""
    detail: str = ""
    peak_rss_bytes: int = 0
    seconds: float = 0.0


def read_in_child(data: bytes, *, seconds: float, memory_bytes: int) -> Outcome:
    """Read a CV in a child process; a child that runs out of time or memory is a refusal."""
    started = time.monotonic()
    command = [sys.executable, "-I", "-c", _BOOT, str(ROOT), str(memory_bytes), str(seconds)]
    try:
        completed = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command,
            input=data,
            capture_output=True,
            timeout=seconds,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(refused=TOO_COMPLEX, detail="timeout", seconds=time.monotonic() - started)
    elapsed = time.monotonic() - started
    try:
        answer = json.loads(completed.stdout)
    except ValueError:
        # Killed (CPU limit), or out of memory before it could answer.
        return Outcome(refused=TOO_COMPLEX, detail=f"exit {completed.returncode}", seconds=elapsed)
    return Outcome(
        content_type=str(answer.get("content_type", "")),
        text=str(answer.get("text", "")),
        pages=int(answer.get("pages", 0)),
        refused=str(answer.get("refused", "")),
        detail=str(answer.get("detail", "")),
        peak_rss_bytes=int(answer.get("peak_rss_bytes", 0)),
        seconds=elapsed,
    )


def _limit(memory_bytes: int, seconds: float) -> None:
    cpu = int(seconds) + 1
    for limit, value in (
        (resource.RLIMIT_AS, memory_bytes),
        (resource.RLIMIT_CPU, cpu),
        (resource.RLIMIT_FSIZE, 0),
        (resource.RLIMIT_CORE, 0),
    ):
        # macOS refuses some of these; Linux (where this runs in production) takes them all.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(limit, (value, value))


def main() -> None:
    """The child: read the file from standard input, answer JSON on standard output."""
    memory_bytes, seconds = int(sys.argv[2]), float(sys.argv[3])
    logging.disable(logging.CRITICAL)  # pypdf's warnings about a broken file are not for the log
    _limit(memory_bytes, seconds)
    data = sys.stdin.buffer.read()
    answer: dict[str, object]
    try:
        reading = read_cv(data, seconds=seconds * _READ_SHARE)
        answer = {"content_type": reading.content_type, "text": reading.text, "pages": reading.pages}
    except Refused as refused:
        answer = {"refused": refused.code, "detail": refused.detail}
    except (MemoryError, RecursionError) as error:
        answer = {"refused": TOO_COMPLEX, "detail": type(error).__name__}
    answer["peak_rss_bytes"] = _peak_rss_bytes()
    sys.stdout.write(json.dumps(answer))


def _peak_rss_bytes() -> int:
    """This process's peak resident memory since it started this interpreter.

    ``ru_maxrss`` would do, but Linux carries the parent's peak across fork and exec into it.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kibibytes on Linux
