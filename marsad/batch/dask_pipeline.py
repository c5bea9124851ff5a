"""The batch pipeline on a Dask cluster: the stages of `marsad ingest`, partitioned, with the batch clusterer.

    list files (client) ─► read ─► extract ─► [by site] templates ─► [by page id] accounting
        ─► sign ─► [by band key] LSH buckets ─► components (client) ─► [by component] dedup index
        ─► read terms ─► [by time window] cluster_batch, seeded with earlier document frequencies
        ─► anchors (client) ─► members ─► [by story] stories ─► Parquet

[brackets] are exchanges between tasks (marsad.batch.exchange). Every stage calls the single-machine code:
`marsad.sources.read`, the pipeline's extraction with its site templates, `sign_many` and
`DuplicateIndex` (marsad.dedup.minhash), `cluster_batch` (marsad.cluster.batch); what is new is only where
the data goes. Pages, copies and their verdicts are exactly those of `marsad ingest`; stories are those of the
single-machine batch mode except near window boundaries (marsad.batch.windows). Results depend on the data
and the options only, never on the number of workers.

The client holds the task graph and small summaries (counts, LSH links, window anchors); articles stay on
the workers from reading to writing.
"""

from __future__ import annotations

import functools
import gc
import logging
import operator
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace

import numpy as np
from distributed import Client, Future, LocalCluster

from marsad.batch import lsh, parquet
from marsad.batch.exchange import by_destination, concat, concat_packed, destinations_of, exchange, pack
from marsad.batch.inputs import InputFile, list_inputs, read_input
from marsad.batch.records import Copy, Member, PageRow, Seq, StoryOut, member
from marsad.batch.windows import (
    OVERLAP_HOURS,
    WINDOW_DAYS,
    Node,
    Window,
    anchors,
    df_cuts,
    home,
    plan,
    renames,
    seed_segments,
    segment,
    warm_in,
)
from marsad.cluster.batch import cluster_terms
from marsad.cluster.features import ArticleTerms, DocFreq, article_hours, read_terms
from marsad.cluster.online import story_id_for
from marsad.dedup.minhash import sign_many
from marsad.model import Article, Page, Rejection
from marsad.pipeline import Extracted, extract_page, learn_templates, rejection_id, site_key
from marsad.synthesize.headline import choose_headline

log = logging.getLogger(__name__)

SAME_PAGE = "same page as a stored article"  # the reason `marsad ingest` records for a repeated page


@dataclass(frozen=True)
class BatchOptions:
    """What decides the output (windows) and how work is cut (chunks); neither depends on the cluster."""

    window_days: float = WINDOW_DAYS
    overlap_hours: float = OVERLAP_HOURS
    chunk_pages: int = 2000  # pages a task extracts and signs: enough to amortize a task's overhead


@dataclass(frozen=True)
class BatchReport:
    pages: int
    ingested: int
    duplicate: int
    rejected: int
    already: int  # the same page (id and origin) read again: not accounted twice, as in ingest
    stories: int
    windows: int
    reasons: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each stage, on the client


def _unscanned(task: Callable) -> Callable:
    """A task run with the objects alive before it left out of the garbage collector's scans: a worker holds
    millions of small objects (its partitions' articles and terms), and every full collection in a long task
    would walk them all again (a quarter of a window's clustering time on two workers)."""

    @functools.wraps(task)
    def run(*args, **kwargs):
        gc.freeze()
        try:
            return task(*args, **kwargs)
        finally:
            gc.unfreeze()

    return run


# -- read and extract -------------------------------------------------------------------------------------


def read_numbered(f: InputFile, size: int) -> list[bytes]:
    """A file's items numbered in order, in packed chunks of `size` to extract."""
    items = list(enumerate(read_input(f)))
    return [pack(items[lo : lo + size]) for lo in range(0, len(items), size)]


@_unscanned
def extract_chunk(chunk: bytes, file: int) -> tuple[list, list]:
    """(extracted, held): pages that need no template extracted now, as `extract_pages` does; html and
    text pages held back until their site's template is learnt from all of the site's pages."""
    done: list[tuple[Seq, Extracted]] = []
    held: list[tuple[Seq, Page]] = []
    for pos, item in concat_packed(chunk):
        if isinstance(item, Rejection):
            done.append(((0, file, pos), Extracted(rejection_id(item), item.origin, item)))
        elif item.kind == "record":
            done.append(((0, file, pos), Extracted(item.page_id, item.origin, extract_page(item))))
        else:
            held.append(((1, file, pos), item))
    return done, held


