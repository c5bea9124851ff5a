"""One entity across spellings: merge mentions from a story's articles into canonical entities.

Steps, each cheap and explainable:
1. key: normalized tokens without proclitics and article (للكاظمي, الكاظمي, كاظمي -> كاظمي);
2. same consonant skeleton, token by token (بايدن/بادين -> بدن, ترامب/ترمب -> ترمب, الأمريكي/الأميركي),
   or one edit apart on long skeletons (ماكغورك/ماكجورك);
3. a small alias table of well-known aliases (marsad/enrich/aliases.tsv: داعش = تنظيم الدولة الإسلامية);
4. containment: a shorter name inside exactly one longer one of the story (الكاظمي ⊂ مصطفى الكاظمي). For
   places and organisations only when the extra words are generic (قوات الحشد الشعبي = الحشد الشعبي) so that
   كردستان العراق stays apart from العراق.
Canonical = the most frequent of the fullest forms, with attached و/ب/ل/ف/ك removed for display.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.arabic.normalize import normalize
from marsad.arabic.tokens import is_stopword, strip_proclitics

from .entities import Mention, load_tagger

__all__ = ["Entity", "merge_entities", "entity_key", "skeleton", "display_form"]

_VOWELS = str.maketrans({"ا": None, "و": None, "ي": None, "ء": None})
_PREPOSITIONS = "بلك"  # attached prepositions the Arabic layer leaves on (لطهران), stripped when attested
# Head words that do not change which place/organisation is meant (قوات الحشد الشعبي = الحشد الشعبي).
_GENERIC = frozenset(
    normalize(w)
    for w in (
        "قوات تنظيم جماعة حركة حزب ميليشيا ميليشيات مليشيا مليشيات فصائل منظمة هيئة مدينة العاصمة عاصمة "
        "دولة جمهورية مملكة إمارة محافظة ولاية إقليم منطقة ما يسمى"
    ).split()
)


@dataclass(frozen=True)
class Entity:
    canonical: str
    type: str
    variants: tuple[str, ...]  # verbatim surface forms, most frequent first
    count: int  # mentions
    articles: tuple[str, ...]  # article ids, sorted


def entity_key(text: str) -> tuple[str, ...]:
    """Matching key of a mention: normalized tokens, proclitics and article removed, stopwords at the edges
    dropped ("في العراق" never reaches here as a name, but a tagger may include a stray word)."""
    toks = [strip_proclitics(t)[1] for t in normalize(text).split()]
    toks = [t for t in toks if t and any(c.isalnum() for c in t)]
    while toks and is_stopword(toks[0]):
        toks.pop(0)
    while toks and is_stopword(toks[-1]):
        toks.pop()
    return tuple(toks)


def _with_preposition(text: str, key: tuple[str, ...]) -> tuple[str, ...] | None:
    """`key` with the bare ب/ل that was taken off its first token put back, or None if none was."""
    toks = normalize(text).split()
    if not toks:
        return None
    pro, rest = strip_proclitics(toks[0])
    if not pro or pro[-1] not in "بل" or pro.endswith(("ال", "لل")) or rest != key[0]:
        return None
    return (pro[-1] + rest, *key[1:])


def skeleton(token: str) -> str:
    """Consonant skeleton of a normalized token: long vowels and hamza seats dropped (بايدن, بادين -> بدن)."""
    return token.translate(_VOWELS)


def _edit1(a: str, b: str) -> bool:
    """True when a and b are at most one substitution/insertion/deletion apart."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _same_token(a: str, b: str) -> bool:
    if a == b:
        return True
    sa, sb = skeleton(a), skeleton(b)
    if len(sa) >= 3 and sa == sb:
        return True
    return min(len(sa), len(sb)) >= 5 and _edit1(sa, sb)


def _same_key(a: Sequence[str], b: Sequence[str]) -> bool:
    return len(a) == len(b) and all(_same_token(x, y) for x, y in zip(a, b, strict=True))


