"""The Arabic layer: matching keys and parsed values; imports nothing else of marsad."""