def split_sites(chunk: tuple[list, list], source: int, n: int) -> list[list]:
    held = chunk[1]
    return by_destination(held, destinations_of([site_key(p) for _, p in held], n), n)


@_unscanned
def extract_sites(*pieces: list) -> list[tuple[Seq, Extracted]]:
    """Held-back pages of whole sites, extracted with the templates learnt from them (as in ingest)."""
    held = sorted(concat(*pieces), key=lambda sp: sp[0])
    templates = learn_templates([p for _, p in held])
    return [
        (seq, Extracted(p.page_id, p.origin, extract_page(p, templates.get(site_key(p))))) for seq, p in held
    ]


# -- accounting: one page, one row; one article id, one article ---------------------------------------------


def split_page_ids(part: list[tuple[Seq, Extracted]], source: int, n: int) -> list[list]:
    keys = [(ex.page_id, seq, ex.origin, isinstance(ex.result, Article), source) for seq, ex in part]
    return by_destination(keys, destinations_of([k[0] for k in keys], n), n)


def repeats(*pieces: list) -> list[tuple[int, Seq, str]]:
    """(source, seq, what) for the items `marsad ingest` would not store: "already" for a page (id and
    origin) read before, "same" for an article whose id is already stored."""
    out = []
    by_id: dict[str, list] = {}
    for key in concat(*pieces):
        by_id.setdefault(key[0], []).append(key)
    for keys in by_id.values():
        if len(keys) < 2:
            continue
        seen: set[str] = set()
        stored = False
        for _, seq, origin, is_article, source in sorted(keys, key=lambda k: k[1]):
            if origin in seen:
                out.append((source, seq, "already"))
                continue
            seen.add(origin)
            if is_article and stored:
                out.append((source, seq, "same"))
            stored = stored or is_article
    return out


@dataclass(frozen=True)
class Settled:
    """A partition after accounting: the articles to store, and the rows of pages that store none."""

    articles: tuple[Article, ...]
    pages: tuple[PageRow, ...]
    already: int


def settle(part: list[tuple[Seq, Extracted]], verdicts: dict[Seq, str]) -> Settled:
    articles, pages, already = [], [], 0
    for seq, ex in sorted(part, key=lambda sx: sx[0]):
        what = verdicts.get(seq)
        if what == "already":
            already += 1
        elif isinstance(ex.result, Rejection):
            pages.append(PageRow(ex.page_id, ex.origin, "rejected", ex.result.reason, None))
        elif what == "same":
            pages.append(PageRow(ex.page_id, ex.origin, "duplicate", SAME_PAGE, ex.result.id))
        else:
            articles.append(ex.result)
    return Settled(tuple(articles), tuple(pages), already)


# -- near duplicates (marsad.batch.lsh) ----------------------------------------------------------------------


@_unscanned
def split_bands(part: Settled, source: int, n: int) -> list[np.ndarray]:
    """(band key, article ref) rows, by band key; a ref is (partition << 32) | position."""
    have, keys = lsh.band_keys(sign_many(a.text for a in part.articles))
    refs = (np.uint64(source) << np.uint64(32)) | np.flatnonzero(have).astype(np.uint64)
    rows = np.stack([keys.ravel(), np.repeat(refs, keys.shape[1])], axis=1)
    dest = (rows[:, 0] % np.uint64(n)).astype(np.int64)
    return [rows[dest == j] for j in range(n)]


def split_components(
    part: Settled, source: int, plan: tuple[np.ndarray, np.ndarray, np.ndarray], n: int
) -> list[list]:
    """The partition's linked articles, (label, source, article), to the task that owns their component."""
    positions, labels, tasks = plan
    items = [
        (int(c), source, part.articles[i]) for i, c in zip(positions.tolist(), labels.tolist(), strict=True)
    ]
    return by_destination(items, tasks, n)


@dataclass(frozen=True)
class Found:
    """A copy, the partition it lives in, its member row (story to come), and where its original was published."""

    copy: Copy
    source: int
    member: Member
    root_hours: float | None


@_unscanned
def find_copies(out: str, part_no: int, *pieces: list) -> list[Found]:
    """The dedup index over whole LSH components; writes the task's part of the `duplicates` table."""
    items = concat(*pieces)
    by_id = {a.id: (source, a) for _, source, a in items}
    found = []
    for c in lsh.copies([a for _, _, a in items]):
        source, a = by_id[c.article_id]
        found.append(Found(c, source, member(a, ""), article_hours(by_id[c.root][1])))
    parquet.write_part(out, "duplicates", part_no, parquet.rows("duplicates", (f.copy for f in found)))
    return found


