"""Chinese names in Latin letters and as Russian and Ukrainian write them (common/palladius.py)."""
from conftest import make_analysis
from storyline.common.names import name_key
from storyline.common.palladius import palladius
from storyline.corpus.resolve import resolve


def test_pinyin_names_are_written_by_syllables():
    assert palladius("Zhou Meiling") == "Чжоу Мэйлин"
    assert palladius("Wen Haoran") == "Вэнь Хаожань"
    assert palladius("Qiu Xuejun") == "Цю Сюэцзюнь"  # after j, q, x the u is ü
    assert palladius("Si Zhicheng") == "Сы Чжичэн"  # zi ci si are -ы, zhi chi shi -и
    # a Ukrainian spelling of the rendering has the same key
    assert name_key(palladius("Zhou Meiling")) == name_key("Чжоу Мейлін")


def test_names_that_are_not_pinyin_have_no_rendering():
    for name in ("Tomas Ebbing", "Mirela Dunca", "Pavel Vrastek", "Kim Min-jun", "Xi"):
        assert palladius(name) is None, name


def test_a_chinese_name_and_its_russian_rendering_are_one_person():
    resolution = resolve([(make_analysis("1", [("Zhou Meiling", "PERSON"), ("Tomas Ebbing", "PERSON")]), "en"),
                          (make_analysis("2", [("Чжоу Мэйлин", "PERSON")]), "ru"),
                          (make_analysis("3", [("Мэйлином", "PERSON"), ("Мэйлин", "PERSON")]), "ru")])
    by_alias = {alias: e.id for e in resolution.entities for alias in e.aliases}
    assert by_alias["Zhou Meiling"] == by_alias["Чжоу Мэйлин"] == by_alias["Мэйлин"]
    assert by_alias["Tomas Ebbing"] != by_alias["Zhou Meiling"]
