"""One module per registered fact kind, and the helpers named after their kind.

Registered (see `extractors.EXTRACTORS`): `published_on`, `cpts_name`, `signed_on`,
`population`, `communes`, `professionals`, `departments`, `president`, `size_class`,
`amounts`, `missions`. Helpers: `counts` (rejections shared by the four count kinds),
`cpts_mentions`, `cpts_grammar`, `cpts_status` (for `cpts_name`), `amount_cues`,
`amount_totals`, `amount_ranges`, `amount_elliptic` (for `amounts`), `scope` (shared by
amounts and missions),
`cpts_unnamed` (a release about one CPTS it never names, for `cpts_name`), `event_clauses`
(which event a date dates, for `signed_on`), `mission_concepts`, `mission_vetoes` and
`genericity` (for `missions`). `places`: the places a release names for a territory, each with
the reference entries it may be (assembled by `extractors.assemble.geography`).
A kind never imports `extractors.assemble`; a helper never imports a registered kind.
"""
