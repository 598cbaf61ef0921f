# syntax=docker/dockerfile:1
# The talentpool image: web (gunicorn, the default command), Celery worker and beat, and migrations.
# docker-compose.yml runs every role from this one image.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: the virtualenv, compiled translations and collected static files ----------------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    VAR_DIR=/app/var

# gettext's msgfmt compiles the translations; only this stage needs it.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv

WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/root/.cache/pip pip install . \
    && rm -rf build ./*.egg-info

# Settings refuse DEBUG=0 without a SECRET_KEY, so these two steps get a throwaway key that is never
# stored in the image (it is not an ENV). DEBUG=0 selects whitenoise's manifest storage.
RUN if find . -path '*/locale/*' -name '*.po' | grep -q .; then \
        DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py compilemessages; \
    fi \
    && DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput

# --- runtime ------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}

# The code runs from /app (PYTHONPATH) rather than from the copy `pip install .` put in
# site-packages: settings find templates/, locale/ and var/ beside the talentpool package.
# VAR_DIR must match the build stage: whitenoise serves the static files collected there.
# gunicorn reads WEB_CONCURRENCY as its number of workers.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=talentpool.settings \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/app/media \
    WEB_CONCURRENCY=3

# A home directory of its own: gunicorn keeps its control socket under $HOME.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

# The code and static files stay root-owned; the app writes only to VAR_DIR and MEDIA_ROOT (a volume
# in production, which takes this directory's owner when it is first created).
RUN chown app:app /app/var \
    && install --directory --owner app --group app /app/media

WORKDIR /app
USER app

EXPOSE 8000

# /health/ is exempt from the HTTPS redirect, but Django still checks the Host header, so send the
# first ALLOWED_HOSTS entry. urlopen raises (exit 1) on a 503 or a refused connection.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; host = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.*') or 'localhost'; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/health/', headers={'Host': host}), timeout=8)"]

# Its logs, access log included, are JSON lines with link tokens cut: see gunicorn.conf.py.
CMD ["gunicorn", "talentpool.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm"]
