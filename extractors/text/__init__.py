"""French text with no fact kind: the ground the kinds stand on.

- `document.py`: `build_document` (normalised text, sentences, pages) and line questions.
- `dates.py`: `find_dates`, French dates of every precision; `dateline.py`: the release's own date
  (and its headline's year); `headings.py`: what reads as a heading line.
- `numbers.py`: numbers in digits and words, counts with their qualifier.
- `money.py`: euro amounts; `phrases.py`: the phrase dialect of the lexicon as regexes.
- `prefilter.py`: accent-folded keyword gates that keep regexes off irrelevant sentences.
- `slug.py`: CPTS name keys and look-alike tests; `nlp.py`: the spaCy model, loaded once, lazily;
  `shared_charsets.py`: each character class of a regex compiled once while the model loads.
- `place_names.py`: place names as releases write them → the INSEE reference (COG);
  `verbs.py`: French verb forms from a lemma, each with its tense.
- `per_document.py`: values derived from one document once, however many facts ask for them.
"""
