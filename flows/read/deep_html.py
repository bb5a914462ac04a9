"""The visible text of a page nested deeper than an HTML tree parser holds.

libxml2 (under lxml and trafilatura) stops building the tree a few hundred levels down, so a
page of 100,000 nested <div> (generated markup, or a hostile file) came out `empty` although
its text is plain to see. This reader never builds a tree: it streams the tags once, keeps the
text outside scripts and styles, and starts a new line at each block element, so its cost is
linear in the page's length whatever its depth.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

BLOCKS = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 br tr table section article header footer main "
    "blockquote pre dd dt dl figcaption address".split()
)
INVISIBLE = frozenset("script style noscript template head title".split())
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


@dataclass(frozen=True)
class StreamedText:
    text: str
    max_depth: int


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = self.max_depth = 0
        self.hidden = 0  # how many invisible elements enclose the current position

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag in VOID:
            return
        self.depth += 1
        self.max_depth = max(self.max_depth, self.depth)
        if tag in INVISIBLE:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self.depth = max(0, self.depth - 1)
        if tag in INVISIBLE:
            self.hidden = max(0, self.hidden - 1)
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def streamed_text(page: str) -> StreamedText:
    """Visible text of `page`, one line per block, and how deep its elements nest.

    >>> streamed_text("<div><div><p>La CPTS <b>du Lac</b></p><script>x()</script></div></div>")
    StreamedText(text='La CPTS du Lac', max_depth=4)
    """
    collector = _Collector()
    collector.feed(page)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    return StreamedText("\n".join(line for line in lines if line), collector.max_depth)
