"""Story clustering: articles that report the same happening, grouped online or over a whole corpus."""

from marsad.cluster.batch import BatchResult, StoryRecord, cluster_batch, cluster_online, cluster_terms
from marsad.cluster.online import Assignment, OnlineClusterer, ensure_schema, story_id_for

__all__ = [
    "Assignment",
    "BatchResult",
    "OnlineClusterer",
    "StoryRecord",
    "cluster_batch",
    "cluster_online",
    "cluster_terms",
    "ensure_schema",
    "story_id_for",
]
