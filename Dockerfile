# Front-end assets: GOV.UK Frontend from npm, built with our Sass settings.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static ./static
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /app/static/build ./static/build
COPY --from=assets /app/node_modules/govuk-frontend ./node_modules/govuk-frontend
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input
RUN useradd --create-home onesource && mkdir -p var && chown -R onesource var
USER onesource
EXPOSE 8000
CMD ["gunicorn", "onesource.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
