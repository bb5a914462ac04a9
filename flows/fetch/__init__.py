"""Follow the publishers: read a sources file, find new releases about CPTS, download them.

`cpts-facts fetch` fills an inbox the way an analyst would by hand: each file comes with a
sidecar (NAME.meta.json, flows/read/sidecar.py) saying where it was found, so the dataset can
link every document to its original. Nothing here imports Prefect: flows/run/fetch_flow.py wraps
these functions in a flow with one task per source.

Modules, one job each: `sources` (the TOML file), `http` (a polite HTTP client), `robots`
(robots.txt), `listing` (feed, sitemap and page → items), `relevance` (is an item about a
CPTS), `links` (links of an HTML page), `state` (what was fetched before), `save` (file +
sidecar into the inbox), `follow` (one source, start to end), `outcomes` (what is reported).
"""
