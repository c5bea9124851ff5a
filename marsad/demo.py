"""`marsad demo`: the whole pipeline on the bundled sample corpus, shown in the terminal."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from marsad.pipeline import ingest
from marsad.store import sqlite as store
from marsad.synthesize.headline import choose_headline
from marsad.synthesize.view import build_view, story_markdown


def run_demo(examples: Path, db: Path, console: Console | None = None) -> None:
    console = console or Console()
    if not examples.exists():
        raise SystemExit(f"error: no sample corpus at {examples}")
    for suffix in ("", "-wal", "-shm"):  # a fresh store each run, so the demo always shows the same thing
        Path(str(db) + suffix).unlink(missing_ok=True)
    inputs = sorted(str(p) for p in examples.iterdir() if p.is_dir() or p.suffix in (".jsonl", ".gz"))
    t0 = time.perf_counter()
    report = ingest(inputs, db)
    secs = time.perf_counter() - t0
    console.print(
        f"[bold]marsad[/bold] ingested {report.pages} pages from {examples} in {secs:.1f} s: "
        f"{report.ingested} articles, {report.duplicate} duplicates, {report.rejected} rejected"
    )

    conn = store.open_store(db)
    seeds = [s for s in store.iter_articles(conn) if "seeds" in s.article.origin]
    if seeds:
        t = Table(title="Extracted from the seed pages", show_lines=False)
        for col in ("page", "outlet", "published", "title", "paragraphs"):
            t.add_column(col)
        for s in seeds:
            a = s.article
            t.add_row(Path(a.origin).name[:12], a.outlet or "-", str(a.published or "-"),
                      (a.title or "")[:70], str(len(a.body)))
        console.print(t)

    titles = {r[0]: r[1] for r in conn.execute("SELECT id, title FROM articles")}
    rows = sorted(store.iter_stories(conn), key=lambda s: (-len(s.members), s.id))
    multi = [s for s in rows if len(s.members) > 1]
    t = Table(title=f"Stories: {len(multi)} with 2+ articles ({len(rows)} in all); the largest 25")
    for col in ("story", "articles", "outlets", "first seen", "headline"):
        t.add_column(col)
    for s in multi[:25]:
        t.add_row(s.id, str(len(s.members)), str(len(s.outlets)), (s.first_seen or "-")[:10],
                  (choose_headline([titles.get(m) for m in s.members]) or "")[:80])
    console.print(t)
    seed_story = Counter(s.story_id for s in seeds if s.story_id)
    if seed_story:
        names = ", ".join(sorted(seed_story))
        console.print(f"The {len(seeds)} seed pages fall into {len(seed_story)} story(ies): {names}")
        sid = seed_story.most_common(1)[0][0]
        members = store.story_articles(conn, sid)
        view = build_view(sid, [m.article for m in members], {m.article.id: m.duplicate_of for m in members},
                          conn)
        console.rule(f"marsad story {sid}")
        console.print(story_markdown(view), markup=False)
    console.print(f"Store: {db}  —  try: marsad stories --db {db} --format json")
    conn.close()
