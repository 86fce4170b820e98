# The archive service (`archive run`: inbox watcher + API) for docker-compose.yml.
# Installs the locked versions of uv.lock, like `make run`, with the same uv version.
FROM python:3.11.15-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1

# The same uv as the Makefile's UV_VERSION, installed with pip as there.
RUN pip install uv==0.13.9

WORKDIR /app

# Dependencies first, in their own layer, so that a change of the code does not
# reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --compile-bytecode

# Then the project, installed editable (uv's default) on purpose: the code finds
# mappings/ next to src/ (archive/backends/elasticsearch_requests.py), as in a checkout.
COPY README.md ./
COPY src/ src/
COPY flows/ flows/
COPY mappings/ mappings/
RUN uv sync --frozen --no-dev --compile-bytecode

ENV PATH="/app/.venv/bin:$PATH" \
    ARCHIVE_HOME=/data/var \
    ARCHIVE_INBOX=/data/inbox \
    ARCHIVE_API_HOST=0.0.0.0 \
    ARCHIVE_API_PORT=8000

EXPOSE 8000

CMD ["archive", "run"]
