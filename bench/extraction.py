"""Article extraction: marsad beside trafilatura on the same pages, in one run.

    .venv/bin/python bench/extraction.py [-v] [--repeat N]

Datasets (from the shared folder beside the project):
- seeds: the five real plain-text dumps in ../shared/seeds (gold.json);
- dumps / html: four real Arabic news pages as plain-text dumps and as HTML (../shared/data/extraction);
- synthetic: 100 plain-text dumps of SaudiNewsNet articles in varied page chrome (10 in Windows-1256,
  12 with CRLF line ends), read as bytes and decoded like any input.

Metrics are those of ../shared/check/scoring.py (imported, not copied): body F1 = bag-of-words F1 of
`\\w+` tokens against the gold paragraphs; title = equal normalized tokens; date = `published` exact
(the right answer is null where the gold says the page shows no date; `published_also` values count);
outlet is exact string equality. Speed is pages per second of the whole extraction (decoding, body,
title, outlet, date, language for marsad; `bare_extraction` with metadata for trafilatura), best of
`--repeat` passes; the tools' passes alternate so that a busy machine slows them alike. The time
marsad spends in byte decoding (marsad.sources.encoding.decode) is timed alone too and shown apart.

trafilatura reads HTML; a plain-text dump is given to it as one <p> per line (as is, it returns nothing).
Its date is taken as it ships (htmldate's extensive search on), and, in a second row, with
`favor_precision` and `extensive_search=False`, the settings that suit news pages best.
"""

from __future__ import annotations

import argparse
import html
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(SHARED / "check"))

from scoring import bow_f1, norm_tokens  # noqa: E402  (the one implementation of the metrics)

from marsad.extract import extract  # noqa: E402
from marsad.model import Article, Page  # noqa: E402


@dataclass
class Item:
    path: Path
    kind: str  # "html" | "text"
    gold: dict


@dataclass
class Result:
    body: str
    title: str | None
    published: str | None
    outlet: str | None


def datasets() -> dict[str, list[Item]]:
    seeds = SHARED / "seeds"
    ext = SHARED / "data" / "extraction"
    out: dict[str, list[Item]] = {}
    out["seeds"] = [Item(seeds / g["file"], "text", g) for g in json.loads((seeds / "gold.json").read_text())]
    out["dumps"] = [
        Item(ext / g["file"], "text", g) for g in json.loads((ext / "gold_dumps.json").read_text())
    ]
    out["html"] = [Item(ext / g["file"], "html", g) for g in json.loads((ext / "gold_html.json").read_text())]
    out["synthetic"] = [
        Item(ext / g["file"], "text", g) for g in json.loads((ext / "gold_synthetic.json").read_text())
    ]
    return out


def run_marsad(item: Item, data: bytes) -> Result:
    page = Page(origin=str(item.path), kind=item.kind, data=data, url=item.gold.get("url"))
    a = extract(page)
    if not isinstance(a, Article):
        return Result("", None, None, None)
    return Result("\n".join(a.body), a.title, a.published.isoformat() if a.published else None, a.outlet)


def _as_html(item: Item, data: bytes) -> bytes | str:
    if item.kind == "html":
        return data
    from marsad.sources.encoding import decode

    lines = decode(data).replace("\r\n", "\n").split("\n")
    return "<html><body>" + "".join(f"<p>{html.escape(x)}</p>" for x in lines if x.strip()) + "</body></html>"


def trafilatura_runner(precise: bool) -> Callable[[Item, bytes], Result]:
    import trafilatura

    def run(item: Item, data: bytes) -> Result:
        kwargs: dict = {"with_metadata": True, "url": item.gold.get("url")}
        if precise:
            kwargs.update(favor_precision=True, date_extraction_params={"extensive_search": False})
        doc = trafilatura.bare_extraction(_as_html(item, data), **kwargs)
        if doc is None:
            return Result("", None, None, None)
        return Result(doc.text or "", doc.title, doc.date, doc.sitename)

    return run


def gold_date(g: dict) -> set[str | None]:
    if g.get("published_shown") is False or not g.get("published"):
        return {None}
    return {g["published"], *g.get("published_also", [])}


@dataclass
class Score:
    f1: list[float]
    title: int
    date: int
    outlet: int
    rows: list[tuple]


