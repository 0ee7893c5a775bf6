# syntax=docker/dockerfile:1
# The portal's production image: one image for web (gunicorn), worker and beat (celery).
#   docker build -t sandbox-portal .
# Stages: assets (npm ci) → build (Python deps, catalogues, collectstatic) → runtime (no compilers,
# no gettext, no npm, non-root).

ARG PYTHON_IMAGE=python:3.11-slim
ARG NODE_IMAGE=node:22-slim

# --- 1. Front-end assets from the npm lock ----------------------------------------------------
FROM ${NODE_IMAGE} AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error


# --- 2. Python dependencies, compiled catalogues, collected static files ----------------------
FROM ${PYTHON_IMAGE} AS build
# Same uv as the Makefile, so the image resolves exactly like a developer's machine.
ARG UV_VERSION=0.13.9
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_NO_CACHE=1 \
    UV_COMPILE_BYTECODE=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN pip install "uv==${UV_VERSION}" && python -m venv /opt/venv

WORKDIR /app
# The runtime dependencies of pyproject.toml at the versions pinned in requirements.lock: the lock
# also pins the dev tools (pytest, playwright, ruff), which the image leaves out.
COPY pyproject.toml requirements.lock ./
RUN uv pip install --python /opt/venv/bin/python -r pyproject.toml -c requirements.lock

COPY . .
# Only the folders STATICFILES_DIRS reads (portal/settings/base.py), not the whole node_modules.
COPY --from=assets /build/node_modules/bootstrap/dist node_modules/bootstrap/dist
COPY --from=assets /build/node_modules/bootstrap-icons/font node_modules/bootstrap-icons/font
COPY --from=assets /build/node_modules/htmx.org/dist node_modules/htmx.org/dist
COPY --from=assets /build/node_modules/chart.js/dist node_modules/chart.js/dist

# Settings refuse to load without a secret key; this one exists only during the build and signs
# nothing. collectstatic writes the hashed, compressed files whitenoise serves (PORTAL_VAR_DIR).
ENV PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=portal.settings.base \
    PORTAL_VAR_DIR=/app/var
RUN DJANGO_SECRET_KEY=build-only-not-a-secret python manage.py compilemessages --verbosity 0 \
    && DJANGO_SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --no-input --verbosity 0


# --- 3. Runtime ----------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.base \
    PORTAL_VAR_DIR=/app/var

RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin portal

COPY --from=build /opt/venv /opt/venv
# Code and collected static files belong to root: the process can read them, not change them.
COPY --from=build /app /app
# The only writable places: celery beat's schedule (a volume in docker-compose.yml) and, for a
# single-container trial with STORAGE_BACKEND=local, the uploads folder.
RUN mkdir -p /app/var/celery /app/var/uploads \
    && chown portal:portal /app/var/celery /app/var/uploads

WORKDIR /app
USER portal:portal
EXPOSE 8000

# /healthz checks database, cache, broker, storage, scanner and the worker heartbeat
# (docs/notifications.md). The Host header must be one of DJANGO_ALLOWED_HOSTS, and
# X-Forwarded-Proto stands in for the TLS proxy (honoured only with DJANGO_BEHIND_PROXY=true) so
# that the HTTPS redirect does not answer instead. worker and beat override this check.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=8)"]

# gthread workers: a slow upload or download holds a thread, not a whole process. No control
# socket: nothing in the container talks to it, and HOME is not writable.
CMD ["gunicorn", "portal.wsgi", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", "--no-control-socket", \
     "--workers", "3", "--threads", "4", \
     "--timeout", "120", "--graceful-timeout", "30", \
     "--max-requests", "2000", "--max-requests-jitter", "200", \
     "--access-logfile", "-", "--error-logfile", "-"]
