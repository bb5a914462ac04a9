"""Is an item about a CPTS? Judged from what the publisher shows before we download anything.

The vocabulary is data (extractors/lexicon/fetch_relevance.json): phrases matched as whole
words over the folded text (lower case, no accents, punctuation as spaces), so "CPTS",
"C.P.T.S." and the slug "signature-acpts" versus "signature-cpts-du-val" are told apart the
way a reader would.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from urllib.parse import unquote, urlsplit

from extractors.lexicon import load_lexicon

LEXICON = "fetch_relevance.json"


def fold(text: str) -> str:
    """Lower case, accents off, every run of non-alphanumerics a single space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.split(r"[^0-9a-z]+", bare)).strip()


@cache
def _phrases(key: str) -> re.Pattern[str]:
    phrases = sorted({fold(p) for p in load_lexicon(LEXICON)[key]}, key=len, reverse=True)
    return re.compile(r"(?<![0-9a-z])(?:" + "|".join(map(re.escape, phrases)) + r")(?![0-9a-z])")


def url_words(url: str) -> str:
    """The words a URL's path and query show ("/actu/signature-cpts-du-val.html")."""
    parts = urlsplit(url)
    return unquote(f"{parts.path} {parts.query}")


def about_cpts(*texts: str | None) -> bool:
    """True when any of `texts` (title, summary, link text, url_words) names a CPTS.

    >>> about_cpts(None, url_words("https://ars.example/actualites-cpts-du-grand-nord.html"))
    True
    >>> about_cpts("Les acptsx du printemps")
    False
    """
    pattern = _phrases("about_cpts")
    return any(text and pattern.search(fold(text)) for text in texts)


def release_pdf(*texts: str | None) -> bool:
    """A PDF link whose text or file name says it is a press release or press kit."""
    pattern = _phrases("release_pdf")
    return any(text and pattern.search(fold(text)) for text in texts)