def split_found_by_source(found: list[Found], source: int, n: int) -> list[list]:
    return by_destination(found, [f.source for f in found], n)


@dataclass(frozen=True)
class Marked:
    """A settled partition with its copies known: what it stores, what it clusters, and its accounting."""

    settled: Settled
    copies: frozenset[str]

    def originals(self) -> list[Article]:
        return [a for a in self.settled.articles if a.id not in self.copies]

    def page_rows(self) -> list[PageRow]:
        own = [
            PageRow(a.id, a.origin, "duplicate" if a.id in self.copies else "ingested", None, a.id)
            for a in self.settled.articles
        ]
        return own + list(self.settled.pages)


def mark(part: Settled, *pieces: list) -> Marked:
    return Marked(part, frozenset(f.copy.article_id for f in concat(*pieces)))


def write_articles(out: str, part_no: int, part: Marked) -> dict:
    """The partition's `pages` and `articles` parts; returns its accounting counts."""
    pages = part.page_rows()
    parquet.write_part(out, "pages", part_no, parquet.rows("pages", pages))
    parquet.write_part(out, "articles", part_no, parquet.rows("articles", part.settled.articles))
    counts = Counter(p.status for p in pages)
    reasons = Counter(p.reason.split(":", 1)[0] for p in pages if p.status == "rejected" and p.reason)
    return {"status": dict(counts), "reasons": dict(reasons), "already": part.settled.already}


@dataclass(frozen=True)
class Reading:
    """An original as the window clustering needs it: its idf-free terms (`read_terms`, the costly half of
    clustering, done here in parallel and once, not again in every window whose warm-up holds it) and its
    member row (story id unset). Smaller than the article: this is what moves to the windows."""

    terms: ArticleTerms
    member: Member


@_unscanned
def read_originals(part: Marked) -> list[Reading]:
    return [Reading(read_terms(a), member(a, "")) for a in part.originals()]


