"""The search API and the web page, over whichever backend the settings choose.

Every error, whatever raised it, is answered as ``{"error": {"code", "message"}}`` with
a fitting status, so clients handle one shape.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator
from importlib import resources
from typing import Annotated

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, StreamingResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from archive.backends import (
    DirectiveQuery,
    DirectiveResult,
    Health,
    SearchBackend,
    SearchQuery,
    SearchResult,
    open_backend,
)
from archive.backends.base import MAX_LIMIT, MAX_WINDOW
from archive.config import Settings
from archive.errors import (
    ArchiveError,
    BackendUnavailable,
    NotFound,
    OriginalMissing,
    QueryError,
)
from archive.export import ExportFormat, every_match, export_lines, media_type
from archive.highlight import DisplayScript, highlight
from archive.originals import media_type as original_media_type
from archive.originals import original_path
from archive.person_page import PersonPage, read_person_page
from archive.records import Document
from archive.segment import query_terms
from archive.uploads import Outcomes, UploadResult, receive, result_of


class DocumentView(Document):
    """A record as the API shows it: with ``q``, also the text with the matches marked."""

    highlighted: str | None = None
    """The text in the requested script, HTML-escaped, the query's matches in ``<mark>``."""


MAX_OFFSET = MAX_WINDOW - MAX_LIMIT
"""The deepest page start the schema allows: with any allowed limit, the page stays within
the first :data:`MAX_WINDOW` matches that the backends answer."""


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    """The one error shape of the API."""

    error: ErrorDetail


ERRORS = {
    400: {"model": ErrorBody, "description": "A request the API cannot answer as asked"},
    404: {"model": ErrorBody, "description": "Not in the archive (or no such route)"},
    503: {"model": ErrorBody, "description": "The search backend is busy or unreachable"},
}
"""The errors any operation may answer, in the error shape (``422`` is never used: a bad
parameter is a ``400``)."""


def error_body(status: int, code: str, message: str) -> JSONResponse:
    """The one error shape of the API: ``{"error": {"code", "message"}}``."""
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def create_app(
    settings: Settings | None = None,
    backend: SearchBackend | None = None,
    outcomes: Outcomes | None = None,
) -> FastAPI:
    """The FastAPI application; pass ``backend`` to serve one the caller owns, and the
    inbox's ``outcomes`` to take uploads (``archive run`` does)."""
    settings = settings or Settings()
    backend = backend or open_backend(settings)
    # /docs and /redoc from assets the archive serves itself: they work without internet.
    app = FastAPIOffline(
        title="archive", summary="Search an archive of Chinese meeting news.", responses=ERRORS
    )
    page = resources.files("archive.web").joinpath("index.html").read_text(encoding="utf-8")
    _limit_uploads(app, settings.max_upload_bytes)

    @app.exception_handler(ArchiveError)
    async def archive_error(request: Request, exc: ArchiveError) -> JSONResponse:
        if isinstance(exc, NotFound):
            return error_body(404, "not_found", str(exc))
        if isinstance(exc, QueryError):
            return error_body(400, "bad_query", str(exc))
        if isinstance(exc, BackendUnavailable):
            return error_body(503, "backend_unavailable", str(exc))
        return error_body(500, "backend_error", str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        # Unknown routes (404) and wrong methods (405) come from the router, not from us.
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        response = error_body(
            exc.status_code, code, f"{request.method} {request.url.path}: {exc.detail}"
        )
        response.headers.update(exc.headers or {})  # a 405 says what is allowed (Allow)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
        )
        return error_body(400, "bad_request", problems or "the request is not valid")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page() -> str:
        return page

    @app.get("/health")
    def health() -> Health:
        """Which backend answers, and how many documents it holds."""
        return Health(backend=backend.name, documents=backend.count())

    @app.get("/search")
    def search(
        q: str = "",
        year: Annotated[int | None, Query(ge=1, le=9999)] = None,
        person: str | None = None,
        org: str | None = None,
        place: str | None = None,
        meeting_type: str | None = None,
        title: str | None = None,
        limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 10,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        script: DisplayScript = "original",
    ) -> SearchResult:
        """Full-text search in any script; an empty ``q`` matches every document.
        Facets (year, person, org, place, meeting_type, and title: the titles of the
        people named) count over all matches, not just this page; each can filter. Snippets
        are in the script each document was written in, or simplified on request."""
        query = SearchQuery(
            q=q,
            year=year,
            person=person or None,
            org=org or None,
            place=place or None,
            meeting_type=meeting_type or None,
            title=title or None,
            limit=limit,
            offset=offset,
            script=script,
        )
        return backend.search(query)

    @app.get(
        "/directives",
        response_model=DirectiveResult,
        responses={
            200: {
                "description": "The page as JSON, or with ``format``, every match as a file",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/x-ndjson": {"schema": {"type": "string"}},
                },
            }
        },
    )
    def directives(
        q: str = "",
        speaker: str | None = None,
        year: Annotated[int | None, Query(ge=1, le=9999)] = None,
        topic: str | None = None,
        limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 20,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        format: ExportFormat | None = None,  # noqa: A002 - the name users type in the URL
    ) -> DirectiveResult | StreamingResponse:
        """Directives (what a speaker required) whose text matches ``q``, with document id,
        date and meeting, and facets on speaker, year and topic. ``format=csv`` or
        ``format=jsonl`` downloads every match instead of one page (CSV with a UTF-8 BOM,
        so spreadsheet programs read the Chinese right)."""
        query = DirectiveQuery(
            q=q, speaker=speaker or None, year=year, topic=topic or None, limit=limit, offset=offset
        )
        if format is None:
            return backend.search_directives(query)
        backend.search_directives(query.model_copy(update={"limit": 0}))  # errors before 200
        lines = export_lines(every_match(backend, query), format)
        if format == "csv":
            lines = _with_bom(lines)
        return StreamingResponse(
            lines,
            media_type=media_type(format),
            headers={"Content-Disposition": f'attachment; filename="directives.{format}"'},
        )

    @app.get("/documents/{doc_id}")
    def document(doc_id: str, q: str = "", script: DisplayScript = "original") -> DocumentView:
        """The full record of one document; with ``q``, ``highlighted`` holds its text in
        the requested script with the query's matches marked."""
        record = backend.get(doc_id)
        marked = highlight(record, query_terms(q), script) if q.strip() else None
        return DocumentView(**record.model_dump(), highlighted=marked)

    @app.post(
        "/documents",
        responses={
            411: {"model": ErrorBody, "description": "No Content-Length"},
            413: {"model": ErrorBody, "description": "Over ARCHIVE_MAX_UPLOAD_MB"},
            503: {"model": ErrorBody, "description": "Not `archive run`: no inbox takes uploads"},
        },
    )
    def upload(files: Annotated[list[UploadFile], File(min_length=1)]) -> list[UploadResult]:
        """Add files to the archive (multipart, one or many ``files``): each goes into the
        inbox as if dropped there, and the answer says what became of it: ``stored``
        with its id, ``duplicate`` of the id it already has, ``quarantined`` with the
        reason, or ``pending`` when it took longer than the time budget of a file."""
        if outcomes is None:
            raise BackendUnavailable("uploads are taken by the running service (archive run)")
        placed = [
            (f.filename or "", *receive(settings.inbox, f.filename, f.file, outcomes))
            for f in files
        ]
        # One deadline for the whole request: files are taken together, and a request
        # must not hold an API thread for a budget per file.
        deadline = time.monotonic() + settings.file_timeout_seconds + 30
        return [
            result_of(sent, target, future, max(0.0, deadline - time.monotonic()))
            for sent, target, future in placed
        ]

    @app.get(
        "/documents/{doc_id}/original",
        response_class=FileResponse,
        responses={200: {"content": {"application/octet-stream": {}}, "description": "The bytes"}},
    )
    def original(doc_id: str) -> FileResponse:
        """The original file of a document, byte for byte as it arrived, as a download
        under its own name, with its content type (``text/plain; charset=gb18030``,
        ``application/pdf``, …)."""
        source = backend.get(doc_id).source
        path = original_path(settings.originals, source.sha256, source.filename)
        if not path.is_file():
            raise OriginalMissing(doc_id, path)
        kind = original_media_type(path, source.format, source.encoding)
        return FileResponse(path, media_type=kind, filename=source.filename)

    @app.get("/persons/{name}")
    def person(name: str) -> PersonPage:
        """The page of a person (name in either script): posts held with first and last
        day, meetings chaired, spoken at and attended, directives given, people met most
        often; one group per set of unrelated organisations under that name. Built from
        the newest documents naming the person (``capped`` says when some were left out)."""
        return read_person_page(backend, name)

    _without_422(app)
    if settings.api_key is not None:
        _require_key(app, settings.api_key.get_secret_value())  # once every route is there
    return app


