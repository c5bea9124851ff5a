"""Story synthesis: what a reader sees for each story."""
