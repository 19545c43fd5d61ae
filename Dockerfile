# 党建助手 in a container: `python -m bot run` as a non-root user (README, "Running with Docker").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, read from pyproject.toml: this layer is rebuilt only when they change,
# not on every code change.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The code runs from /app (python -m bot finds it in the working directory); data/ holds the
# SQLite file when DATABASE_URL is left at its default, so it belongs to the bot's user.
COPY bot ./bot
COPY handlers ./handlers
COPY schedules ./schedules
COPY storage ./storage
RUN useradd --create-home --uid 10001 dangjian \
    && mkdir -p /app/data \
    && chown dangjian:dangjian /app/data
USER dangjian

# Configuration, database and token (getMe): cheap enough to run every minute.
HEALTHCHECK --interval=60s --timeout=30s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "doctor", "--quick"]

# run migrates the database first; it stops cleanly on the SIGTERM of `docker stop`.
CMD ["python", "-m", "bot", "run"]
