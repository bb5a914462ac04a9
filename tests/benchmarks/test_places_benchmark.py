"""benchmarks/places.py: it times and counts what it says, on a folder made here."""

from __future__ import annotations

from benchmarks import places


def test_counts_places_by_status_and_level(tmp_path):
    (tmp_path / "a.txt").write_text(
        "La CPTS du Val d'Ozon regroupe 3 communes (Ternay, Sérézin-du-Rhône et Valence) et "
        "25 000 habitants.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Aucune commune ici.\n", encoding="utf-8")
    prepared = places.read_folder(tmp_path)
    assert len(prepared) == 2
    ms, found = places.resolve_ms(prepared)
    assert ms > 0
    # Ternay and Sérézin-du-Rhône decide nothing for Valence (no Valence in the Rhône).
    assert places.figures(found) == {"resolved": {"commune": 2}, "ambiguous": {"commune": 1}}
    # Caches emptied before each pass: the time of unseen text, the same places.
    cold_ms, cold_found = places.resolve_ms(prepared, cold=True)
    assert cold_ms > 0 and cold_found == found
