# plan-targets REST service: gunicorn serving service.api.app:create_app() on port 8000.
#   docker build -t plan-targets .
#   docker run --rm -p 8000:8000 -v plan-targets-data:/var/lib/plan-targets plan-targets

# --- web assets: the dashboard's chart library from the npm registry, pinned by the lock ---
FROM node:20-slim AS web-assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- build: the package and every dependency as wheels (no compiler needed in the image) ---
# Dependencies are the pins of requirements.lock, each checked against its sha256 (`make lock`
# writes it); the package's own wheel is built with the locked setuptools, without fetching more.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements.lock ./
RUN pip install --no-deps --require-hashes -r requirements.lock \
 && pip download --no-deps --require-hashes --only-binary=:all: --dest /wheels -r requirements.lock
# service/api/openapi.yaml is a symlink to ../../openapi.yaml: copy both so the wheel gets the file.
COPY pyproject.toml openapi.yaml ./
COPY service ./service
COPY --from=web-assets /src/node_modules/chart.js/dist/chart.umd.min.js ./service/web/static/vendor/
COPY --from=web-assets /src/node_modules/chart.js/LICENSE.md ./service/web/static/vendor/chart.js.LICENSE.md
# The web pages' translations are compiled here with the locked Babel (.po committed, .mo built).
RUN pybabel compile --statistics -d service/web/translations \
 && pip wheel --no-deps --no-build-isolation --wheel-dir /wheels .

# --- runtime -------------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PLAN_TARGETS_HOST=0.0.0.0 \
    PLAN_TARGETS_PORT=8000 \
    PLAN_TARGETS_DATA_DIR=/var/lib/plan-targets

# LibreOffice (Writer, no GUI) reads .doc, .wps, .rtf and .odt uploads; python3-uno gives Debian's
# /usr/bin/python3 the `uno` module that the warm office server (unoserver) runs under.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libreoffice-writer-nogui python3-uno \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /app --create-home app \
 && mkdir -p /var/lib/plan-targets \
 && chown app:app /var/lib/plan-targets

COPY --from=build /wheels /tmp/wheels
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-index --no-deps --find-links /tmp/wheels --require-hashes -r /tmp/requirements.lock \
 && pip install --no-index --no-deps /tmp/wheels/plan_targets-*.whl \
 && pip check \
 && rm -rf /tmp/wheels /tmp/requirements.lock

WORKDIR /app
# The same settings file `plan-targets serve` uses (workers from the core count, timeouts,
# JSON access log); it reads PLAN_TARGETS_* from the environment.
COPY --chown=app:app service/api/gunicorn.conf.py /app/gunicorn.conf.py

USER app
VOLUME ["/var/lib/plan-targets"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PLAN_TARGETS_PORT', '8000'), timeout=4)"]

ENTRYPOINT ["gunicorn", "--config", "/app/gunicorn.conf.py"]
CMD ["service.api.app:create_app()"]
