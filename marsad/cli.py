"""The `marsad` command line: thin entry points over marsad.pipeline and the store.

JSON outputs here are contracts read by other tools (documented in README.md): keep them stable.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from marsad.model import Article, Rejection

app = typer.Typer(add_completion=False, no_args_is_help=True, help="marsad: Arabic news story engine.")


FormatOpt = Annotated[str, typer.Option("--format", "-f", help="json (one JSON object a line) or table")]
DbOpt = Annotated[Path, typer.Option("--db", help="the SQLite store")]


@app.callback()
def _root() -> None:
    """marsad: Arabic news story engine."""


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def extract_record(origin: str, result: Article | Rejection) -> dict:
    """The `marsad extract` JSON contract for one input page."""
    if isinstance(result, Rejection):
        return {"path": origin, "status": "rejected", "reason": result.reason, "title": None, "subtitle": None,
                "outlet": None, "credited": [], "published": None, "published_time": None, "language": None,
                "body": []}
    a = result
    return {"path": origin, "status": "ok", "reason": None, "title": a.title, "subtitle": a.subtitle,
            "outlet": a.outlet, "credited": list(a.credited),
            "published": a.published.isoformat() if a.published else None,
            "published_time": a.published_time, "language": a.language, "body": list(a.body)}


def _need_db(db: Path) -> None:
    if not db.exists():
        typer.echo(f"error: no store at {db} (run `marsad ingest ... --db {db}` first)", err=True)
        raise typer.Exit(2)


@app.command()
def version() -> None:
    """Print marsad's version."""
    from marsad import __version__

    typer.echo(__version__)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="files, folders, JSONL, WARC, feeds or URLs")],
    format: FormatOpt = "json",
) -> None:
    """Extract the article from each input page: one JSON line per page."""
    from marsad.pipeline import extract_pages

    for ex in extract_pages(paths):
        rec = extract_record(ex.origin, ex.result)
        if format == "json":
            _emit(rec)
        else:
            mark = "ok " if rec["status"] == "ok" else "REJ"
            typer.echo(f"{mark} {rec['published'] or '-':10} {rec['outlet'] or '-':12} "
                       f"{(rec['title'] or rec['reason'] or '')[:70]}  [{ex.origin}]")


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="files, folders, JSONL, WARC, feeds or URLs")],
    db: DbOpt = Path("marsad.db"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
    dense: Annotated[bool | None, typer.Option(
        "--dense/--no-dense",
        help="cluster with sentence embeddings of the bodies too (about 14 ms more an article on two cores); "
             "default: the mode the store was clustered in, off for a new store")] = None,
) -> None:
    """Ingest pages or JSONL records into the store: extract, deduplicate, cluster."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from marsad.cluster.online import ClusterModeError
    from marsad.pipeline import ingest as run_ingest

    show = not quiet and sys.stderr.isatty()
    with Progress(TextColumn("pages"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  disable=not show, transient=True) as bar:
        task = bar.add_task("pages", total=None)
        try:
            report = run_ingest(inputs, db, progress=lambda n: bar.advance(task, n), dense=dense)
        except ClusterModeError as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(2) from e
    _echo_pages(report, f"{report.already} already in the store")


def _echo_pages(report, rest: str) -> None:
    """The page accounting of an ingest or a batch run, and its rejections by reason (on stderr)."""
    typer.echo(
        f"{report.pages} pages: {report.ingested} ingested, {report.duplicate} duplicate, "
        f"{report.rejected} rejected, {rest}",
        err=True,
    )
    for reason, n in sorted(report.reasons.items(), key=lambda kv: -kv[1]):
        typer.echo(f"  rejected {n}: {reason}", err=True)


@app.command()
def articles(db: DbOpt = Path("marsad.db"), format: FormatOpt = "json") -> None:
    """Every stored article, one JSON line each, with its duplicate_of and story."""
    from marsad.store import sqlite as store

    _need_db(db)
    conn = store.open_store(db)
    for s in store.iter_articles(conn):
        a = s.article
        rec = {"id": a.id, "outlet": a.outlet or a.source, "title": a.title,
               "published": a.published.isoformat() if a.published else None,
               "duplicate_of": s.duplicate_of, "similarity": s.similarity, "story": s.story_id}
        if format == "json":
            _emit(rec)
        else:
            typer.echo(f"{a.id:20} {rec['published'] or '-':10} {rec['outlet'] or '-':12} "
                       f"{s.story_id or '-':14} {(a.title or '')[:60]}")


@app.command()
def stories(db: DbOpt = Path("marsad.db"), format: FormatOpt = "json") -> None:
    """Every story, one JSON line each: id, headline, members, outlets, first and last seen."""
    from marsad.store import sqlite as store
    from marsad.synthesize.headline import choose_headline

    _need_db(db)
    conn = store.open_store(db)
    titles = {r[0]: r[1] for r in conn.execute("SELECT id, title FROM articles")}
    rows = sorted(store.iter_stories(conn), key=lambda s: (-len(s.members), s.id))
    for s in rows:
        headline = choose_headline([titles.get(m) for m in s.members])
        rec = {"id": s.id, "headline": headline, "members": list(s.members), "outlets": list(s.outlets),
               "first_seen": s.first_seen, "last_seen": s.last_seen}
        if format == "json":
            _emit(rec)
        else:
            typer.echo(f"{s.id:14} {len(s.members):3} {', '.join(s.outlets)[:40]:40} {(headline or '')[:60]}")


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="a story id from `marsad stories`")],
    db: DbOpt = Path("marsad.db"),
    format: Annotated[str, typer.Option("--format", "-f", help="json or md")] = "json",
) -> None:
    """One story in full: headline, attributed summary, entities, facts, disagreements, wire passages."""
    from marsad.store import sqlite as store
    from marsad.synthesize.view import build_view, story_json, story_markdown

    _need_db(db)
    conn = store.open_store(db)
    members = store.story_articles(conn, story_id)
    if not members:
        typer.echo(f"error: no story {story_id!r} in {db}", err=True)
        raise typer.Exit(2)
    view = build_view(story_id, [s.article for s in members], {s.article.id: s.duplicate_of for s in members},
                      conn)
    if format == "md":
        sys.stdout.write(story_markdown(view))
    else:
        _emit(story_json(view))


@app.command()
def ner(
    file: Annotated[Path, typer.Argument(help="CoNLL-style text: a token a line, blank line between sentences")],
    conll: Annotated[bool, typer.Option("--conll", help="read and write CoNLL columns")] = True,
) -> None:
    """Tag each token with a BIO entity tag (second column)."""
    from marsad.enrich.entities import tag_conll

    with open(file, encoding="utf-8") as f:
        for line in tag_conll(f):
            sys.stdout.write(line + "\n")


@app.command()
def stance(pairs: Annotated[Path, typer.Argument(help="CSV with columns s1,s2")]) -> None:
    """One label a line for each pair: agree, disagree or other."""
    from marsad.enrich.stance import classify_csv

    for label in classify_csv(pairs):
        sys.stdout.write(label + "\n")


@app.command()
def status(db: DbOpt = Path("marsad.db")) -> None:
    """Page accounting: how many pages were ingested, duplicate, rejected, and the last rejections."""
    from marsad.store import sqlite as store

    _need_db(db)
    conn = store.open_store(db)
    counts = store.page_counts(conn)
    _emit({"pages": sum(counts.values()), **counts, "rejection_reasons": store.rejection_reasons(conn),
           "last_rejections": [dict(r) for r in store.last_rejections(conn)]})


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="words to find; any spelling (أ/ا, ة/ه) and clitics match")],
    db: DbOpt = Path("marsad.db"),
    format: FormatOpt = "table",
    limit: Annotated[int, typer.Option(help="how many articles and stories")] = 20,
) -> None:
    """Full-text search over stored articles and stories (JSON: one line per hit, with "kind")."""
    from marsad.store import search as fts
    from marsad.store import sqlite as store

    _need_db(db)
    conn = store.open_store(db)
    fts.ensure_schema(conn)
    stories_found = fts.search_stories(conn, query, limit)
    articles_found = fts.search_articles(conn, query, limit)
    if format == "json":
        for h in stories_found:
            _emit({"kind": "story", **h.to_dict()})
        for h in articles_found:
            _emit({"kind": "article", **h.to_dict()})
        return
    if not articles_found:
        typer.echo("no match")
        return
    typer.echo("stories:")
    for h in stories_found:
        typer.echo(f"  {h.id:16} {h.articles:3} {(h.headline or '')[:70]}")
    typer.echo("articles:")
    for h in articles_found:
        typer.echo(f"  {h.id:20} {h.published or '-':10} {h.outlet or '-':12} {(h.title or '')[:60]}")
        typer.echo(f"      {h.snippet[:160]}")


@app.command()
def serve(
    db: DbOpt = Path("marsad.db"),
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Serve the HTTP API (/api, OpenAPI at /docs) and the Arabic web page (/). POST /api/ingest needs
    MARSAD_TOKEN set in the environment."""
    import uvicorn

    from marsad.api.app import create_app

    _need_db(db)
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")


