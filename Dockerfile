# 逾期应对指南: a small Debian image running gunicorn as an unprivileged user.
#   docker build -t yuqi-guide .
#   docker run -p 8000:8000 -e SECRET_KEY=... yuqi-guide

# --- build: a virtualenv with the pinned packages, and the compiled catalogs --------------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml requirements.lock README.md ./
COPY webapp ./webapp
RUN python -m venv /venv \
 && /venv/bin/pip install --upgrade pip \
 && /venv/bin/pip install -c requirements.lock .
COPY translations ./translations
RUN /venv/bin/pybabel compile -d translations

# --- run: the system libraries WeasyPrint needs, the fonts, the app; no build tools ----------------------------
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app
COPY --from=build /venv /venv
WORKDIR /app
COPY --chown=app:app guides ./guides
COPY --chown=app:app --from=build /src/translations ./translations
COPY --chown=app:app gunicorn.conf.py ./
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    GUIDES_DIR=/app/guides \
    TRANSLATIONS_DIR=/app/translations
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"]
ENTRYPOINT ["gunicorn", "--config", "/app/gunicorn.conf.py", "webapp:create_app()"]
