# 逾期应对指南: a small Debian image running the app's own server (waitress, webapp/wsgi.py) as an unprivileged user,
# able to run on a read-only root.
#   docker build -t yuqi-guide .
#   docker run -p 8000:8000 --read-only --tmpfs /tmp yuqi-guide
# It writes nothing; TMPDIR (/tmp, with XDG_CACHE_HOME under it) is there for libraries that might.

# --- build: a virtualenv with the runtime lock only (hashes checked), the app as a wheel, the compiled catalogs ----
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements/runtime.txt requirements/build.txt ./requirements/
# /venv gets no pip or setuptools of its own: pip from /build installs into it (--python). /build holds the build
# backend (hashed too) and stays behind in this stage. Plain locked wheels: nothing is compiled.
RUN python -m venv --without-pip /venv \
 && python -m venv /build \
 && /build/bin/pip install --require-hashes -r requirements/build.txt \
 && /build/bin/pip --python /venv/bin/python install --require-hashes -r requirements/runtime.txt
COPY pyproject.toml README.md ./
COPY webapp ./webapp
RUN /build/bin/pip wheel --no-deps --no-build-isolation --wheel-dir /wheels . \
 && /build/bin/pip --python /venv/bin/python install --no-deps /wheels/*.whl
COPY translations ./translations
RUN /venv/bin/pybabel compile -d translations

# --- run: the system libraries WeasyPrint needs, the two font faces the PDFs embed, the app; no build tools -------
FROM python:3.11-slim-bookworm
# Fonts: the app embeds only Noto Sans CJK Regular and Bold (webapp/fonts.py finds them through fontconfig), so dpkg
# leaves out Noto Serif CJK (53 MB) and DejaVu (fontconfig's dependency). The font cache is built here, for the
# read-only root at run time. fontconfig trusts a cache only while its font directory's mtime matches to the
# nanosecond, and image layers keep whole seconds: so the directories' mtimes are truncated first.
RUN printf '%s\n' 'path-exclude=/usr/share/fonts/opentype/noto/NotoSerifCJK-*' \
      'path-exclude=/usr/share/fonts/truetype/dejavu/*' > /etc/dpkg/dpkg.cfg.d/fonts-the-app-uses \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/apt /var/log/dpkg.log \
 && find /usr/share/fonts /usr/local/share/fonts -type d -exec touch -c -d "@$(date +%s)" {} + \
 && fc-cache --system-only --really-force \
 && groupadd --gid 10001 app \
 && useradd --uid 10001 --gid app --no-create-home --no-log-init --home-dir /nonexistent --shell /usr/sbin/nologin app
COPY --from=build /venv /venv
# The app's files belong to root: the app reads them and writes nothing there.
WORKDIR /app
COPY guides ./guides
COPY --from=build /src/translations ./translations
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    GUIDES_DIR=/app/guides \
    TRANSLATIONS_DIR=/app/translations \
    TMPDIR=/tmp \
    XDG_CACHE_HOME=/tmp/cache
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"]
ENTRYPOINT ["python", "-m", "webapp.wsgi"]
