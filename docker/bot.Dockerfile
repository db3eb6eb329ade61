# The bot: discord.py, SQLite and the queue client. No torch, no tensorflow: executors run code.
FROM python:3.11.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BACKPROP_DATA_DIR=/data BACKPROP_EMBEDDED_WORKER=false
WORKDIR /app
# A CJK font so /progress charts can be labelled in Chinese.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
COPY docker/constraints.txt docker/constraints.txt
COPY pyproject.toml README.md ./
COPY bot bot
COPY content content
COPY executor executor
RUN pip install -c docker/constraints.txt . \
    && useradd --system --uid 10001 --home /app backprop \
    && mkdir -p /data && chown backprop /data
USER backprop
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["python", "-m", "bot", "health"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["discord"]
