# Production image: gunicorn serves Django; the same image runs the Celery
# worker and beat (see docker-compose.yml).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

RUN useradd --create-home --uid 1000 peerpath
WORKDIR /app

# The locked versions, hashes checked, in their own layer; then our code
# without dependencies (an editable install cannot carry hashes).
COPY requirements.lock .
RUN pip install --upgrade pip && pip install --require-hashes -r requirements.lock
COPY . .
RUN pip install --no-deps -e .
# Static files are collected at build time and served by WhiteNoise.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@build/build DJANGO_STATIC_ROOT=/app/staticfiles \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media /app/var/private && chown -R peerpath:peerpath /app/var

USER peerpath
ENV DJANGO_STATIC_ROOT=/app/staticfiles
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
