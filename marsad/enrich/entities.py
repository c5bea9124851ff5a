"""Named entities in Arabic text: a CRF tagger (PER, LOC, ORG, MISC) shipped as JSON in marsad/models/ner.

    tag_tokens(["التقى", "الرئيس", "جو", "بايدن"])  -> ["O", "O", "B-PER", "I-PER"]
    find_entities(text)                            -> [Mention(start, end, text, type), ...] on raw text
    tag_conll(lines)                               -> "token<TAB>TAG" lines (the `marsad ner --conll` contract)

The model is loaded once, lazily (`load_tagger`, cached). Merging mentions into entities is in canon.py.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.arabic.sentences import sentence_spans
from marsad.arabic.tokens import is_stopword, tokenize

from .conll import spans
from .crf import LinearChainCRF
from .ner_features import MAX_GAZ_LEN, Gazetteer, sentence_features, token_key

__all__ = [
    "Mention",
    "NerTagger",
    "load_tagger",
    "tag_tokens",
    "tag_document",
    "find_entities",
    "tag_conll",
    "raw_tokens",
    "read_known",
    "read_general",
]

log = logging.getLogger(__name__)

_MAX_SENTENCE = 200  # tokens; longer runs are cut so that decoding stays linear and memory small
DOCUMENT_WINDOW = 20  # CoNLL sentences tagged together as one document (measured: 20 beats 50 and 1)


@dataclass(frozen=True)
class Mention:
    """An entity mention: `text == source[start:end]`, verbatim (clitics included: "للكاظمي")."""

    start: int
    end: int
    text: str
    type: str  # PER | LOC | ORG | MISC


@dataclass(frozen=True)
class NerTagger:
    crf: LinearChainCRF
    gazetteer: Gazetteer  # entity spans seen in the training data
    known: Gazetteer  # the hand-made list (marsad/models/ner/gazetteer_hand.tsv)
    vocab: Mapping[str, int]  # token key -> count in the training text
    parts: Mapping[str, str]  # words seen inside longer names in the training data -> type
    general: Mapping[str, str] | None = None  # token key -> general-Arabic frequency class (general_freq.tsv)

    def tag(self, tokens: Sequence[str]) -> list[str]:
        feats = sentence_features(tokens, self.gazetteer, self.known, self.vocab, self.parts, self.general)
        return self.crf.tag(feats)


def _model_file(name: str):
    return resources.files("marsad").joinpath("models", "ner", name)


def read_known(text: str) -> dict[tuple[str, ...], str]:
    """The hand-made gazetteer: "name<TAB>TYPE" lines -> {match-key tuple: type}."""
    known: dict[tuple[str, ...], str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, typ = line.split("\t")
            known[tuple(token_key(t) for t in name.split())] = typ
    return known


def read_general(text: str) -> dict[str, str]:
    """The general-Arabic frequency classes: "key<TAB>class" lines -> {key: class}."""
    return dict(line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def load_tagger() -> NerTagger:
    """The shipped tagger (read once per process)."""
    data = json.loads(_model_file("crf.json").read_text(encoding="utf-8"))
    gaz = {tuple(k.split(" ")): v for k, v in data.pop("gazetteer").items()}
    known = read_known(_model_file("gazetteer_hand.tsv").read_text(encoding="utf-8"))
    vocab = data.pop("vocab")
    parts = data.pop("name_parts")
    general = None
    if data.get("meta", {}).get("general_freq"):  # models trained with the frequency classes need them
        general = read_general(_model_file("general_freq.tsv").read_text(encoding="utf-8"))
    log.debug("NER model: %d attributes, %d gazetteer entries", len(data["weights"]), len(gaz))
    return NerTagger(LinearChainCRF.from_json(data), gaz, known, vocab, parts, general)


def tag_tokens(tokens: list[str]) -> list[str]:
    """BIO tags (B-PER, I-LOC, ...) for one sentence of tokens (clitics attached, punctuation as tokens)."""
    return _tag_long(load_tagger(), tokens) if tokens else []


def tag_document(sentences: Sequence[Sequence[str]], tagger: NerTagger | None = None) -> list[list[str]]:
    """BIO tags for the sentences of one document. After tagging each sentence, a word the document has
    already shown inside a person's name is tagged PER where the CRF left it out (a surname alone, later in
    the article: "رامسفيلد" after "دونالد رامسفيلد")."""
    tagger = tagger or load_tagger()
    tags = [_known_spans(tagger, s, _tag_long(tagger, list(s))) for s in sentences]
    person: set[str] = set()
    for toks, tg in zip(sentences, tags, strict=True):
        for a, b, typ in spans(tg):
            if typ == "PER":
                person.update(token_key(toks[i]) for i in range(a, b))
    person = {k for k in person if len(k) >= 3 and not is_stopword(k)}
    if not person:
        return tags
    for toks, tg in zip(sentences, tags, strict=True):
        for i, tok in enumerate(toks):
            if tg[i] == "O" and token_key(tok) in person:
                tg[i] = "I-PER" if i and tg[i - 1][2:] == "PER" else "B-PER"
    return tags


def _known_spans(tagger: NerTagger, tokens: Sequence[str], tags: list[str]) -> list[str]:
    """A name of two words or more from the hand-made list, left untagged by the CRF, gets the list's type
    (the CRF learnt from 2002-2006 news and cannot know later organisations)."""
    i, n = 0, len(tokens)
    keys = [token_key(t) for t in tokens]
    while i < n:
        for length in range(min(MAX_GAZ_LEN, n - i), 1, -1):
            typ = tagger.known.get(tuple(keys[i : i + length]))
            if typ and all(t == "O" for t in tags[i : i + length]):
                tags[i : i + length] = [f"B-{typ}"] + [f"I-{typ}"] * (length - 1)
                i += length - 1
                break
        i += 1
    return tags


def _tag_long(tagger: NerTagger, tokens: list[str]) -> list[str]:
    out: list[str] = []
    for i in range(0, len(tokens), _MAX_SENTENCE):
        out.extend(tagger.tag(tokens[i : i + _MAX_SENTENCE]))
    return out


def raw_tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token in `text`: the Arabic layer's word tokens, and each punctuation character
    between them as a token of its own (as in the NER training data)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for tok in tokenize(text):
        start = text.find(tok, pos)
        for k in range(pos, start):
            if not text[k].isspace():
                out.append((k, k + 1))
        out.append((start, start + len(tok)))
        pos = start + len(tok)
    for k in range(pos, len(text)):
        if not text[k].isspace():
            out.append((k, k + 1))
    return out


def find_entities(text: str) -> list[Mention]:
    """Entity mentions in raw text, in order, with verbatim spans."""
    sents: list[list[tuple[int, int]]] = []  # token offsets in `text`, one list per sentence
    for sent_start, sent_end in sentence_spans(text):
        offsets = [(sent_start + s, sent_start + e) for s, e in raw_tokens(text[sent_start:sent_end])]
        sents.extend(offsets[k : k + _MAX_SENTENCE] for k in range(0, len(offsets), _MAX_SENTENCE))
    mentions: list[Mention] = []
    for sent, tags in zip(sents, tag_document([[text[s:e] for s, e in sent] for sent in sents]), strict=True):
        for first, last, typ in spans(tags):
            a, b = sent[first][0], sent[last - 1][1]
            mentions.append(Mention(a, b, text[a:b], typ))
    return mentions


def tag_conll(lines: Iterable[str], window: int = DOCUMENT_WINDOW) -> Iterator[str]:
    """CoNLL in, CoNLL out: one token a line (first column; other columns ignored), blank line between
    sentences. Yields "token<TAB>TAG" for each token and every blank line as it came. Sentences are tagged
    `window` at a time as one document (CoNLL files do not mark where articles start)."""
    block: list[list[str] | None] = []  # sentences, and None for each blank line

    def flush() -> Iterator[str]:
        sents = [s for s in block if s is not None]
        tags = iter(tag_document(sents))
        for item in block:
            if item is None:
                yield ""
            else:
                yield from (f"{t}\t{g}" for t, g in zip(item, next(tags), strict=True))
        block.clear()

    sent: list[str] = []
    n_sents = 0
    for line in lines:
        parts = line.split()
        if parts:
            sent.append(parts[0])
            continue
        if sent:
            block.append(sent)
            sent = []
            n_sents += 1
        block.append(None)
        if n_sents >= window:
            yield from flush()
            n_sents = 0
    if sent:
        block.append(sent)
    yield from flush()
