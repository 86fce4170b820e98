"""The search API and the web page, over whichever backend the settings choose.

Every error, whatever raised it, is answered as ``{"error": {"code", "message"}}`` with
a fitting status, so clients handle one shape.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse

from archive.backends import Health, SearchBackend, SearchQuery, SearchResult, open_backend
from archive.backends.base import MAX_LIMIT
from archive.config import Settings
from archive.errors import ArchiveError, BackendUnavailable, DocumentNotFound, QueryError
from archive.records import Document


def error_body(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def create_app(settings: Settings | None = None, backend: SearchBackend | None = None) -> FastAPI:
    """The FastAPI application; pass ``backend`` to serve one the caller owns."""
    settings = settings or Settings()
    backend = backend or open_backend(settings)
    app = FastAPI(title="archive", summary="Search an archive of Chinese meeting news.")
    page = resources.files("archive.web").joinpath("index.html").read_text(encoding="utf-8")

    @app.exception_handler(ArchiveError)
    async def archive_error(request: Request, exc: ArchiveError) -> JSONResponse:
        if isinstance(exc, DocumentNotFound):
            return error_body(404, "not_found", str(exc))
        if isinstance(exc, QueryError):
            return error_body(400, "bad_query", str(exc))
        if isinstance(exc, BackendUnavailable):
            return error_body(503, "backend_unavailable", str(exc))
        return error_body(500, "backend_error", str(exc))

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
        year: int | None = None,
        person: str | None = None,
        org: str | None = None,
        limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 10,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> SearchResult:
        """Full-text search in any script; an empty ``q`` matches every document.
        Facets (year, person, org) count over all matches, not just this page."""
        query = SearchQuery(
            q=q, year=year, person=person or None, org=org or None, limit=limit, offset=offset
        )
        return backend.search(query)

    @app.get("/documents/{doc_id}")
    def document(doc_id: str) -> Document:
        """The full record of one document."""
        return backend.get(doc_id)

    return app
