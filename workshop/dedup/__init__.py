"""Sorting a wall of cards live, offline: duplicate suggestions and theme groups (no UI, no database).

``duplicates.suggest`` proposes small groups of cards that probably say the same thing;
``themes.propose`` splits a wall into a handful of labelled groups. Both compare cards with
``similar.Wall`` (stems, a French synonym list for the domain, character 4-grams, TF-IDF);
duplicates also with French word vectors that an installed package ships (``vectors``).
Nothing is downloaded or sent anywhere. bench/dedup_benchmark.py measures them.
"""
