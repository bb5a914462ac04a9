"""What can be renamed in each real seed release: literal spans mapped to named slots.

Slot kinds: `cpts` (bare territory, "CPTS Velay Sud"), `cpts_de` (with its article,
"CPTS du Brivadois"), `person`, `town`, and `dept:<article>` for department names. Every
spelling a seed uses for the same thing maps to the same slot, so a variant stays coherent.
A seed missing from this table still varies in numbers, dates and paragraph order.
"""

from __future__ import annotations

SLOTS: dict[str, dict[str, str]] = {
    "000": {
        "Porte de Drôme Ardèche": "cpts:1",
        "Porte Drome Ardèche": "cpts:1",
        "Philippe MONDON": "person:1",
        "Drôme": "dept:la:1",
    },
    "001": {
        "Sud Ard’Drôm": "cpts:1",
        "Sud Ard’ Drôm": "cpts:1",
        "Sinot KHIM": "person:1",
        "Sabine LAFFAY": "person:2",
        "Caroline ZINNI": "person:3",
        "Pierre-Yves MALINAS": "person:4",
        "Privas": "town:1",
        "Ardèche": "dept:l’:1",
        "Drôme": "dept:la:2",
    },
    "002": {
        "Nord-Velay-Forez": "cpts:1",
        "Velay Sud": "cpts:2",
        "du Brivadois": "cpts_de:3",
        "des Rives du Haut-Allier": "cpts_de:4",
        "de l’Ondaine": "cpts_de:5",
        "Haute-Loire": "dept:la:1",
        "Loire": "dept:la:2",
    },
    "003": {
        "du Pays Châtelleraudais": "cpts_de:1",
        "du pays Châtelleraudais": "cpts_de:1",
        "Julien KAMGA": "person:1",
        "Maryline LAMBERT": "person:2",
        "Benoît ELLEBOODE": "person:3",
        "Marie-Laure GATELIER": "person:4",
        "Vienne": "dept:la:1",
    },
    "004": {
        "Croix-Rousse Presqu'île": "cpts:1",
        "Croix Rouse Presqu'île": "cpts:1",
        "Vaulx-en-Velin": "town:1",
        "Sara Hussenbocus": "person:1",
        "Rhône": "dept:le:1",
    },
}
