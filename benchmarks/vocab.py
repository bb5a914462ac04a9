"""Plausible French names the corpus generator draws from, kept as data apart from the logic.

Territories carry the article their "de" form takes ("du Pays Voironnais", "de l’Ondaine"),
so a name can replace both "CPTS Velay Sud" and "CPTS du Brivadois" and still read right.
"""

from __future__ import annotations

# (name, article of its "de" form)
TERRITORIES = [
    ("Pays Voironnais", "du"), ("Val de Saône", "du"), ("Grésivaudan", "du"),
    ("Monts du Lyonnais", "des"), ("Haut-Bugey", "du"), ("Bassin Annécien", "du"),
    ("Pays Beaunois", "du"), ("Vallée de la Bruche", "de la"), ("Pays de Gex", "du"),
    ("Trièves", "du"), ("Royans-Vercors", "du"), ("Pays d’Aubenas", "du"),
    ("Haut-Forez", "du"), ("Roannais", "du"), ("Pilat Rhodanien", "du"),
    ("Plateau de Millevaches", "du"), ("Pays Mellois", "du"), ("Marais Poitevin", "du"),
    ("Gâtinais", "du"), ("Pays Sud-Toulois", "du"), ("Bocage Bressuirais", "du"),
    ("Confluence", "de la"), ("Vallée de l’Hérault", "de la"), ("Livradois", "du"),
    ("Combrailles", "des"), ("Pays de Fayence", "du"), ("Cœur de Savoie", "de"),
    ("Bièvre-Valloire", "de"), ("Terres de Lorraine", "des"), ("Pays Châtelguyonnais", "du"),
    ("Haute Vallée de l’Aude", "de la"), ("Ouest Lyonnais", "de l’"), ("Est Ternois", "de l’"),
    ("Argonne", "de l’"), ("Aunis Sud", "de l’"), ("Avesnois", "de l’"),
    ("Sud Gironde", "du"), ("Médoc Atlantique", "du"), ("Pays Basque Intérieur", "du"),
    ("Vallée du Gier", "de la"), ("Rives de l’Ain", "des"), ("Pays de Brocéliande", "du"),
    ("Côte Fleurie", "de la"), ("Presqu’île Guérandaise", "de la"), ("Pays d’Égletons", "du"),
    ("Chalonnais", "du"), ("Mâconnais Beaujolais", "du"), ("Val d’Allier", "du"),
    ("Hautes Terres", "des"), ("Pays de Retz", "du"),
]

# Appended to a territory to multiply the distinct names ("Roannais Nord").
QUALIFIERS = ["", "", "", " Nord", " Sud", " Est", " Ouest", " Centre", " et Coteaux"]

TOWNS = [
    "Villeurbanne", "Vénissieux", "Saint-Priest", "Bron", "Annonay", "Montélimar", "Romans",
    "Aurillac", "Issoire", "Thiers", "Brioude", "Yssingeaux", "Châtellerault", "Loudun",
    "Montmorillon", "Saint-Étienne", "Feurs", "Tournon", "Valence", "Bourg-en-Bresse",
    "Oyonnax", "Vienne", "Vierzon", "Épinal", "Guéret", "Périgueux", "Angoulême",
]

FIRST_NAMES = [
    "Philippe", "Sabine", "Caroline", "Julien", "Maryline", "Benoît", "Hélène", "Jérôme",
    "Élodie", "François", "Cécile", "Amélie", "Loïc", "Gaëlle", "Frédéric", "Agnès",
    "Stéphane", "Isabelle", "Thierry", "Nadège", "Rémi", "Léa", "Noémie", "Hervé",
]

SURNAMES = [
    "Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Rousseau", "Fontaine",
    "Chevalier", "Mercier", "Bérard", "Faure", "Gauthier", "Perrin", "Brémond", "Roux",
    "Noël", "Garnier", "Lemaître", "Clément", "Jacquemet", "Béranger", "Delorme", "Vidal",
]

# Departments by the article they take, so "de la Drôme" can become "de la Vienne" and
# "du Rhône" "du Cantal" without touching the surrounding words.
DEPARTMENTS = {
    "la": [
        "Drôme", "Vienne", "Haute-Loire", "Loire", "Savoie", "Haute-Savoie", "Sarthe",
        "Gironde", "Charente", "Dordogne", "Creuse", "Corrèze", "Haute-Vienne", "Marne",
        "Meuse", "Moselle", "Somme", "Manche", "Mayenne", "Vendée", "Nièvre", "Lozère",
    ],
    "le": [
        "Rhône", "Cantal", "Puy-de-Dôme", "Gers", "Lot", "Tarn", "Var", "Doubs", "Jura",
        "Calvados", "Finistère", "Morbihan", "Loiret", "Cher", "Gard",
    ],
    "l’": [
        "Ardèche", "Ain", "Allier", "Isère", "Aude", "Ariège", "Aveyron", "Eure", "Indre",
        "Orne", "Oise", "Yonne", "Aisne", "Hérault",
    ],
}
