"""robots.txt, read once per site and run, with the stdlib parser.

What a missing or broken robots.txt means follows RFC 9309: none (4xx) allows everything;
401/403 and a server that cannot answer (5xx, no connection) allow nothing for this run, since
we cannot know what the site forbids. A Crawl-delay longer than our own delay is honoured, up
to a bound.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

MAX_CRAWL_DELAY = 30.0


class RobotsCache:
    def __init__(self, get: Callable[[str], tuple[int, bytes]], agent: str) -> None:
        self._get = get  # url → (status, body); may raise
        self._agent = agent.split("/")[0]  # "cpts-facts": the token a site's rules name
        self._rules: dict[str, RobotFileParser | bool] = {}
        self.problems: dict[str, str] = {}  # site → why nothing is allowed there this run

    def allowed(self, url: str) -> bool:
        rules = self._load(site_of(url))
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(self._agent, url)

    def forget_problems(self) -> None:
        """Ask again, on a retry, the sites whose robots.txt could not be read."""
        for site in self.problems:
            self._rules.pop(site, None)
        self.problems.clear()

    def crawl_delay(self, url: str) -> float:
        """The site's Crawl-delay, when its robots.txt is already known (never fetches)."""
        rules = self._rules.get(site_of(url))
        if not isinstance(rules, RobotFileParser):
            return 0.0
        delay = rules.crawl_delay(self._agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0

    def _load(self, site: str) -> RobotFileParser | bool:
        if site in self._rules:
            return self._rules[site]
        self._rules[site] = True  # while robots.txt itself is being fetched
        try:
            status, body = self._get(f"{site}/robots.txt")
        except Exception as exc:  # no answer at all: we cannot know what is forbidden
            self.problems[site] = f"robots.txt unavailable: {exc}"
            self._rules[site] = False
            return False
        if status in (401, 403) or status >= 500:
            self.problems[site] = f"robots.txt answered HTTP {status}"
            rules: RobotFileParser | bool = False
        elif status >= 300:
            rules = True
        else:
            rules = RobotFileParser()
            rules.parse(body.decode("utf-8", "replace").splitlines())
        self._rules[site] = rules
        return rules


def site_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