def score(items: list[Item], results: list[Result]) -> Score:
    f1s, title, date, outlet, rows = [], 0, 0, 0, []
    for it, r in zip(items, results, strict=True):
        g = it.gold
        f = bow_f1(r.body, "\n".join(g["body"]))[2]
        t_ok = norm_tokens(r.title or "") == norm_tokens(g["title"])
        d_ok = r.published in gold_date(g)
        o_ok = r.outlet == g.get("outlet")
        f1s.append(f)
        title += t_ok
        date += d_ok
        outlet += o_ok
        rows.append((it.path.name, f, t_ok, r.published, d_ok, r.outlet, o_ok))
    return Score(f1s, title, date, outlet, rows)


def _decode_only(item: Item, data: bytes) -> None:
    from marsad.sources.encoding import decode

    decode(data)


def timed_runs(
    items: list[Item], runners: dict[str, Callable[[Item, bytes], object]], repeat: int
) -> tuple[dict[str, list], dict[str, float]]:
    """Each runner's results and best seconds per pass. Passes alternate between runners, so a busy
    machine slows them alike and the ratios hold."""
    raw = [it.path.read_bytes() for it in items]
    results: dict[str, list] = {}
    best = dict.fromkeys(runners, float("inf"))
    for run in runners.values():
        run(items[0], raw[0])  # warm-up: imports, lazily built tables, the language model
    for _ in range(repeat):
        for name, run in runners.items():
            t0 = time.perf_counter()
            results[name] = [run(it, data) for it, data in zip(items, raw, strict=True)]
            best[name] = min(best[name], time.perf_counter() - t0)
    return results, best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="also print marsad's per-page scores")
    ap.add_argument("--repeat", type=int, default=5, help="timed passes per dataset and tool (best is kept)")
    args = ap.parse_args()

    tools: list[tuple[str, Callable[[Item, bytes], Result]]] = [
        ("marsad", run_marsad),
        ("trafilatura", trafilatura_runner(precise=False)),
        ("trafilatura precise", trafilatura_runner(precise=True)),
    ]
    header = f"{'dataset':10s} {'tool':20s} {'pages':>5s} {'body F1':>8s} {'min F1':>7s} {'title':>7s} "
    header += f"{'date':>7s} {'outlet':>7s} {'pages/s':>9s}"
    print(header)
    print("-" * len(header))
    speeds: dict[tuple[str, str], float] = {}
    decode_ms: dict[str, float] = {}
    details = []
    for name, items in datasets().items():
        runners: dict[str, Callable[[Item, bytes], object]] = dict(tools)
        runners["decode only"] = _decode_only
        results, best = timed_runs(items, runners, args.repeat)
        n = len(items)
        decode_ms[name] = 1000 * best["decode only"] / n
        for tool, _ in tools:
            s = score(items, results[tool])
            speeds[(name, tool)] = n / best[tool]
            print(
                f"{name:10s} {tool:20s} {n:5d} {statistics.mean(s.f1):8.4f} {min(s.f1):7.3f} "
                f"{s.title / n:7.1%} {s.date / n:7.1%} {s.outlet / n:7.1%} {speeds[(name, tool)]:9.1f}"
            )
            if tool == "marsad":
                details.append((name, s.rows))
    print("-" * len(header))
    for name in ("html", "synthetic"):
        ratio = speeds[(name, "marsad")] / speeds[(name, "trafilatura")]
        ratio_p = speeds[(name, "marsad")] / speeds[(name, "trafilatura precise")]
        print(f"speed on {name}: marsad is {ratio:.1f}x trafilatura, {ratio_p:.1f}x trafilatura precise")
        total_ms = 1000 / speeds[(name, "marsad")]
        rest = max(total_ms - decode_ms[name], 1e-6)
        print(
            f"  marsad {total_ms:.2f} ms/page, of which {decode_ms[name]:.2f} ms in marsad.sources.encoding.decode; "
            f"without decoding {1000 / rest / speeds[(name, 'trafilatura')]:.1f}x trafilatura"
        )
    if args.verbose:
        for name, rows in details:
            print(
                f"\n{name} (marsad, per page): file, body F1, title ok, published, date ok, outlet, outlet ok"
            )
            for r in rows:
                print(f"  {r[0]:28s} {r[1]:.3f} {str(r[2]):5s} {str(r[3]):10s} {str(r[4]):5s} {r[5]} {r[6]}")


if __name__ == "__main__":
    main()
