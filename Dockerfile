# Production image: gunicorn serving privacy_admin; the same image runs the Celery
# worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv

# WeasyPrint needs Pango/HarfBuzz; the PDF templates need a Japanese font (IPAex); `manage.py backup`
# needs pg_dump of the server's major version (postgresql-client is 15 on bookworm, as in compose).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-ipaexfont fontconfig postgresql-client \
        libpango-1.0-0 libpangoft2-1.0-0 libpangocairo-1.0-0 libharfbuzz0b \
    && rm -rf /var/lib/apt/lists/* \
    && fc-cache -f

RUN pip install --no-cache-dir 'uv==0.13.8'

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --python /usr/local/bin/python3.11 --no-cache

COPY . .

ENV PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=privacy_admin.settings \
    DJANGO_DEBUG=0 \
    DJANGO_REQUIRE_SECRET_KEY=1

# Static files land in var/staticfiles (STATIC_ROOT); var/ is the one writable directory.
RUN DJANGO_SECRET_KEY=build-only AUDIT_CHAIN_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --system --create-home --uid 10001 app \
    && mkdir -p /app/var/backups /app/var/ledger /app/var/audit-checkpoints \
    && chown -R app:app /app/var \
    && chmod 0700 /app/var/backups

USER app

EXPOSE 8000
CMD ["gunicorn", "privacy_admin.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