def _contains(long: Sequence[str], short: Sequence[str]) -> int:
    """Index where `short` occurs inside `long` (token-wise, spelling-tolerant), or -1."""
    for i in range(len(long) - len(short) + 1):
        if _same_key(long[i : i + len(short)], short):
            return i
    return -1


@lru_cache(maxsize=1)
def _aliases() -> dict[tuple[str, ...], int]:
    """alias key -> group number, from aliases.tsv (one group a line, forms separated by " | ")."""
    text = resources.files(__package__).joinpath("aliases.tsv").read_text(encoding="utf-8")
    table: dict[tuple[str, ...], int] = {}
    for n, line in enumerate(text.splitlines()):
        if line.strip() and not line.startswith("#"):
            for form in line.split("\t")[-1].split("|"):
                table[entity_key(form)] = n
    return table


def _alias_group(key: tuple[str, ...]) -> int | None:
    table = _aliases()
    if key in table:
        return table[key]
    for k, g in table.items():
        if _same_key(k, key):
            return g
    return None


def display_form(text: str, attested: frozenset[str] = frozenset()) -> str:
    """`text` without an attached conjunction/preposition on its first word: للكاظمي -> الكاظمي (the
    article stays), وبغداد -> بغداد when "بغداد" is `attested` (a normalized first word seen elsewhere) or a
    place the tagger's gazetteers hold (لطهران -> طهران). Otherwise the word is kept whole: فؤاد
    is a name, not ف + ؤاد."""
    first, sep, rest = text.strip().partition(" ")
    pro, stem = strip_proclitics(normalize(first))
    if not pro:
        # bare ب/ل/ك are kept by the Arabic layer (بغداد, لبنان); drop one only where the rest is attested
        rest_key = normalize(first[1:])
        if len(first) > 3 and first[0] in _PREPOSITIONS and (
            rest_key in attested or _known_place(rest_key, normalize(first))
        ):
            return first[1:] + sep + rest
        return text.strip()
    if pro.endswith("لل"):  # ل + (ا)ل: the article must stay visible
        keep = "ا"
        cut = len(pro) - 1
    elif pro.endswith("ال"):
        keep, cut = "", len(pro) - 2
    elif stem in attested or _known_place(stem, normalize(first)):
        keep, cut = "", len(pro)
    else:
        return text.strip()
    if cut <= 0 or normalize(first[:cut]) != pro[:cut]:
        return text.strip()
    return keep + first[cut:] + sep + rest


@lru_cache(maxsize=1)
def _one_word_places() -> frozenset[str]:
    """Single-word places the NER model knows (its training-data and hand-made gazetteers), as match keys.
    Places only: a preposition is often attached to a place (لطهران), and a given name's tail is often another
    given name (كريم, ريم)."""
    t = load_tagger()
    return frozenset(k[0] for gaz in (t.gazetteer, t.known) for k, typ in gaz.items() if len(k) == 1 and typ == "LOC")


def _known_place(rest: str, whole: str) -> bool:
    """True when `rest` (the word `whole` with a preposition taken off) is a place the tagger's gazetteers hold
    and `whole` is not: لطهران is ل + طهران, while كمال is not ك + مال, nor بكين ب + كين."""
    places = _one_word_places()
    return rest in places and whole not in places


