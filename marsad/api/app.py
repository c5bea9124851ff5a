"""marsad's HTTP API and Arabic web page (FastAPI): `create_app(db_path)`; run with `marsad serve`.

JSON under /api (OpenAPI schema at /openapi.json, docs at /docs); server-rendered Arabic pages at /, /story/{id},
/article/{id} and /search. Readers open their own read-only SQLite connection per request (WAL lets them
read while an ingest writes). The one write endpoint, POST /api/ingest, needs `Authorization: Bearer
$MARSAD_TOKEN` (disabled with 403 while MARSAD_TOKEN is unset), takes at most `max_body` bytes (413 beyond),
and goes through `marsad.pipeline.ingest` on a temporary file whose name comes from the body's hash, never
from the request. Errors under /api are JSON: `{"error": "..."}`. Story views are kept in the store and computed
ahead of requests by a background warmer (marsad.api.views; MARSAD_WARM_VIEWS=0 turns it off).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException

from marsad.api import pages
from marsad.api.queries import StoryFilter, list_stories, prepare_store, read_connection
from marsad.api.views import ViewCache, ViewWarmer
from marsad.store import search
from marsad.store import sqlite as store

log = logging.getLogger(__name__)

MAX_BODY = 10 * 1024 * 1024
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ApiError(HTTPException):
    pass


def _conn(request: Request) -> Iterator[sqlite3.Connection]:
    """A read-only connection of the app's store for one request."""
    c = read_connection(request.app.state.db)
    try:
        yield c
    finally:
        c.close()


Conn = Annotated[sqlite3.Connection, Depends(_conn)]


def _article_json(s: store.StoredArticle) -> dict:
    a = s.article
    return {"id": a.id, "title": a.title, "subtitle": a.subtitle, "outlet": a.outlet or a.source,
            "credited": list(a.credited), "published": a.published.isoformat() if a.published else None,
            "published_time": a.published_time, "language": a.language, "url": a.url, "body": list(a.body),
            "duplicate_of": s.duplicate_of, "similarity": s.similarity, "story": s.story_id}


