# An executor worker: the sandbox (bubblewrap) with warm PyTorch and TensorFlow pools.
# PyPI's torch wheels bundle their CUDA libraries; the host provides only the NVIDIA driver
# (through the NVIDIA container toolkit). TensorFlow is the CPU build: its CUDA packages pin other
# versions of the same libraries than torch's, so TensorFlow demos run on the CPU.
FROM python:3.11.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends bubblewrap=0.8.0-2+deb12u1 iproute2 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY docker/constraints.txt docker/constraints.txt
RUN pip install torch==2.13.0 tensorflow-cpu==2.21.0
COPY pyproject.toml README.md ./
COPY bot bot
COPY content content
COPY executor executor
RUN pip install -c docker/constraints.txt '.[executor]'
# Runs as root inside the container: the sandbox needs CAP_SYS_ADMIN and friends to build each job's
# namespaces and to drop the job to an unprivileged uid of its own (docs/sandbox.md).
EXPOSE 8081
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8081/health', timeout=4)"]
ENTRYPOINT ["python", "-m", "executor", "worker"]
CMD ["--device", "cuda:0", "--concurrency", "2", "--health-port", "8081"]
