"""The Arabic layer: matching keys and parsed values; imports nothing else of marsad.

Modules: normalize (the matching key), tokens (tokens, clitics, stopwords, match_tokens), stem (light
stems), sentences, dates (DateMention, find_dates), numbers (NumberMention, find_numbers), hijri
(calendar conversion). See README.md in this folder for the choices and the measured figures.
"""
