"""places: every place a release names for a CPTS's territory, coded against the INSEE COG.

Sentences written for these tests (none is copied from a release). Each case gives the places
found, in text order, as (text as written, INSEE code) for a resolved place, (text,
"ambiguous") or (text, "unknown"). Run through extraction and assembly: the homonyms are
decided by what the whole text says, the way a release is read.
"""

from __future__ import annotations

import pytest

from extractors import extract_all
from extractors.assemble.assemble import assemble
from extractors.text.document import build_document


def read(text: str):
    doc = build_document("t", text)
    assembly = assemble(doc, extract_all(doc))
    for place in assembly.places:
        assert doc.text[place.start : place.end] == place.text  # house rule 2
    return assembly


def places_of(text: str) -> list[tuple[str, str]]:
    return [(p.text, p.insee_code or p.status) for p in read(text).places]


CASES = [
    pytest.param(
        "La CPTS du Val d'Ozon regroupe 3 communes (Saint-Symphorien-d'Ozon, Sérézin-du-Rhône "
        "et Ternay) et 25 000 habitants.",
        [("Saint-Symphorien-d'Ozon", "69291"), ("Sérézin-du-Rhône", "69294"), ("Ternay", "69297")],
        id="communes-in-brackets",
    ),
    pytest.param(
        "La CPTS intervient sur les communes de St Priest, Ste Foy lès Lyon et Mions.",
        [("St Priest", "69290"), ("Ste Foy lès Lyon", "69202"), ("Mions", "69283")],
        id="st-ste-spaces",
    ),
    pytest.param(
        "La CPTS couvre les communes du Puy-en-Velay, de Brives-Charensac et "
        "d'Espaly-Saint-Marcel.",
        [("Puy-en-Velay", "43157"), ("Brives-Charensac", "43041"),
         ("Espaly-Saint-Marcel", "43089")],
        id="du-is-de-le",
    ),
    pytest.param(
        "Le territoire de la CPTS réunit les communes des Sables-d'Olonne et de "
        "Talmont-Saint-Hilaire.",
        [("Sables-d'Olonne", "85194"), ("Talmont-Saint-Hilaire", "85288")],
        id="des-sables",
    ),
    pytest.param(
        "La CPTS couvre les communes de la Penne-sur-Huveaune et de Roquevaire.",
        [("Penne-sur-Huveaune", "13070"), ("Roquevaire", "13086")],
        id="la-lower-case",
    ),
    pytest.param(
        "La CPTS couvre les villes de Chatillon, Malakoff et Vanves.",
        [("Chatillon", "92020"), ("Malakoff", "92046"), ("Vanves", "92075")],
        id="accent-dropped-neighbours-decide",
    ),
    pytest.param(
        "La CPTS de Valence, dans la Drôme, couvre 120 000 habitants.",
        [("Valence", "26362"), ("Drôme", "26")],
        id="homonym-department-decides",
    ),
    pytest.param(
        "Le territoire de la CPTS comprend les communes de Valence, Bourg-lès-Valence et "
        "Portes-lès-Valence.",
        [("Valence", "26362"), ("Bourg-lès-Valence", "26058"), ("Portes-lès-Valence", "26252")],
        id="homonym-neighbours-decide",
    ),
    pytest.param(
        "Des permanences sont ouvertes à Saint-Paul (97460) pour les habitants du territoire.",
        [("Saint-Paul", "97415")],
        id="homonym-postcode-decides",
    ),
    pytest.param(
        "La CPTS couvre les communes de Valence et de Fresnes.",
        [("Valence", "ambiguous"), ("Fresnes", "ambiguous")],
        id="homonyms-nothing-decides",
    ),
    pytest.param("La CPTS couvre la Vienne et ses 266 communes.", [("Vienne", "86")],
                 id="la-vienne-department"),
    pytest.param("La CPTS couvre Vienne et les communes voisines.", [("Vienne", "38544")],
                 id="vienne-the-town"),
    pytest.param("Les habitants de la Haute-Vienne sont couverts par la CPTS.",
                 [("Haute-Vienne", "87")], id="haute-vienne-longest"),
    pytest.param("La CPTS Nord Deux-Sèvres couvre 40 communes.", [("Deux-Sèvres", "79")],
                 id="nord-qualifies-deux-sevres"),
    pytest.param("La CPTS couvre les communes du Nord et du Pas-de-Calais.",
                 [("Nord", "59"), ("Pas-de-Calais", "62")], id="du-nord-department"),
    pytest.param("La CPTS Sud Ardèche couvre 30 communes.", [("Ardèche", "07")],
                 id="sud-qualifies"),
    pytest.param(
        "La CPTS Cœur de Meurthe-et-Moselle couvre 20 communes.",
        [("Meurthe-et-Moselle", "54")], id="coeur-de",
    ),
    pytest.param("La CPTS Grand Annecy couvre 200 000 habitants.",
                 [("Grand Annecy", "200066793")], id="grand-x-is-an-epci"),
    pytest.param("La CPTS couvre le 13e arrondissement de Marseille et 95 000 habitants.",
                 [("13e arrondissement de Marseille", "13213")], id="arrondissement-long"),
    pytest.param("La CPTS Lyon 8ème couvre 85 000 habitants.", [("Lyon 8ème", "69388")],
                 id="arrondissement-short"),
    pytest.param("La CPTS Paris 15 couvre 230 000 habitants.", [("Paris 15", "75115")],
                 id="arrondissement-bare-number"),
    pytest.param("La CPTS couvre les communes de Lyon 3e et de Villeurbanne.",
                 [("Lyon 3e", "69383"), ("Villeurbanne", "69266")], id="arrondissement-listed"),
    pytest.param(
        "La CPTS couvre le territoire de la Communauté de communes du Pays de Fayence.",
        [("Communauté de communes du Pays de Fayence", "200004802")], id="cc-long",
    ),
    pytest.param("La CPTS s'étend sur la CC Cœur de Sologne, soit 10 communes.",
                 [("CC Cœur de Sologne", "200000800")], id="cc-short"),
    pytest.param("Le territoire de la CPTS correspond à l'Agglo du Pays de Dreux.",
                 [("Agglo du Pays de Dreux", "200040277")], id="agglo"),
    pytest.param("La CPTS travaille avec Alès Agglomération sur son territoire.",
                 [("Alès Agglomération", "200066918")], id="name-agglomeration"),
    pytest.param(
        "La CPTS couvre les secteurs du Pays de Retz et du Pays de Pornic.",
        [("Pays de Retz", "unknown"), ("Pays de Pornic", "unknown")], id="pays-unknown",
    ),
    pytest.param(
        "La CPTS du Haut-Vivarais regroupe 4 communes du nord de l'Ardèche.\n\n"
        "Annonay, Davézieux, Boulieu-lès-Annonay et Roiffieux.",
        [("Ardèche", "07"), ("Annonay", "07010"), ("Davézieux", "07078"),
         ("Boulieu-lès-Annonay", "07041"), ("Roiffieux", "07197")],
        id="list-line-after-the-count",
    ),
    pytest.param(
        "Le territoire s’étend de Pont-de-Chéruy à Crémieu, dans le nord de l’Isère.",
        [("Pont-de-Chéruy", "38316"), ("Crémieu", "38138"), ("Isère", "38")],
        id="from-to",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_places(text, expected):
    assert places_of(text) == expected


NEGATIVE_CASES = [
    pytest.param("Le territoire de la CPTS suit la vallée de la Loire et les rives de l'Allier.",
                 id="rivers-by-their-nouns"),
    pytest.param("Le territoire, qui compte 30 communes, est traversé par les rivières Vézère "
                 "et Corrèze.", id="river-list"),
    pytest.param("La CPTS couvre les cantons de Tulle et d'Égletons.", id="cantons"),
    pytest.param("En Bretagne, la CPTS couvre 12 communes.", id="region"),
    pytest.param("La CPAM du Rhône et le centre hospitalier de Villefranche accompagnent le "
                 "territoire.", id="institutions"),
    pytest.param("Le territoire se situe au sud de Lyon, à 20 km de Vienne.", id="distances"),
    pytest.param("Le territoire est à 1 heure de Toulouse ; Montpellier est à 2 heures.",
                 id="travel-times"),
    pytest.param("Le nombre de Maisons de santé a doublé sur le territoire.", id="common-noun"),
    pytest.param("Celle-ci couvre 30 communes du territoire.", id="capital-of-the-sentence"),
    pytest.param("Le président, Monsieur Florent Laval, présente le territoire.", id="person"),
    pytest.param("La CPTS Entre Loire et Allier couvre 30 communes.", id="between-rivers"),
]


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_no_place(text):
    assert places_of(text) == []


XFAIL_CASES = [
    pytest.param(
        "La CPTS du Pays de Quimperlé couvre 16 communes.", [("Pays de Quimperlé", "242900645")],
        marks=pytest.mark.xfail(reason="a 'Pays de X' is not matched to the EPCI renamed "
                                       "'X Communauté'", strict=True),
        id="pays-renamed-epci",
    ),
    pytest.param(
        "La CPTS s'étend sur le territoire de la CAPSO, soit 53 communes.",
        [("CAPSO", "200069193")],
        marks=pytest.mark.xfail(reason="EPCI acronyms are not in the reference", strict=True),
        id="epci-acronym",
    ),
]


@pytest.mark.parametrize(("text", "expected"), XFAIL_CASES)
def test_known_limits(text, expected):
    assert places_of(text) == expected


BUGS_CAUGHT = [
    pytest.param("La CPTS s’étend d’Isigny-sur-Mer à Caen, dans le Calvados.",
                 [("Isigny-sur-Mer", "14342"), ("Caen", "14118"), ("Calvados", "14")],
                 id="folded-a-is-a-connector"),
    pytest.param("Le territoire couvre la Communauté d’Agglomération du Pays Basque.",
                 [("Communauté d’Agglomération du Pays Basque", "200067106")],
                 id="typographic-apostrophe"),
    pytest.param("La CPTS Sud Ard'Drôm couvre 50 communes.", [], id="accent-added-is-no-drom"),
    pytest.param("Le territoire de la CPTS couvre la Loire.", [("Loire", "42")],
                 id="loire-not-loire-accented"),
    pytest.param("Le territoire collabore avec l’UTEP du GHU Paris-Saclay.", [],
                 id="acronym-ends-a-name"),
    pytest.param("Le territoire de la CPTS, Bassin de Pompey, compte 13 communes.",
                 [("Bassin de Pompey", "245400601")], id="epci-by-core"),
    pytest.param("La CPTS accompagne les habitants de la Ville de Saint-Étienne.",
                 [("Saint-Étienne", "42218")], id="la-ville-de"),
    pytest.param("Le Maire du territoire a reçu la CPTS.", [], id="le-maire-is-no-maire"),
    pytest.param("Sur ce territoire, précise l'infirmière du Centre de soins infirmiers de "
                 "Pornic, l'accès aux soins est un enjeu.", [], id="a-nursing-centre-of-a-town"),
    pytest.param("La CPTS couvre les communes de Sauve et de Quissac (30).",
                 [("Sauve", "30311"), ("Quissac", "30210")], id="article-less-sauve"),
]


@pytest.mark.parametrize(("text", "expected"), BUGS_CAUGHT)
def test_bugs_caught(text, expected):
    assert places_of(text) == expected


def test_places_go_to_their_cpts():
    assembly = read(
        "La CPTS Aprosalys couvre 3 communes (Irigny, Vernaison et Charly). "
        "La CPTS du Grand Roanne couvre 40 communes dont Riorges et Mably."
    )
    owners = {(p.cpts_key, p.text) for p in assembly.places}
    assert ("aprosalys", "Irigny") in owners and ("aprosalys", "Charly") in owners
    assert ("grand-roanne", "Riorges") in owners and ("grand-roanne", "Mably") in owners


def test_reference_figures_need_the_whole_territory_listed():
    assembly = read(
        "La CPTS du Val d'Ozon regroupe 3 communes (Saint-Symphorien-d'Ozon, Sérézin-du-Rhône "
        "et Ternay) et 15 000 habitants. Elle travaille aussi avec Vienne."
    )
    geo = assembly.geography["val-ozon"]
    assert geo.communes_reference == 3
    assert 12_000 < geo.population_reference < 18_000  # three legal populations summed
    assert geo.departments_inferred == ("69",)
    partial = read("La CPTS du Val d'Ozon accompagne les habitants de Ternay et de Sérézin-du-"
                   "Rhône.").geography["val-ozon"]
    assert partial.population_reference is None and partial.departments_inferred == ("69",)


def test_an_epci_counts_by_its_member_communes():
    assembly = read("La CPTS couvre le territoire de la Communauté de communes du Pays de "
                    "Fayence et ses 30 000 habitants.")
    (geo,) = assembly.geography.values()
    assert geo.communes_reference == 9 and 25_000 < geo.population_reference < 35_000


# The finder's fast paths against the plain versions they replace: same finds on every text.

def _plain_cues():
    """CUES as the lexicon states it: one flat alternation, the lists in order, each list's
    phrases longest first, each phrase in a group named after its list."""
    import re

    from extractors.kinds import places
    from extractors.text.prefilter import fold

    phrases = [(name, phrase) for name, words in places.CUE_LISTS.items()
               for phrase in sorted(words, key=len, reverse=True)]
    body = "|".join(
        f"(?P<{name}_{n}>{places._folded_char(fold(phrase[:1]))}{places._folded_tail(phrase)})"
        for n, (name, phrase) in enumerate(phrases)
    )
    return re.compile(rf"(?<![^\W_])(?:{body})")


def test_cues_are_those_of_the_plain_alternation():
    import random
    import re

    from extractors.kinds import places
    from extractors.text.prefilter import fold

    plain = _plain_cues()
    pieces = [piece for words in places.CUE_LISTS.values() for phrase in words
              for piece in re.split(r"([ '’-])", phrase.rstrip("*"))]
    pieces += ["12", "3 000", "1.500", "é", "œ", "(", ":", "  ", "-", "’", "s", "es", "x", "\n",
               "Foo", "de", "d'"]
    rnd = random.Random(20)
    kinds = set()
    for _ in range(5000):
        text = fold("".join(rnd.choice(pieces) + rnd.choice(["", " ", "-"])
                            for _ in range(rnd.randint(1, 10))))
        start, end = rnd.randint(0, 2), len(text) - rnd.randint(0, 2)
        expected = [(m.start(), m.end(), places._kind(m)) for m in plain.finditer(text, start, end)]
        assert [tuple(c) for c in places.find_cues(text, start, end)] == expected, text
        kinds.update(kind for _, _, kind in expected)
    assert kinds == set(places.CUE_LISTS)  # the texts do hold cues, of every list


def test_territory_sentences_are_those_holding_a_stem():
    """territory_zones (needles found with str.find, stems checked where each stands) picks
    the sentences where one `territory` phrase of the lexicon starts a word and ends one (or
    goes on, for a prefix "couvr*"), a plural ending allowed."""
    import random
    import re

    from extractors.kinds import places
    from extractors.text.prefilter import fold

    stems = [(fold(p.rstrip("*")), p.endswith("*")) for p in places.LEXICON["territory"]]
    spec = re.compile(r"(?<![^\W_])(?:" + "|".join(
        re.escape(stem) + ("" if prefix else r"(?:(?![^\W_])|(?=[sx](?![^\W_])))")
        for stem, prefix in stems) + ")")
    pieces = [stem for stem, _ in stems] + ["s", "x", "ale", "inter", "Ville", "  ", ". ", "\n",
                                            "é", "-", "’", "Avignon", "la", "de", "12"]
    rnd = random.Random(3)
    picked = 0
    for _ in range(2000):
        text = "".join(rnd.choice(pieces) + rnd.choice(["", " ", " ", ". "])
                       for _ in range(rnd.randint(1, 14)))
        doc = build_document("t", text)
        plain = fold(doc.text)
        expected = [s for s in doc.sentences if spec.search(plain, s.start, s.end)]
        zones = [span for span, is_list in places.territory_zones(doc) if not is_list]
        lists = [span for span, is_list in places.territory_zones(doc) if is_list]
        inside = [s for s in expected if any(line.start <= s.start < line.end for line in lists)]
        assert zones == [s for s in expected if s not in inside], text
        picked += len(zones)
    assert picked > 1000
