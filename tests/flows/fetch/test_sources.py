"""The sources file: what a person may write, and the one-line error for what they may not."""

from __future__ import annotations

import pytest

from flows.fetch.sources import SourcesError, load_sources, parse_sources
from tests.conftest import ROOT


def test_the_shipped_example_parses():
    config = load_sources(ROOT / "sources.example.toml")
    assert len(config.sources) >= 3
    assert {s.kind for s in config.sources} >= {"feed", "page"}
    assert config.settings.delay_seconds >= 1


def test_defaults_and_every_key():
    config = parse_sources({
        "fetch": {"contact": "veille@example.org", "delay_seconds": 5},
        "source": [
            {"url": "https://a.example/rss"},
            {"url": "https://b.example/actus", "kind": "page", "name": "B",
             "pattern": "/actualites/", "all_items": True, "follow_pdfs": False,
             "max_items": 5},
        ],
    })
    first, second = config.sources
    assert first.kind is None and first.max_items == 30 and first.follow_pdfs
    assert second.pattern == "/actualites/" and second.all_items and second.label == "B"
    assert config.settings.contact == "veille@example.org"
    assert config.settings.delay_seconds == 5


ERRORS = [
    ({}, "no [[source]]"),
    ({"source": [{"kind": "feed"}]}, "missing url"),
    ({"source": [{"url": "ftp://a.example/x"}]}, "http(s)"),
    ({"source": [{"url": "file:///etc/passwd"}]}, "http(s)"),
    ({"source": [{"url": "https://a.example", "kind": "blog"}]}, "kind must be"),
    ({"source": [{"url": "https://a.example", "patern": "x"}]}, "unknown key 'patern'"),
    ({"source": [{"url": "https://a.example", "pattern": "("}]}, "not a regular expression"),
    ({"source": [{"url": "https://a.example", "max_items": 0}]}, "at least 1"),
    ({"source": [{"url": "https://a.example", "max_items": True}]}, "wrong type"),
    ({"source": [{"url": "https://a.example"}, {"url": "https://a.example"}]}, "twice"),
    ({"source": [{"url": "https://a.example"}], "fetch": {"delay": 1}}, "unknown key"),
    ({"source": [{"url": "https://a.example"}], "sources": []}, "unknown table"),
]


@pytest.mark.parametrize(("data", "words"), ERRORS)
def test_mistakes_are_one_line_errors(data, words):
    with pytest.raises(SourcesError, match=None) as error:
        parse_sources(data)
    assert words in str(error.value)


def test_file_errors(tmp_path):
    with pytest.raises(SourcesError, match="not found"):
        load_sources(tmp_path / "none.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[source]\nurl = 1", encoding="utf-8")
    with pytest.raises(SourcesError, match="not valid TOML"):
        load_sources(bad)
