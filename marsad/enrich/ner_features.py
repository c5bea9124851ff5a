"""Token features for the NER tagger (one list of string features per token), shared by training and tagging.

Arabic names carry clitics (وبغداد, للكاظمي) and an article (العراق), so each token is seen as its
normalized form, its stem without clitics, and its affixes; context is the neighbours' forms and stems.
Gazetteer features say that a span of tokens was seen as an entity of some type (in training data, or in a
small hand-made list); their keys are match keys (normalized, proclitics and article removed).
A general-Arabic frequency class per key (`general`: how common the word is in wordfreq's Arabic lists and how
often it takes the article) tells a rare foreign name (never with ال) from a common noun the training text
happens not to have.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from marsad.arabic.normalize import normalize
from marsad.arabic.tokens import is_stopword, split_clitics, strip_proclitics

__all__ = ["token_key", "sentence_features", "gazetteer_marks", "MAX_GAZ_LEN"]

MAX_GAZ_LEN = 6  # longest gazetteer entry (in tokens) that is matched

Gazetteer = Mapping[tuple[str, ...], str]  # match-key sequence -> type


@lru_cache(maxsize=200_000)
def token_key(token: str) -> str:
    """The gazetteer key of one token: normalized, without proclitics/article (وبغداد, البغداد -> بغداد)."""
    return strip_proclitics(normalize(token))[1]


def _shape(tok: str) -> str:
    if tok.isdigit():
        return "D"
    if all(not c.isalnum() for c in tok):
        return "P"
    if tok.isascii():
        return "A" if tok[:1].isupper() else "a"
    if any(c.isdigit() for c in tok):
        return "M"
    return "W"


@lru_cache(maxsize=200_000)
def _local(token: str) -> tuple[str, ...]:
    """Features of the token alone (cached: news text repeats its words)."""
    n = normalize(token) or token
    pro, stem, enc = split_clitics(n)
    shape = _shape(token)
    f = [
        "w=" + n,
        "s=" + stem,
        "sh=" + shape,
        "p1=" + n[:1],
        "p2=" + n[:2],
        "p3=" + n[:3],
        "x1=" + n[-1:],
        "x2=" + n[-2:],
        "x3=" + n[-3:],
        "sp2=" + stem[:2],
        "sx2=" + stem[-2:],
        "sx3=" + stem[-3:],
        "len=" + str(min(len(stem), 8)),
    ]
    if len(n) >= 6:  # longer affixes only where the word is long enough for them to be informative
        f.append("p4=" + n[:4])
        f.append("x4=" + n[-4:])
    if pro:
        f.append("pro=" + pro)
    if enc:
        f.append("enc=" + enc)
    if is_stopword(n) or is_stopword(stem):
        f.append("stop")
    if n.endswith("ي") or n.endswith("يه"):  # nisba adjectives (الأمريكي, العراقية): rarely names
        f.append("nisba")
    if len(stem) >= 5:  # transliterated foreign names are long and rich in long vowels (رامسفيلد, ليبرمان)
        vowels = sum(c in "اوي" for c in stem[1:])
        f.append(f"vow={min(vowels, 3)}")
    return tuple(f)


def gazetteer_marks(keys: Sequence[str], gaz: Gazetteer, prefix: str) -> list[list[str]]:
    """Per token, `prefix+B=TYPE` / `prefix+I=TYPE` where a gazetteer entry covers it (longest match first,
    left to right, no overlaps), plus `prefix+L=n` for the length of the match."""
    out: list[list[str]] = [[] for _ in keys]
    i, n = 0, len(keys)
    while i < n:
        for length in range(min(MAX_GAZ_LEN, n - i), 0, -1):
            typ = gaz.get(tuple(keys[i : i + length]))
            if typ:
                out[i].append(f"{prefix}B={typ}")
                for j in range(i + 1, i + length):
                    out[j].append(f"{prefix}I={typ}")
                for j in range(i, i + length):
                    out[j].append(f"{prefix}L={min(length, 3)}")
                i += length
                break
        else:
            i += 1
    return out


def _freq_bucket(count: int) -> str:
    return "0" if count == 0 else "1" if count <= 2 else "2" if count <= 10 else "3"


def sentence_features(
    tokens: Sequence[str],
    gaz: Gazetteer,
    known: Gazetteer,
    vocab: Mapping[str, int],
    parts: Mapping[str, str],
    general: Mapping[str, str] | None = None,
) -> list[list[str]]:
    """One feature list per token: its own features, its neighbours' (±2), gazetteer marks, and how often
    the training text had the word (a word it never saw after "قال" is likely a name), whether it was
    seen as part of a longer name, and its general-Arabic frequency class (`general`, when given). The ±1
    neighbours also give their proclitics (و/ب/ل/ال), training-text frequency and name-part type."""
    local = [_local(t) for t in tokens]
    words = [f[0][2:] for f in local]
    stems = [f[1][2:] for f in local]
    shapes = [f[2][3:] for f in local]
    pros = [next((x[4:] for x in f if x[:4] == "pro="), "") for f in local]
    keys = [token_key(t) for t in tokens]
    freqs = [_freq_bucket(vocab.get(k, 0)) for k in keys]
    names = [parts.get(k) for k in keys]
    gmarks = gazetteer_marks(keys, gaz, "g")
    kmarks = gazetteer_marks(keys, known, "k")
    n = len(tokens)
    feats: list[list[str]] = []
    for i in range(n):
        f = ["bias", *local[i], *gmarks[i], *kmarks[i], "fq=" + freqs[i]]
        if names[i]:  # a word seen inside a longer name (رامسفيلد of دونالد رامسفيلد), alone here
            f.append("gp=" + names[i])
        if general is not None:
            f.append("wf=" + general.get(keys[i], "x"))
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"w{d}={words[j]}")
                if abs(d) == 1:
                    f.append(f"s{d}={stems[j]}")
                    f.append(f"sh{d}={shapes[j]}")
                    f.append(f"fq{d}={freqs[j]}")
                    if pros[j]:
                        f.append(f"pro{d}={pros[j]}")
                    if names[j]:
                        f.append(f"gp{d}={names[j]}")
                    f.extend(f"{d}{m}" for m in gmarks[j] if m[1] == "B" or m[1] == "I")
                    f.extend(f"{d}{m}" for m in kmarks[j] if m[1] == "B" or m[1] == "I")
            else:
                f.append(f"w{d}=<{'s' if d < 0 else 'e'}>")
        if i > 0:
            f.append(f"w-1|w={words[i - 1]}|{words[i]}")
        if i + 1 < n:
            f.append(f"w|w+1={words[i]}|{words[i + 1]}")
        feats.append(f)
    return feats
