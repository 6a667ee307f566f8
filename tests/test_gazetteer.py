from storyline.common.gazetteer import gazetteer


def lookup(name, lemma=None):
    place = gazetteer().lookup(name, lemma)
    return (place.name, place.kind) if place else None


def test_countries_by_name_code_translation_and_initials():
    assert lookup("United States") == ("United States", "country")
    assert lookup("USA") == ("United States", "country")
    assert lookup("US") == ("United States", "country")
    assert lookup("США") == ("United States", "country")
    assert lookup("Statele Unite") == ("United States", "country")
    assert lookup("Ucrânia") == ("Ukraine", "country")
    assert lookup("РФ") == ("Russia", "country")


def test_cities_by_alternate_names_and_across_scripts():
    assert lookup("Kiev") == ("Kyiv", "city")
    assert lookup("Київ") == ("Kyiv", "city")
    assert lookup("Лион") == ("Lyon", "city")
    assert lookup("Калифорния") == ("California", "state")


def test_main_name_beats_another_city_former_name():
    # a small town's own name wins over a big city's historical name
    name, kind = lookup("New Amsterdam")  # a town in Guyana, and New York's name of old
    assert kind == "city" and gazetteer().lookup("New Amsterdam").country == "Guyana"


def test_demonyms():
    gaz = gazetteer()
    assert gaz.country_of_demonym("Ukrainian").name == "Ukraine"
    assert gaz.country_of_demonym("Americans").name == "United States"
    assert gaz.country_of_demonym("French").name == "France"
    assert gaz.country_of_demonym("special") is None


def test_invented_places_are_unknown():
    assert lookup("Saltmerezzia") is None


def test_capital_known_by_another_name_beats_a_small_town_of_that_name():
    # "Loanda" is an old spelling of Angola's capital and the own name of a small Brazilian town
    place = gazetteer().lookup("Loanda")
    assert (place.name, place.country) == ("Luanda", "Angola")
    # a big city that is no capital keeps losing to a town's own name
    assert gazetteer().lookup("Casa Branca").population < 1_000_000


def test_country_names_in_more_languages():
    assert lookup("Magyarország") == ("Hungary", "country")  # Hungarian
    assert lookup("Duitsland") == ("Germany", "country")  # Dutch
    assert lookup("Saksamaa") == ("Germany", "country")  # Estonian
    # a short or ambiguous translation is left out: "Man" (Isle of Man in Estonian) is not a country
    assert gazetteer().lookup("Man") is None or gazetteer().lookup("Man").kind != "country"


def test_a_latin_name_a_key_away_from_a_town_is_not_that_town():
    # transliteration keys join scripts; in Latin letters a company a key away from a town is not the town
    gaz = gazetteer()
    assert gaz.lookup("Nvidia") is None
    assert gaz.lookup("Kharkov").name == "Kharkiv"  # a spelling the gazetteer knows still is
