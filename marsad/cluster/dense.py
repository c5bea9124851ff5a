"""The clusterer's optional dense evidence (`marsad ingest --dense`): a sentence embedding of each article's body.

Different outlets retell one happening in different words: the seed pages about one visit share few stems
(body TF-IDF cosines 0.18-0.35) while their body embeddings (USE multilingual v3, `marsad.embed`) are 0.68-0.85
apart. The decision model then reads `nn_dense`, the best cosine of the article's embedding against the
story's kept members. Off by default: embedding a body costs ~19 ms of one core (about 10 minutes for the
31k-article development corpus), against ~3 ms for everything else the clusterer reads. Measured in MODEL.md.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import numpy as np

from marsad.embed import encoder
from marsad.model import Article

# The title and the body's first characters are embedded: 86% of the development corpus's articles whole,
# while the cost of the rest grows no further (the encoder's cost is linear in tokens).
DENSE_CHARS = 3000


def dense_text(a: Article) -> str:
    return ((a.title or "") + ". " + a.text[:DENSE_CHARS]).strip()


def embed_articles(articles: Sequence[Article]) -> list[np.ndarray]:
    """Unit-length float32 vectors (512) of the articles' titles and bodies, one encoder call for all."""
    if not articles:
        return []
    vectors = np.asarray(encoder().encode([dense_text(a) for a in articles]), dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    return list(vectors)


def pack(v: np.ndarray | None) -> str | None:
    """A vector as stored with a member's other vectors: float16, base64 (1 KB)."""
    return None if v is None else base64.b64encode(v.astype(np.float16).tobytes()).decode("ascii")


def unpack(s: str | None) -> np.ndarray | None:
    return None if not s else np.frombuffer(base64.b64decode(s), dtype=np.float16).astype(np.float32)