class UnionFind:
    """Disjoint sets over 0..n-1 (merge graph of keys or facts)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def merge_entities(mentions_by_article: Mapping[str, Iterable[Mention]]) -> list[Entity]:
    """Mentions of a story (article id -> mentions) merged into entities, most mentioned first."""
    # Group mentions by exact key first; each key is a node of the merge graph.
    keys: list[tuple[str, ...]] = []
    index: dict[tuple[str, ...], int] = {}
    forms: list[Counter[str]] = []
    types: list[Counter[str]] = []
    articles: list[set[str]] = []
    whole_keys: dict[int, tuple[str, ...]] = {}
    for art, mentions in mentions_by_article.items():
        for m in mentions:
            key = entity_key(m.text)
            if not key:
                continue
            if key not in index:
                index[key] = len(keys)
                keys.append(key)
                forms.append(Counter())
                types.append(Counter())
                articles.append(set())
            i = index[key]
            if i not in whole_keys and (whole := _with_preposition(m.text, key)) is not None:
                whole_keys[i] = whole
            forms[i][m.text.strip()] += 1
            types[i][m.type] += 1
            articles[i].add(art)
    n = len(keys)
    typ = [t.most_common(1)[0][0] for t in types]
    uf = UnionFind(n)

    # A bare attached preposition (لطهران, بواشنطن): the same name when the rest is a key of the story.
    for i, key in enumerate(keys):
        if len(key[0]) >= 4 and key[0][0] in _PREPOSITIONS:
            j = index.get((key[0][1:], *key[1:]))
            if j is not None:
                uf.union(i, j)
    # ... and the other way: a first letter the Arabic layer took for a preposition may be the name's own
    # (بادين, a misspelt بايدن, read as ب + ادين): such keys are compared with the letter put back too.
    for i, whole in whole_keys.items():
        for j in range(n):
            if j != i and _same_key(whole, keys[j]):
                uf.union(i, j)

    # Spelling variants and aliases.
    groups: dict[int, int] = {}
    for i in range(n):
        g = _alias_group(keys[i])
        if g is not None:
            if g in groups:
                uf.union(groups[g], i)
            else:
                groups[g] = i
        for j in range(i):
            if _same_key(keys[i], keys[j]):
                uf.union(i, j)

    # Containment: a short name inside exactly one longer name of the same type joins it. Longer keys go
    # first, so that the hosts of a short name are already one entity where they are ("مصطفى الكاظمي").
    for i in sorted(range(n), key=lambda k: -len(keys[k])):
        hosts = set()
        for j in range(n):
            if len(keys[j]) <= len(keys[i]) or typ[j] != typ[i]:
                continue
            at = _contains(keys[j], keys[i])
            if at < 0:
                continue
            extra = keys[j][:at] + keys[j][at + len(keys[i]) :]
            if typ[i] != "PER" and not all(t in _GENERIC or _nisba(t) for t in extra):
                continue
            hosts.add(uf.find(j))
        if len(hosts) == 1:
            uf.union(i, hosts.pop())

    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        clusters[uf.find(i)].append(i)
    out = []
    for members in clusters.values():
        f: Counter[str] = Counter()
        t: Counter[str] = Counter()
        arts: set[str] = set()
        for i in members:
            f.update(forms[i])
            t.update(types[i])
            arts |= articles[i]
        out.append(
            Entity(
                canonical=_canonical(f),
                type=t.most_common(1)[0][0],
                variants=tuple(v for v, _ in f.most_common()),
                count=sum(f.values()),
                articles=tuple(sorted(arts)),
            )
        )
    out.sort(key=lambda e: (-e.count, e.canonical))
    return out


def _nisba(token: str) -> bool:
    """A relative adjective (امريكيه, عراقي): describes, does not rename."""
    return len(token) >= 4 and (token.endswith("ي") or token.endswith("يه"))


def _canonical(forms: Counter[str]) -> str:
    """The most frequent full form (a name of two words or more where there is one), without attached
    clitics. Frequency before length: a tagger's over-long span ("مصطفى الكاظمي سيستقبل") is rare."""
    attested = frozenset(normalize(f.split()[0]) for f in forms)
    display: Counter[str] = Counter()
    for form, c in forms.items():
        display[display_form(form, attested)] += c
    full = [(c, f) for f, c in display.items() if len(entity_key(f)) >= 2] or list(
        (c, f) for f, c in display.items()
    )
    return max(full, key=lambda cf: (cf[0], len(entity_key(cf[1])), -len(cf[1]), cf[1]))[1]
