"""How far a batch run agrees with the single-machine batch mode on the same inputs.

The reference is made by the single-machine code alone: `marsad ingest` into a scratch store (pages, copies
and their verdicts), then `cluster_batch` over the stored articles that are not copies, each copy joining its
original's story as in ingest. Agreement is B³ (precision, recall, F) of the batch run's stories against it,
over every stored article.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from marsad.cluster.batch import cluster_batch
from marsad.pipeline import ingest
from marsad.store import sqlite as store


@dataclass(frozen=True)
class Reference:
    stories: dict[str, str]  # article id -> story id
    duplicate_of: dict[str, str]  # copy -> the article it copies
    pages: dict[tuple[str, str], str]  # (page id, origin) -> status


def single_machine(inputs: Sequence[str]) -> Reference:
    """The single-machine batch mode's pages, copies and stories for `inputs`."""
    with tempfile.TemporaryDirectory(prefix="marsad-reference-") as tmp:
        db = Path(tmp, "reference.db")
        ingest(inputs, db)
        conn = store.open_store(db)
        stored = list(store.iter_articles(conn))
        pages = {(r[0], r[1]): r[2] for r in conn.execute("SELECT page_id, origin, status FROM pages")}
        conn.close()
    copy_of = {s.article.id: s.duplicate_of for s in stored if s.duplicate_of}
    assigned = cluster_batch(s.article for s in stored if s.duplicate_of is None).assignments

    def story(article_id: str) -> str:
        while article_id in copy_of:
            article_id = copy_of[article_id]
        return assigned[article_id]

    return Reference({s.article.id: story(s.article.id) for s in stored}, copy_of, pages)


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B³ precision, recall and F of `pred` against `gold` (item -> cluster) over gold's items; an item
    missing from `pred` counts as alone."""
    pc: dict[object, set[str]] = defaultdict(set)
    gc: dict[str, set[str]] = defaultdict(set)
    for item, cluster in gold.items():
        gc[cluster].add(item)
        pc[pred.get(item, ("alone", item))].add(item)
    if not gold:
        return 1.0, 1.0, 1.0
    p = r = 0.0
    for item, cluster in gold.items():
        mine, theirs = pc[pred.get(item, ("alone", item))], gc[cluster]
        both = len(mine & theirs)
        p += both / len(mine)
        r += both / len(theirs)
    p, r = p / len(gold), r / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0
