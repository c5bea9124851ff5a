"""StoryView: everything a reader sees for one story, assembled from its members.

Headline, attributed summary, merged entities, facts with sources, disagreements, shared wire passages
and a timeline. `story_json` is the `marsad story --format json` contract; `story_markdown` is for people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from marsad.model import Article
from marsad.synthesize.headline import choose_headline
from marsad.synthesize.summary import SummarySentence, summarize
from marsad.synthesize.timeline import TimelineEntry, timeline

if TYPE_CHECKING:
    from marsad.enrich.entities import Mention

MAX_ENTITIES, MAX_FACTS = 25, 20


@dataclass(frozen=True)
class StoryView:
    id: str
    headline: str | None
    summary: tuple[SummarySentence, ...]
    entities: tuple[dict, ...]
    facts: tuple[dict, ...]
    disagreements: tuple[dict, ...]
    wire_passages: tuple[dict, ...]
    timeline: tuple[TimelineEntry, ...]
    articles: tuple[Article, ...]


def entity_text(a: Article) -> str:
    """The text an article's entity mentions are found in (their offsets point into it)."""
    return "\n".join(x for x in (a.title, *a.body) if x)


def article_mentions(a: Article) -> list[Mention]:
    from marsad.enrich.entities import find_entities

    return find_entities(entity_text(a))


def _entities(members: Sequence[Article], known: MutableMapping[str, list[Mention]]) -> list[dict]:
    from marsad.enrich.canon import merge_entities

    for a in members:  # NER is most of a view's cost: each article is tagged once, then kept in `known`
        if a.id not in known:
            known[a.id] = article_mentions(a)
    ents = sorted(merge_entities({a.id: known[a.id] for a in members}),
                  key=lambda e: (-len(e.articles), -e.count, e.canonical))
    return [{"canonical": e.canonical, "type": e.type, "variants": list(e.variants), "count": e.count,
             "articles": list(e.articles)} for e in ents[:MAX_ENTITIES]]


def _facts(members: Sequence[Article]) -> tuple[list[dict], list[dict]]:
    from marsad.enrich.facts import disagreements, extract_facts, group_facts

    facts = [f for a in members for f in extract_facts(a.id, a.text)]
    groups = group_facts(facts)
    out = []
    for g in sorted(groups, key=lambda g: -len(g.articles)):
        by_value: dict[tuple[float, str], list] = defaultdict(list)
        for f in g.facts:
            by_value[(f.value, f.qualifier)].append(f)
        for (value, qualifier), fs in by_value.items():
            out.append({"value": int(value) if float(value).is_integer() else value, "unit": fs[0].noun,
                        "qualifier": qualifier, "text": fs[0].sentence,
                        "articles": sorted({f.article_id for f in fs})})
    out.sort(key=lambda f: -len(f["articles"]))
    dis = [{"what": d.what, "values": d.values} for d in disagreements(groups)]
    return out[:MAX_FACTS], dis


def _wire_passages(conn, ids: Sequence[str]) -> list[dict]:
    from marsad.dedup.passages import shared_passages

    found = shared_passages(conn, ids) if conn is not None else []
    return [{"text": p.text, "articles": list(p.articles), "first": p.first} for p in found]


def build_view(story_id: str, articles: Sequence[Article], duplicate_of: dict[str, str | None],
               conn=None, mentions: MutableMapping[str, list[Mention]] | None = None) -> StoryView:
    """The view of one story from its member articles (duplicates included, marked in `duplicate_of`).

    `conn`: the store, for shared wire passages (none without it). `mentions`: article id -> its entity
    mentions (`article_mentions`) already known; the ones computed here are added to it."""
    distinct = [a for a in articles if not duplicate_of.get(a.id)]
    summary = summarize(distinct or articles, articles)
    facts, dis = _facts(distinct or articles)
    ordered = timeline(articles, duplicate_of)
    by_id = {a.id: a for a in articles}
    return StoryView(
        id=story_id,
        headline=choose_headline([a.title for a in articles]),
        summary=tuple(summary),
        entities=tuple(_entities(distinct or articles, {} if mentions is None else mentions)),
        facts=tuple(facts),
        disagreements=tuple(dis),
        wire_passages=tuple(_wire_passages(conn, [a.id for a in articles])),
        timeline=tuple(ordered),
        articles=tuple(by_id[t.article] for t in ordered),
    )


def story_json(v: StoryView) -> dict:
    return {
        "id": v.id,
        "headline": v.headline,
        "summary": [{"text": s.text, "sources": list(s.sources)} for s in v.summary],
        "entities": list(v.entities),
        "facts": list(v.facts),
        "disagreements": list(v.disagreements),
        "wire_passages": list(v.wire_passages),
        "timeline": [{"published": t.published, "article": t.article, "outlet": t.outlet, "title": t.title,
                      "duplicate_of": t.duplicate_of} for t in v.timeline],
        "first_report": v.timeline[0].published if v.timeline else None,
        "last_report": v.timeline[-1].published if v.timeline else None,
        "articles": [{"id": a.id, "outlet": a.outlet or a.source, "title": a.title,
                      "published": a.published.isoformat() if a.published else None} for a in v.articles],
    }


def story_markdown(v: StoryView) -> str:
    out = [f"# {v.headline or v.id}", ""]
    out += ["## الملخص", ""]
    out += [f"- {s.text} [{', '.join(s.sources)}]" for s in v.summary] or ["- —"]
    if v.entities:
        out += ["", "## الكيانات", ""]
        out += [f"- {e['canonical']} ({e['type']}, {e['count']}): {' / '.join(e['variants'])}" for e in v.entities]
    if v.facts:
        out += ["", "## الأرقام", ""]
        out += [f"- {f['value']} {f['unit']} ({f['qualifier']}) [{', '.join(f['articles'])}]" for f in v.facts]
    if v.disagreements:
        out += ["", "## اختلاف المصادر", ""]
        for d in v.disagreements:
            vals = "; ".join(f"{k}: {', '.join(ids)}" for k, ids in d["values"].items())
            out.append(f"- {d['what']}: {vals}")
    if v.wire_passages:
        out += ["", "## فقرات مشتركة", ""]
        out += [f"- «{p['text'][:200]}» — {', '.join(p['articles'])} (الأول: {p['first']})" for p in v.wire_passages]
    out += ["", "## التسلسل الزمني", ""]
    out += [f"- {t.published or '—'} · {t.outlet or '—'} · {t.title or ''} ({t.article})" for t in v.timeline]
    return "\n".join(out) + "\n"
