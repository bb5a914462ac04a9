"""The second stage: the facts of one document become CPTS records.

- `assemble.py`: `assemble(doc, facts) -> Assembly`, one record per CPTS, the chosen values.
- `attribution.py`: who owns each fact (`Attributor`); `subjects.py`: which CPTS a sentence or
  section speaks of; `clauses.py`: clause boundaries and the mentions inside them.
- `department_policy.py`: which departments are the territory's (dominant, adjacent).
- `geography.py`: the places of each CPTS, which homonym the text means, and what they imply
  (departments, legal population, number of communes).
"""
