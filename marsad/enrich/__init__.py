"""Enrichment of a story: named entities (entities.py), one entity across spellings (canon.py), facts and
disagreements (facts.py), stance between two claims (stance.py). Models are in marsad/models/ and are read
lazily, once, on first use; importing this package loads nothing."""
