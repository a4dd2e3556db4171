# Production image: Python, WeasyPrint's Pango, Noto CJK fonts, and the front-end assets.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk poppler-utils gettext curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY qcexchange ./qcexchange
COPY events ./events
COPY submissions ./submissions
COPY judging ./judging
RUN pip install .
COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN DJANGO_SECRET_KEY=build-only python manage.py compilemessages --ignore=node_modules -v 0 \
 && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0
RUN useradd --create-home --uid 1000 qcx && mkdir -p /data/media && chown -R qcx /data /app
USER qcx
ENV MEDIA_ROOT=/data/media QCX_VAR_DIR=/data
EXPOSE 8000
CMD ["gunicorn", "qcexchange.wsgi:application", "--config", "gunicorn.conf.py"]