def day_counts(part: list[Reading]) -> Counter:
    """Articles to cluster by UTC day: the windows are planned from these."""
    return Counter(int(r.terms.hours // 24) for r in part if r.terms.hours is not None)


# -- stories (marsad.batch.windows) --------------------------------------------------------------------------


def split_windows(part: list[Reading], source: int, n: int, windows: tuple[Window, ...]) -> list[bytes]:
    """(owned, reading) to the window owning each article, and (False, reading) to windows it warms up."""
    out: list[list] = [[] for _ in range(n)]
    for r in part:
        h = r.terms.hours
        out[home(windows, h)].append((True, r))
        for w in warm_in(windows, h):
            out[w].append((False, r))
    return [pack(piece) for piece in out]


def split_segments(part: list[Reading], source: int, n: int, cuts: tuple[float, ...]) -> list[DocFreq]:
    """The partition's document frequencies in each segment between warm-up starts."""
    out = [DocFreq() for _ in range(n)]
    for r in part:
        k = segment(cuts, r.terms.hours)
        if k is not None:
            out[k].observe(r.terms.terms)
    return out


def add_df(*parts: DocFreq) -> DocFreq:
    total: Counter = Counter()
    for d in parts:
        total.update(d.counts)
    return DocFreq(sum(d.n_docs for d in parts), dict(total))


@dataclass(frozen=True)
class WindowResult:
    """One window's clustering: its own articles' members (stories named there), and for merging, its
    warm-up articles' stories and its late articles' stories (a later window's warm-up)."""

    window: int
    members: tuple[Member, ...]
    warm: dict[str, str]
    tail: dict[str, str]


@_unscanned
def cluster_window(window: Window, overlap_hours: float, df: DocFreq | None, *pieces: bytes) -> WindowResult:
    """`cluster_terms` over the window's articles and warm-up in publication order, its document
    frequencies starting from `df`, those of every article published before the warm-up."""
    items = sorted(concat_packed(*pieces), key=lambda item: item[1].member.order)
    owned = [r for own, r in items if own]
    result = cluster_terms((r.terms for _, r in items), df=df)
    story = result.assignments
    with_own = {story[r.terms.id] for r in owned}
    tail_from = window.end - overlap_hours
    late = [r.terms.id for r in owned if r.terms.hours is not None and r.terms.hours >= tail_from]
    return WindowResult(
        window.index,
        tuple(replace(r.member, story_id=story[r.terms.id]) for r in owned),
        {r.terms.id: story[r.terms.id] for own, r in items if not own and story[r.terms.id] in with_own},
        {a: story[a] for a in late},
    )


def tail_of(result: WindowResult) -> tuple[int, dict[str, str]]:
    return result.window, result.tail


def link(result: WindowResult, *tails: tuple[int, dict[str, str]]) -> list[tuple[Node, Node]]:
    """(story here, its parent) for the window's stories that hold warm-up articles."""
    homes = {a: (w, s) for w, tail in tails for a, s in tail.items()}
    return [((result.window, s), parent) for s, parent in anchors(result.warm, homes).items()]


def split_found_by_window(found: list[Found], source: int, n: int, windows: tuple[Window, ...]) -> list[list]:
    return by_destination(found, [home(windows, f.root_hours) for f in found], n)


def finish(out: str, result: WindowResult, names: dict[str, str], *pieces: list[Found]) -> list[Member]:
    """The window's members under their final story ids, copies with their originals; writes `members`."""
    final = {m.article_id: names.get(m.story_id, m.story_id) for m in result.members}
    members = [replace(m, story_id=final[m.article_id]) for m in result.members]
    members += [replace(f.member, story_id=final[f.copy.root]) for f in concat(*pieces)]
    parquet.write_part(out, "members", result.window, parquet.rows("members", members))
    return members


def split_stories(members: list[Member], source: int, n: int) -> list[list]:
    return by_destination(members, destinations_of([m.story_id for m in members], n), n)


def story_of(story_id: str, members: Sequence[Member]) -> StoryOut:
    """A story's row as `marsad stories` would show it: members in publication order, headline over them."""
    ms = sorted(members, key=lambda m: m.order)
    founder = next((m.article_id for m in ms if story_id_for(m.article_id) == story_id), ms[0].article_id)
    stamps = [m.stamp for m in ms if m.stamp]
    return StoryOut(
        story_id,
        choose_headline([m.title for m in ms]),
        founder,
        len(ms),
        tuple(dict.fromkeys(m.outlet for m in ms if m.outlet)),
        min(stamps, default=None),
        max(stamps, default=None),
    )


def write_stories(out: str, part_no: int, *pieces: list[Member]) -> int:
    groups: dict[str, list[Member]] = {}
    for m in concat(*pieces):
        groups.setdefault(m.story_id, []).append(m)
    stories = [story_of(s, ms) for s, ms in sorted(groups.items())]
    return parquet.write_part(out, "stories", part_no, parquet.rows("stories", stories))


# -- the driver ----------------------------------------------------------------------------------------------


class _Clock:
    """Wall time of each stage, measured on the client at the points where it waits for the cluster."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._t, 2)
        self._t = now
        log.info("batch: %s done in %.1f s", stage, self.seconds[stage])


def _reduce(client: Client, fn: Callable, grid: list[list[Future]]) -> list[Future]:
    """One task a destination: fn(*its piece of each source)."""
    return [client.submit(fn, *pieces) for pieces in grid]


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Client]:
    """A client of the Dask scheduler at `scheduler`, or of a local cluster of `workers` processes (default:
    one a core) with one thread each: marsad's stages are Python, so processes, not threads, run in parallel."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    with (
        LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_batch(
    client: Client, inputs: Sequence[str], out: str, options: BatchOptions = BatchOptions()
) -> BatchReport:
    """Run the pipeline over `inputs` on the cluster behind `client`; write the tables under `out`."""
    clock = _Clock()
    parquet.clear(out)
    fan = max(1, 2 * sum(client.nthreads().values()))  # tasks per exchange: enough to keep every thread busy

    # read and extract: a task a file, then a task a chunk of its pages
    reads = client.map(read_numbered, list_inputs(inputs), size=options.chunk_pages)
    counts = client.gather(client.map(len, reads))
    chunks = [
        client.submit(extract_chunk, client.submit(operator.getitem, r, k), file)
        for file, (r, n) in enumerate(zip(reads, counts, strict=True))
        for k in range(n)
    ]
    del reads  # a stage's futures are dropped once the next stage is submitted: workers free their data
    parts = [client.submit(_first, c) for c in chunks]
    held = sum(client.gather(client.map(_held_count, chunks)))
    if held:
        sites = exchange(client, chunks, split_sites, min(fan, held))
        parts += _reduce(client, extract_sites, sites)
    del chunks
    clock.lap("read+extract")

    # accounting, then the settled partitions every later stage starts from
    verdicts: dict[int, dict[Seq, str]] = {}
    for found in client.gather(_reduce(client, repeats, exchange(client, parts, split_page_ids, fan))):
        for source, seq, what in found:
            verdicts.setdefault(source, {})[seq] = what
    settled = [client.submit(settle, p, verdicts.get(i, {})) for i, p in enumerate(parts)]
    del parts
    clock.lap("accounting")

    # near duplicates: band-key shuffle, components on the client, the dedup index a component
    links = client.gather(_reduce(client, lsh.bucket_links, exchange(client, settled, split_bands, fan)))
    nodes, labels = lsh.components(np.concatenate(links))
    owner = lsh.balance(labels, fan)
    tasks = np.array([owner[int(c)] for c in labels], dtype=np.int64)
    plans = [_plan_for(i, nodes, labels, tasks) for i in range(len(settled))]
    grid = exchange(client, settled, split_components, fan, plans)
    found = [client.submit(find_copies, out, j, *pieces) for j, pieces in enumerate(grid)]
    marked = _reduce_with(client, mark, settled, exchange(client, found, split_found_by_source, len(settled)))
    del settled
    written = [client.submit(write_articles, out, i, m) for i, m in enumerate(marked)]
    readings = client.map(read_originals, marked)
    del marked
    days: Counter = sum(client.gather(client.map(day_counts, readings)), Counter())
    clock.lap("dedup")

    # stories: windows in parallel, each starting from the document frequencies of everything before it,
    # anchored to each other on the client
    windows = plan(days, options.window_days, options.overlap_hours)
    n = len(windows)
    cuts = df_cuts(windows)
    segments = _reduce(client, add_df, exchange(client, readings, split_segments, len(cuts), cuts=cuts))
    prefix: list[Future | None] = [None]  # prefix[m]: document frequencies of the first m segments
    for seg in segments:
        prefix.append(seg if prefix[-1] is None else client.submit(add_df, prefix[-1], seg))
    grid = exchange(client, readings, split_windows, n, windows=windows)
    results = [
        client.submit(cluster_window, w, options.overlap_hours, prefix[m], *pieces)
        for w, m, pieces in zip(windows, seed_segments(windows, cuts), grid, strict=True)
    ]
    del readings, grid, segments, prefix
    tails = client.map(tail_of, results)
    anchored = [  # each window against the earlier windows that own some of its warm-up
        client.submit(link, r, *(tails[i] for i in range(w.index) if windows[i].end > w.warm))
        for w, r in zip(windows, results, strict=True)
    ]
    parents = {node: parent for edges in client.gather(anchored) for node, parent in edges}
    names = renames(parents)
    clock.lap("cluster")

    copies_by_window = exchange(client, found, split_found_by_window, n, windows=windows)
    members = [
        client.submit(finish, out, r, names.get(w.index, {}), *pieces)
        for w, r, pieces in zip(windows, results, copies_by_window, strict=True)
    ]
    story_grid = exchange(client, members, split_stories, fan)
    stories = sum(
        client.gather([client.submit(write_stories, out, j, *pieces) for j, pieces in enumerate(story_grid)])
    )
    counts = client.gather(written)
    clock.lap("write")

    status: Counter = Counter()
    reasons: Counter = Counter()
    for c in counts:
        status.update(c["status"])
        reasons.update(c["reasons"])
    report = BatchReport(
        pages=sum(status.values()),
        ingested=status["ingested"],
        duplicate=status["duplicate"],
        rejected=status["rejected"],
        already=sum(c["already"] for c in counts),
        stories=stories,
        windows=n,
        reasons=dict(reasons),
        seconds=clock.seconds,
    )
    parquet.write_manifest(
        out,
        {
            "inputs": list(inputs),
            "options": asdict(options),
            "report": asdict(report),
            "threads": sum(client.nthreads().values()),
        },
    )
    return report


def _first(pair: tuple):
    return pair[0]


def _held_count(chunk: tuple[list, list]) -> int:
    return len(chunk[1])


def _plan_for(source: int, nodes: np.ndarray, labels: np.ndarray, tasks: np.ndarray):
    mine = (nodes >> 32) == source
    return nodes[mine] & 0xFFFFFFFF, labels[mine], tasks[mine]


def _reduce_with(client: Client, fn: Callable, own: list[Future], grid: list[list[Future]]) -> list[Future]:
    """One task a destination that also takes that destination's own partition: fn(own[j], *pieces)."""
    return [client.submit(fn, o, *pieces) for o, pieces in zip(own, grid, strict=True)]