@app.command()
def demo(
    db: DbOpt = Path("out/demo.db"),
    examples: Annotated[Path, typer.Option(help="the sample corpus")] = Path("examples"),
) -> None:
    """Run the whole pipeline on the bundled sample corpus and show its stories."""
    from marsad.demo import run_demo

    run_demo(examples, db)


@app.command()
def batch(
    inputs: Annotated[
        list[str], typer.Argument(help="files, folders, JSONL, WARC: local paths or fsspec URLs")
    ],
    out: Annotated[str, typer.Option("--out", help="output folder (local or fsspec URL) for Parquet tables")],
    scheduler: Annotated[
        str | None, typer.Option(help="a Dask scheduler's address (default: a local cluster)")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="local cluster: worker processes (default: a core each)")
    ] = None,
    window_days: Annotated[float | None, typer.Option(help="days of articles one task clusters [7]")] = None,
    overlap_hours: Annotated[
        float | None, typer.Option(help="hours before a window clustered again as its warm-up [96]")
    ] = None,
) -> None:
    """Run the whole pipeline on a Dask cluster and write Parquet tables (pages, articles, duplicates,
    members, stories) to OUT; `marsad load OUT --db ...` puts them in a store."""
    import logging

    from marsad.batch import BatchOptions, dask_client, run_batch

    logging.getLogger("marsad.batch").setLevel(logging.INFO)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(message)s")
    given = {"window_days": window_days, "overlap_hours": overlap_hours}
    options = BatchOptions(**{k: v for k, v in given.items() if v is not None})
    with dask_client(scheduler, workers) as client:
        report = run_batch(client, inputs, out, options)
    _echo_pages(
        report, f"{report.already} read twice; {report.stories} stories in {report.windows} windows -> {out}"
    )


@app.command()
def load(
    out: Annotated[str, typer.Argument(help="the output folder of `marsad batch` (local or fsspec URL)")],
    db: DbOpt = Path("marsad.db"),
) -> None:
    """Put a `marsad batch` output into the store, as if its pages had been ingested."""
    from marsad.batch import LoadError, load_output

    try:
        report = load_output(out, db)
    except LoadError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e
    typer.echo(
        f"{report.articles} articles and {report.pages} pages loaded ({report.already} already in the store);"
        f" {report.stories} stories",
        err=True,
    )


def main() -> None:
    app()