def _limit_uploads(app: FastAPI, limit: int) -> None:
    """Refuse an upload over ``limit`` bytes before reading it (413), and one that does not
    say its size (411): the body would otherwise be spooled to disk whatever its size."""

    @app.middleware("http")
    async def check_size(request: Request, call_next):  # noqa: ANN001, ANN202 - Starlette's
        if request.method == "POST" and request.scope["path"] == "/documents":
            length = request.headers.get("content-length", "")
            if not length.isdigit():
                return error_body(411, "length_required", "send the upload's Content-Length")
            if int(length) > limit:
                return error_body(
                    413,
                    "too_large",
                    f"the upload is {int(length) / 2**20:.1f} MB, over the limit of "
                    f"{limit / 2**20:g} MB (ARCHIVE_MAX_UPLOAD_MB)",
                )
        return await call_next(request)


OPEN_PATHS = ("/health", "/", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json")
"""What answers without the key: the health check, and the shells of the web page and of
the API's documentation, which hold no data (the page asks for the key, /docs has an
Authorize button)."""


def _without_422(app: FastAPI) -> None:
    """Take FastAPI's ``422`` out of the schema: the API answers a bad parameter ``400``
    in its error shape (declared on every operation)."""
    for operations in app.openapi()["paths"].values():
        for operation in operations.values():
            operation.get("responses", {}).pop("422", None)


def _require_key(app: FastAPI, key: str) -> None:
    """Every request but :data:`OPEN_PATHS` must carry ``Authorization: Bearer <key>``."""
    expected = f"Bearer {key}".encode()

    @app.middleware("http")
    async def check_key(request: Request, call_next):  # noqa: ANN001, ANN202 - Starlette's
        path = request.scope["path"]  # as routed, not rebuilt from the Host header
        if path in OPEN_PATHS or path.startswith("/static-offline-docs/"):
            return await call_next(request)
        given = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            response = error_body(
                401,
                "unauthorized",
                "this archive needs its API key: send the header Authorization: Bearer <key>",
            )
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        return await call_next(request)

    schema = app.openapi()
    schema.setdefault("components", {})["securitySchemes"] = {
        "key": {"type": "http", "scheme": "bearer", "description": "ARCHIVE_API_KEY"}
    }
    schema["security"] = [{"key": []}]
    shape = {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
    refused = {"description": "Without the API key", "content": {"application/json": shape}}
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            if path not in OPEN_PATHS:
                operation["responses"]["401"] = refused


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    yield "\ufeff"
    yield from lines