def _check_date(name: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not _DATE.match(value):
        raise ApiError(422, f"{name} must be a date YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, f"{name} is not a valid date: {value}") from None
    return value


def create_app(db_path: str | Path, token: str | None = None, max_body: int = MAX_BODY,
               warm: bool | None = None) -> FastAPI:
    """The app over the store at `db_path` (created and brought up to date if needed).

    `token`: the bearer token for POST /api/ingest; default: the MARSAD_TOKEN environment variable, read at
    each request (unset or empty: ingest disabled). `warm`: while the app runs (its lifespan), compute story
    views ahead of requests (`marsad.api.views.ViewWarmer`); default: on unless MARSAD_WARM_VIEWS=0."""
    db = Path(db_path)
    prepare_store(db)
    views = ViewCache(db)
    ingest_lock = threading.Lock()  # one writer path: ingests through the API run one at a time
    if warm is None:
        warm = os.environ.get("MARSAD_WARM_VIEWS", "1") != "0"
    warmer = ViewWarmer(db) if warm else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if warmer is not None:
            warmer.start()
        try:
            yield
        finally:
            if warmer is not None:
                warmer.stop()

    app = FastAPI(title="marsad", version=_version(), lifespan=lifespan,
                  description="Arabic news story engine: stories, articles, search and ingest.")

    app.state.db = db
    # ---- errors: JSON under /api, an Arabic page elsewhere -------------------------------------------------
    def _error(request: Request, status: int, message: str, headers: dict | None = None):
        if request.url.path.startswith("/api") or request.url.path.startswith("/openapi"):
            return JSONResponse({"error": message}, status_code=status, headers=headers)
        return HTMLResponse(pages.error_page(status, message), status_code=status, headers=headers)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        msg = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and msg == "Not Found":
            msg = f"not found: {request.url.path}"
        return _error(request, exc.status_code, msg, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        return _error(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception):
        log.exception("error serving %s", request.url.path)
        return _error(request, 500, "internal error")

    # ---- JSON API -----------------------------------------------------------------------------------------
    @app.get("/api/health", tags=["api"], summary="Liveness and store counts")
    def health(c: Conn) -> dict:
        n_articles = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        n_stories = c.execute("SELECT COUNT(DISTINCT story_id) FROM articles").fetchone()[0]
        return {"status": "ok", "version": _version(), "articles": n_articles, "stories": n_stories,
                "pages": store.page_counts(c),
                "views": warmer.status() if warmer else {"enabled": False, "warming": False, "passes": 0}}

    @app.get("/api/stories", tags=["api"], summary="Stories, newest first, paged and filtered")
    def stories(
        c: Conn,
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
        since: Annotated[str | None, Query(description="YYYY-MM-DD: a member published on or after")] = None,
        until: Annotated[str | None, Query(description="YYYY-MM-DD: a member published on or before")] = None,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        entity: Annotated[str | None, Query(max_length=200, description="a name the members mention")] = None,
        min_articles: Annotated[int, Query(ge=1)] = 1,
    ) -> dict:
        f = StoryFilter(_check_date("since", since), _check_date("until", until), outlet or None, entity or None,
                        min_articles)
        total, items = list_stories(c, f, limit, offset)
        return {"total": total, "limit": limit, "offset": offset, "stories": items}

    @app.get("/api/stories/{story_id}", tags=["api"], summary="One story in full (the `marsad story` JSON)")
    def story(story_id: str, c: Conn) -> dict:
        v = views.story(c, story_id)
        if v is None:
            raise ApiError(404, f"no story {story_id}")
        return v

    @app.get("/api/articles/{article_id}", tags=["api"], summary="One stored article")
    def article(article_id: str, c: Conn) -> dict:
        s = store.get_article(c, article_id)
        if s is None:
            raise ApiError(404, f"no article {article_id}")
        return _article_json(s)

    @app.get("/api/search", tags=["api"], summary="Full-text search over articles and stories")
    def search_api(
        c: Conn,
        q: Annotated[str, Query(max_length=500, description="words; any spelling and clitics match")],
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict:
        found = search.search(c, q, limit, offset, story_limit=limit if offset == 0 else 0)
        return {"query": q, "terms": search.query_terms(q), "total": found.total, "limit": limit, "offset": offset,
                "articles": [h.to_dict() for h in found.articles], "stories": [h.to_dict() for h in found.stories]}

    @app.post("/api/ingest", tags=["api"], summary="Ingest JSONL records or one page (bearer token)",
              responses={401: {}, 403: {}, 413: {}, 415: {}})
    async def ingest_api(request: Request) -> dict:
        expected = token if token is not None else os.environ.get("MARSAD_TOKEN", "")
        if not expected:
            raise ApiError(403, "ingest is disabled: set MARSAD_TOKEN on the server to enable it")
        auth = request.headers.get("authorization", "")
        scheme, _, given = auth.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
            raise ApiError(401, "a valid 'Authorization: Bearer <token>' header is required",
                           headers={"WWW-Authenticate": "Bearer"})
        declared = request.headers.get("content-length")
        if declared is not None:
            try:
                if int(declared) > max_body:
                    raise ApiError(413, f"request body over {max_body} bytes")
            except ValueError:
                raise ApiError(400, "bad Content-Length") from None
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_body:
                raise ApiError(413, f"request body over {max_body} bytes")
        if not body.strip():
            raise ApiError(400, "empty body")
        suffix = _suffix(request.headers.get("content-type", ""), bytes(body[:2048]))
        if suffix is None:
            raise ApiError(415, "send JSONL (application/x-ndjson), HTML (text/html) or text (text/plain)")
        from starlette.concurrency import run_in_threadpool

        report = await run_in_threadpool(_ingest_body, db, bytes(body), suffix, ingest_lock)
        if warmer is not None:
            warmer.poke()  # the stories this ingest changed are computed now, not on their next request
        return {"pages": report.pages, "ingested": report.ingested, "duplicate": report.duplicate,
                "rejected": report.rejected, "already": report.already, "reasons": report.reasons}

    # ---- web page -------------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(c: Conn, page: Annotated[int, Query(ge=1, le=100000)] = 1,
             outlet: Annotated[str | None, Query(max_length=200)] = None) -> HTMLResponse:
        per = 30
        total, items = list_stories(c, StoryFilter(outlet=outlet or None), per, (page - 1) * per)
        return HTMLResponse(pages.home_page(items, total, page, per, outlet or None))

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str, c: Conn) -> HTMLResponse:
        v = views.story(c, story_id)
        if v is None:
            raise ApiError(404, f"no story {story_id}")
        return HTMLResponse(pages.story_page(v))

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str, c: Conn) -> HTMLResponse:
        s = store.get_article(c, article_id)
        if s is None:
            raise ApiError(404, f"no article {article_id}")
        return HTMLResponse(pages.article_page(_article_json(s)))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(c: Conn, q: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
        found = search.search(c, q, 30, story_limit=10) if q.strip() else search.SearchResult(0, [], [])
        return HTMLResponse(pages.search_page(q, [h.to_dict() for h in found.stories],
                                              [h.to_dict() for h in found.articles], found.total))

    return app


def _version() -> str:
    from marsad import __version__

    return __version__


def _suffix(content_type: str, head: bytes) -> str | None:
    ct = content_type.split(";", 1)[0].strip().lower()
    if ct in ("application/x-ndjson", "application/jsonl", "application/json-lines", "application/x-jsonlines",
              "application/json"):
        return ".jsonl"
    if ct in ("text/html", "application/xhtml+xml"):
        return ".html"
    if ct == "text/plain":
        return ".txt"
    if ct in ("", "application/octet-stream"):
        h = head.lstrip()
        if h.startswith(b"{"):
            return ".jsonl"
        if h[:1] == b"<":
            return ".html"
        return ".txt"
    return None


def _ingest_body(db: Path, body: bytes, suffix: str, lock: threading.Lock):
    """Write the body to a temporary file named by its hash (so the same body again is 'already' seen)
    and ingest it. No part of the request names a path."""
    from marsad.pipeline import ingest

    digest = hashlib.sha256(body).hexdigest()[:32]
    root = Path(tempfile.gettempdir()) / "marsad-api-ingest"
    with lock:
        folder = root / digest
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / ("upload" + suffix)
        try:
            path.write_bytes(body)
            return ingest([str(path)], db)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
