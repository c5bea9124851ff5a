"""A batch of news pages with hostile ones mixed in: does every page end ingested, duplicate or rejected?

    .venv/bin/python bench/hostile.py [--pages 10000] [--hostile 0.05] [--seed 10] [--keep DIR]

`make_batch` writes the pages into a folder: normal pages built from the bundled sample corpus
(examples/saudinewsnet: each page's body mixes sentences of several articles, so pages are not all
copies; some are exact copies on purpose) as JSONL records, HTML files (UTF-8, Windows-1256, gzip) and
text dumps, and a share of hostile pages of the kinds in `HOSTILE_KINDS`. `main` ingests the batch into a
fresh store through the `marsad` command, checks that ingested + duplicate + rejected == pages tried and
that every rejection has a reason, and prints the counts per outcome and per hostile kind.
The test suite runs a smaller batch of the same mix (tests/test_reliability_accounting.py).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "saudinewsnet" / "sample.jsonl"

HOSTILE_KINDS = (
    "binary",  # random bytes, and an image, under a page's name
    "empty",  # no bytes, or whitespace only
    "huge",  # a 50 MB page (over the page limit)
    "truncated_html",  # a page cut off mid-tag or mid-character
    "wrong_encoding",  # Windows-1256 bytes declared UTF-8, UTF-8 declared Windows-1256
    "mixed_encoding",  # half UTF-8, half Windows-1256
    "gzip_bomb",  # a small .html.gz that unpacks to far more than the page limit
    "nested_html",  # tens of thousands of nested elements
    "other_language",  # English, French, Russian, Chinese news text
    "bad_jsonl",  # JSONL lines: not JSON, nested 100k deep, not UTF-8, content not text
)
JSONL_LINES = 200  # normal records per JSONL file

OTHER_LANGUAGES = {
    "en": "The central bank raised its main interest rate by a quarter of a point on Tuesday, citing "
    "persistent inflation in services and a labour market that remains tight across most regions.",
    "fr": "Le gouvernement a présenté mardi un projet de loi sur la réforme des retraites, qui prévoit "
    "un relèvement progressif de l'âge légal de départ et une hausse des cotisations patronales.",
    "ru": "Правительство во вторник представило законопроект о пенсионной реформе, который предусматривает "
    "постепенное повышение пенсионного возраста и рост страховых взносов работодателей.",
    "zh": "中央银行周二宣布将主要利率上调二十五个基点，理由是服务业通胀持续，而且大多数地区的劳动力市场依然紧张。",
}


@dataclass
class Batch:
    """What `make_batch` wrote: the inputs to ingest, how many pages they hold, and pages per kind."""

    folder: Path
    pages: int = 0
    kinds: Counter = field(default_factory=Counter)
    hostile: dict[str, str] = field(default_factory=dict)  # each hostile page's origin -> its kind


@dataclass
class _Source:
    """The sample corpus cut into titles and sentences, to build new articles from."""

    titles: list[str]
    sentences: list[str]
    outlets: list[str]

    @classmethod
    def load(cls, path: Path = SAMPLE) -> _Source:
        titles, sentences, outlets = [], [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec.get("title"):
                titles.append(rec["title"])
            outlets.append(rec["source"])
            for s in rec.get("content", "").replace("\n", ". ").split(". "):
                if len(s.split()) >= 6:
                    sentences.append(s.strip().rstrip(".") + ".")
        return cls(titles, sentences, sorted(set(outlets)))


class _Writer:
    """Writes pages into the batch folder and keeps the count."""

    def __init__(self, batch: Batch, rng: random.Random, src: _Source) -> None:
        self.batch = batch
        self.rng = rng
        self.src = src
        self.n = 0
        self.jsonl: list[tuple[bytes, str]] = []  # lines of the JSONL file being filled, with their kind
        self.written: list[Path] = []  # normal single-page files, for exact copies
        self.first_huge: Path | None = None
        self.variants: Counter = Counter()  # each hostile kind cycles through its variants

    def huge(self, name: str, html: str, size: int) -> None:
        """A page over the size limit; the second and later ones are hard links to the first (disk space)."""
        if self.first_huge is None:
            self.first_huge = self.file(name, _huge(html, size), "huge")
            return
        self.n += 1
        path = self.batch.folder / f"{self.n:06d}_{name}"
        os.link(self.first_huge, path)
        self._count(str(path), "huge")

    def _count(self, origin: str, kind: str) -> None:
        self.batch.pages += 1
        self.batch.kinds[kind] += 1
        if kind != "normal":
            self.batch.hostile[origin] = kind

    def file(self, name: str, data: bytes, kind: str) -> Path:
        self.n += 1
        path = self.batch.folder / f"{self.n:06d}_{name}"
        path.write_bytes(data)
        self._count(str(path), kind)
        return path

    def record(self, line: bytes, kind: str = "normal") -> None:
        self.jsonl.append((line, kind))
        if len(self.jsonl) >= JSONL_LINES:
            self.flush_jsonl()

    def flush_jsonl(self) -> None:
        if self.jsonl:
            self.n += 1
            path = self.batch.folder / f"{self.n:06d}_records.jsonl"
            path.write_bytes(b"\n".join(line for line, _ in self.jsonl) + b"\n")
            for k, (_, kind) in enumerate(self.jsonl, 1):
                self._count(f"{path}#L{k}", kind)
            self.jsonl = []

    # -- normal pages ----------------------------------------------------------------------------------

    def article(self, i: int) -> tuple[str, list[str], str, str]:
        """(title, paragraphs, outlet, ISO date) of a new article mixing sentences of several."""
        rng = self.rng
        sents = rng.sample(self.src.sentences, rng.randint(6, 12))
        paras = [" ".join(sents[k : k + 3]) for k in range(0, len(sents), 3)]
        day = 21 + i % 14
        stamp = f"2015-{7 if day <= 31 else 8:02d}-{day if day <= 31 else day - 31:02d} {i % 24:02d}:{i % 60:02d}:00"
        return rng.choice(self.src.titles), paras, rng.choice(self.src.outlets), stamp

    def normal(self, i: int) -> None:
        title, paras, outlet, stamp = self.article(i)
        if self.written and i % 25 == 0:  # an exact copy of an earlier page under another name
            old = self.rng.choice(self.written)
            self.file("copy_" + old.name.split("_", 1)[1], old.read_bytes(), "normal")
            return
        form = i % 20
        if form < 8:
            self.record(json.dumps({"id": f"h-{i}", "source": outlet, "date": stamp, "title": title,
                                    "content": "\n".join(paras)}, ensure_ascii=False).encode())
        elif form < 15:
            html = _html(title, paras, outlet, stamp)
            if form == 13:
                data = html.replace("utf-8", "windows-1256").encode("cp1256", errors="replace")
                self.written.append(self.file(f"page{i}.html", data, "normal"))
            elif form == 14:
                self.written.append(self.file(f"page{i}.html.gz", gzip.compress(html.encode()), "normal"))
            else:
                self.written.append(self.file(f"page{i}.html", html.encode(), "normal"))
        else:
            text = f"{outlet}\n{stamp[:10]}\n{title}\n\n" + "\n\n".join(paras) + "\n\nحقوق النشر محفوظة\n"
            self.written.append(self.file(f"dump{i}.txt", text.encode(), "normal"))

    # -- hostile pages ---------------------------------------------------------------------------------

    def hostile(self, kind: str, i: int, huge_bytes: int, bomb_bytes: int) -> None:
        rng = self.rng
        title, paras, outlet, stamp = self.article(i)
        html = _html(title, paras, outlet, stamp)
        variant = self.variants[kind] % 4
        self.variants[kind] += 1
        if kind == "binary":
            data = rng.randbytes(rng.randint(1, 20000))
            if variant == 1:
                data = b"\x89PNG\r\n\x1a\n" + data
            self.file(f"binary{i}.html", data, kind)
        elif kind == "empty":
            self.file(f"empty{i}." + ("txt" if variant % 2 else "html"), b"" if variant < 2 else b" \n\t\r\n", kind)
        elif kind == "huge":
            self.huge(f"huge{i}.html", html, huge_bytes)
        elif kind == "truncated_html":
            data = html.encode()
            self.file(f"truncated{i}.html", data[: rng.randint(1, len(data) - 1)], kind)
        elif kind == "wrong_encoding":
            if variant % 2:
                data = html.encode("cp1256", errors="replace")  # still declares utf-8
            else:
                data = html.replace("utf-8", "windows-1256").encode()
            self.file(f"wrongenc{i}.html", data, kind)
        elif kind == "mixed_encoding":
            half = len(html) // 2
            data = html[:half].encode() + html[half:].encode("cp1256", errors="replace")
            self.file(f"mixedenc{i}.html", data, kind)
        elif kind == "gzip_bomb":
            self.file(f"bomb{i}.html.gz", _bomb(bomb_bytes, b"<div>" if variant % 2 else b"\0"), kind)
        elif kind == "nested_html":
            depth = 20000 + 1000 * variant
            tag = ("div", "b", "table", "ul")[variant]
            body = f"<{tag}>" * depth + "<p>" + " ".join(paras) + "</p>" + f"</{tag}>" * depth
            self.file(f"nested{i}.html", f"<html><body><h1>{title}</h1>{body}</body></html>".encode(), kind)
        elif kind == "other_language":
            lang = sorted(OTHER_LANGUAGES)[variant]
            text = " ".join([OTHER_LANGUAGES[lang]] * 3) + f" ({i})"
            page = f"<html><head><meta charset='utf-8'><title>News {i}</title></head><body><article><h1>News {i}</h1>"
            self.file(f"lang_{lang}{i}.html", (page + f"<p>{text}</p><p>{text}</p></article></body></html>").encode(),
                      kind)
        elif kind == "bad_jsonl":
            self.record(_bad_jsonl(variant, i, rng), kind)
        else:
            raise ValueError(kind)


def _html(title: str, paras: list[str], outlet: str, stamp: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        "<!DOCTYPE html><html dir='rtl' lang='ar'><head><meta charset='utf-8'>"
        f"<title>{title} - {outlet}</title><meta property='og:site_name' content='{outlet}'>"
        f"<meta property='article:published_time' content='{stamp.replace(' ', 'T')}'></head><body>"
        "<nav><ul><li><a href='/'>الرئيسية</a></li><li><a href='/sport'>رياضة</a></li></ul></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>جميع الحقوق محفوظة</footer></body></html>"
    )


def _huge(html: str, size: int) -> bytes:
    unit = html.encode()
    return unit * (size // len(unit) + 1)


@functools.cache
def _bomb(size: int, unit: bytes) -> bytes:
    """gzip data that unpacks to `size` bytes of `unit`, compressed chunk by chunk (little memory)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    chunk = unit * (2**20 // len(unit))
    out = [z.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(out) + z.flush()


def _bad_jsonl(variant: int, i: int, rng: random.Random) -> bytes:
    if variant == 0:
        return f'{{"id": "bad-{i}", "title": "عنوان", "content": "نص غير مكتمل'.encode()  # not closed
    if variant == 1:
        return b"[" * 100_000 + b"]" * 100_000
    if variant == 2:
        return json.dumps({"id": f"bad-{i}", "content": 12345}).encode()
    return b'{"id": "bad-%d", "content": "' % i + b"\xff" + rng.randbytes(39).replace(b"\n", b" ") + b'"}'  # not UTF-8


def make_batch(
    folder: Path,
    pages: int = 10_000,
    hostile: float = 0.05,
    seed: int = 10,
    huge_bytes: int = 50 * 2**20,
    bomb_bytes: int = 2**30,
) -> Batch:
    """Write `pages` pages into `folder`, `hostile` of them hostile (kinds in turn), shuffled among the rest."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    batch = Batch(folder)
    w = _Writer(batch, rng, _Source.load())
    n_hostile = round(pages * hostile)
    plan = [HOSTILE_KINDS[k % len(HOSTILE_KINDS)] for k in range(n_hostile)] + [None] * (pages - n_hostile)
    rng.shuffle(plan)
    for i, kind in enumerate(plan):
        if kind is None:
            w.normal(i)
        else:
            w.hostile(kind, i, huge_bytes, bomb_bytes)
    w.flush_jsonl()
    return batch


def outcomes(db: Path, batch: Batch) -> dict[str, Counter]:
    """Per hostile kind, how many of its pages ended ingested, duplicate and rejected."""
    conn = sqlite3.connect(db)
    status = dict(conn.execute("SELECT origin, status FROM pages").fetchall())
    conn.close()
    out: dict[str, Counter] = {k: Counter() for k in HOSTILE_KINDS}
    for origin, kind in batch.hostile.items():
        out[kind][status.get(origin, "missing")] += 1
    return out


def _store_counts(db: Path) -> tuple[Counter, int, Counter]:
    """(pages per status, rejections without a reason, rejections per reason's first words)."""
    conn = sqlite3.connect(db)
    status = Counter(dict(conn.execute("SELECT status, COUNT(*) FROM pages GROUP BY status").fetchall()))
    no_reason = conn.execute("SELECT COUNT(*) FROM pages WHERE status='rejected' AND COALESCE(reason,'')=''"
                             ).fetchone()[0]
    reasons = Counter(r.split(":")[0].split("(")[0].strip()[:40]
                      for (r,) in conn.execute("SELECT reason FROM pages WHERE status='rejected'"))
    conn.close()
    return status, no_reason, reasons


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--hostile", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--keep", type=Path, help="write the batch and the store here (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        where = args.keep or Path(tmp)
        t = time.perf_counter()
        batch = make_batch(where / "pages", args.pages, args.hostile, args.seed)
        made = time.perf_counter() - t
        db = where / "hostile.db"
        t = time.perf_counter()
        p = subprocess.run([sys.executable, "-m", "marsad", "ingest", str(batch.folder), "--db", str(db), "-q"],
                           capture_output=True, text=True)
        took = time.perf_counter() - t
        if p.returncode != 0:
            raise SystemExit(f"ingest failed ({p.returncode}):\n{p.stderr[-3000:]}")
        status, no_reason, reasons = _store_counts(db)
        by_kind = outcomes(db, batch)
    total = sum(status.values())
    print(f"batch: {batch.pages} pages written in {made:.1f} s, {sum(v for k, v in batch.kinds.items() if k != 'normal')}"
          f" hostile ({args.hostile:.0%}); ingest {took:.1f} s ({batch.pages / took:.0f} pages/s)")
    print(f"{'hostile kind':16} {'pages':>6} {'ingested':>9} {'duplicate':>9} {'rejected':>9}")
    for k in HOSTILE_KINDS:
        c = by_kind[k]
        print(f"{k:16} {batch.kinds[k]:6d} {c['ingested']:9d} {c['duplicate']:9d} {c['rejected']:9d}")
    print(f"{'outcome':12} {'pages':>7}")
    for k in ("ingested", "duplicate", "rejected"):
        print(f"{k:12} {status[k]:7d}")
    print(f"{'sum':12} {total:7d}   pages tried {batch.pages}: {'adds up' if total == batch.pages else 'MISMATCH'}")
    print(f"rejections without a reason: {no_reason}")
    print("top rejection reasons: " + "; ".join(f"{r} {n}" for r, n in reasons.most_common(12)))
    print(p.stderr.strip().splitlines()[0] if p.stderr.strip() else "")
    if total != batch.pages or no_reason:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
