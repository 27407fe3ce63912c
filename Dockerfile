# Linli bot image: slim Python, non-root user, webhook mode with /healthz.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Charts draw Chinese with the system's Noto Sans CJK (the package ships a subset otherwise).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 linli
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY services ./services
COPY models ./models
COPY scheduler ./scheduler
COPY config ./config
COPY migrations ./migrations
COPY examples ./examples
COPY emulator ./emulator
COPY linli ./linli
RUN pip install '.[postgres,redis]'

USER linli
WORKDIR /home/linli
# The webhook faces the TLS proxy; /healthz and /metrics are on their own port, inside the
# container only (HEALTH_HOST=0.0.0.0 and HEALTH_TOKEN to let Prometheus scrape it).
ENV WEBHOOK_HOST=0.0.0.0 WEBHOOK_PORT=8080 HEALTH_HOST=127.0.0.1 HEALTH_PORT=8081
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import os,sys,urllib.request as u; t=os.environ.get('HEALTH_TOKEN'); r=u.Request('http://127.0.0.1:'+os.environ['HEALTH_PORT']+'/healthz', headers={'Authorization': 'Bearer '+t} if t else {}); sys.exit(0 if u.urlopen(r, timeout=4).status == 200 else 1)"

CMD ["linli", "run", "--webhook"]
