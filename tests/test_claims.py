"""Claims and conflicts on small synthetic stories, through the whole pipeline."""
import json

import pytest

from storyline import pipeline
from storyline.report.export import export_document
from storyline.settings import Settings
from storyline.store import Store

pytestmark = pytest.mark.slow


def run(tmp_path, records):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    db = str(tmp_path / "c.db")
    store = Store(db)
    pipeline.run([str(path)], store, Settings(db=db))
    return export_document(store)


def rec(i, outlet, published, text, language="en"):
    return {"id": i, "outlet": outlet, "published": published, "language": language, "title": text.split(".")[0],
            "text": text}


def test_plan_revised_over_time_is_superseded_but_same_day_disagreement_is_contested(tmp_path):
    doc = run(tmp_path, [
        rec("a", "Harbour Times", "2014-03-02",
            "Tomas Ebbing presented a 12-point plan to Mirela Dunca and Pavel Vrastek in Saltmere."),
        rec("b", "Evening Ledger", "2014-03-03",
            "The 12-point plan of Tomas Ebbing was discussed by Mirela Dunca and Pavel Vrastek in Saltmere."),
        rec("c", "Coastline Herald", "2014-03-13",
            "Mirela Dunca and Pavel Vrastek agreed in Norrholm to trim the plan to a 9-point framework."),
        rec("d", "Harbour Wire", "2014-03-14",
            "Pavel Vrastek said the 9-point framework agreed with Mirela Dunca in Norrholm would be signed."),
    ])
    points = {c["value"]: c["status"] for c in doc["claims"] if c["attribute"] == "plan_points"}
    assert points == {"12": "superseded", "9": "corroborated"}


def test_a_quote_is_recognised_across_outlets_trimmed_and_translated(tmp_path):
    doc = run(tmp_path, [
        rec("a", "Harbour Times", "2014-03-04",
            'Pavel Vrastek met Mirela Dunca in Saltmere on Monday. "We made real progress and we will meet again next '
            'week," Vrastek told reporters.'),
        rec("b", "Evening Ledger", "2014-03-04",
            'After meeting Mirela Dunca in Saltmere, Pavel Vrastek said: "We made real progress and we will meet '
            'again."'),
        rec("c", "Pribrezhny Vestnik", "2014-03-04",
            'Павел Врастек встретился с Мирелой Дункой в Солтмире. «Мы добились реального прогресса и снова '
            'встретимся на следующей неделе», — сказал Врастек.',
            "ru"),
    ])
    quotes = [c for c in doc["claims"] if c["attribute"] == "quote" and "a" in c["articles"]]
    assert len(quotes) == 1
    assert quotes[0]["status"] == "corroborated" and set(quotes[0]["articles"]) == {"a", "b", "c"}


def test_a_month_slip_and_two_given_names_are_conflicts(tmp_path):
    doc = run(tmp_path, [
        rec("a", "Harbour Times", "2014-03-10",
            "Valdorian and Ostravan delegations met in Saltmere on 3 March, with Ostravan ambassador Irina Stolova "
            "attending."),
        rec("b", "Evening Ledger", "2014-03-10",
            "Valdorian and Ostravan delegations met in Saltmere on 3 February, with Ostravan ambassador Olena Stolova "
            "attending."),
        rec("c", "Coastline Herald", "2014-03-11",
            "The Valdorian and Ostravan delegations that met in Saltmere on 3 March agreed to meet again."),
    ])
    attributes = {c["attribute"] for c in doc["conflicts"]}
    assert "date" in attributes
    dates = next(c for c in doc["conflicts"] if c["attribute"] == "date")
    assert {v["value"] for v in dates["values"]} == {"2014-03-03", "2014-02-03"}


def test_the_length_of_a_meeting_is_a_conflict_when_outlets_disagree(tmp_path):
    doc = run(tmp_path, [
        rec("a", "Harbour Times", "2014-03-04",
            "Pavel Vrastek met Mirela Dunca in Saltmere on 3 March. Vrastek said after the 87-minute summit that "
            "a deal was near."),
        rec("b", "Evening Ledger", "2014-03-04",
            "Fishing quotas dominated the agenda when Mirela Dunca and Pavel Vrastek held talks on Monday, 3 March, "
            "in the port of Saltmere. The discussions lasted nearly two hours."),
        rec("c", "Coastline Herald", "2014-03-05",
            "In Saltmere, Ostravan envoy Mirela Dunca received Pavel Vrastek on 3 March for talks on the border "
            "crossing. Their meeting lasted about 90 minutes, before a two-hour flight home."),
    ])
    lengths = [c for c in doc["conflicts"] if c["attribute"] == "duration"]
    assert len(lengths) == 1 and lengths[0]["topic"].startswith("length of: ")
    values = {v["value"]: v["articles"] for v in lengths[0]["values"]}
    assert values["87 minutes"] == ["a"] and values["nearly 120 minutes"] == ["b"]
    assert not any("flight" in s["text"] for v in lengths[0]["values"] for s in v["sentences"])


def test_lengths_that_agree_are_no_conflict(tmp_path):
    doc = run(tmp_path, [
        rec("a", "Harbour Times", "2014-03-04",
            "Pavel Vrastek met Mirela Dunca in Saltmere on 3 March. The talks lasted about 1 hour and 40 minutes."),
        rec("b", "Evening Ledger", "2014-03-04",
            "Fishing quotas dominated the agenda when Mirela Dunca and Pavel Vrastek held talks on Monday, 3 March, "
            "in the port of Saltmere. The discussions lasted less than two hours."),
    ])
    assert not [c for c in doc["conflicts"] if c["attribute"] == "duration"]


def test_a_title_or_another_persons_surname_is_no_first_name(tmp_path):
    doc = run(tmp_path, [
        rec("a", "Harbour Times", "2014-03-04",
            "Pavel Vrastek met PM Ebbing in Saltmere on 3 March. Tomas Ebbing left on Tuesday."),
        rec("b", "Evening Ledger", "2014-03-04",
            "Fishing quotas dominated the agenda when Tomas Ebbing and Pavel Vrastek held talks on Monday in the "
            "port of Saltmere."),
    ])
    assert not [c for c in doc["conflicts"] if c["attribute"] == "first_name"]


def test_a_venue_in_its_city_or_a_city_in_its_region_is_no_conflict_of_place_but_two_cities_are():
    from storyline.corpus import claims

    assert not claims._places_clash({"Lisbon": ["a"], "Lisbon International Airport": ["b"]})
    assert not claims._places_clash({"Lausanne": ["a"], "Vaud Canton Region": ["b"]})
    assert not claims._places_clash({"Porto": ["a"], "Porto Airport": ["b"]})
    assert claims._places_clash({"Lisbon": ["a"], "Porto": ["b"]})
    assert claims._places_clash({"Lisbon Airport": ["a"], "Porto": ["b"]})


def _meeting(eid, day, place, people, articles, thin=False):
    from datetime import date

    from storyline.models import Event, EventSource

    when = date.fromisoformat(day)
    return Event(eid, "meeting", "CONSULT", when, when, "happened", place, people, [], f"meeting {eid}",
                 [EventSource(a, 0, "They met.", day, "happened", date=day, date_basis="stated") for a in articles],
                 story="s1", thin=thin)


def test_the_same_envoys_meeting_in_two_places_or_a_thin_report_matching_two_rounds_is_no_date_conflict():
    """Envoys who travel together meet many counterparts: two dates in two cities are two meetings, and one
    thin report naming them on a third day is a misdating of neither round."""
    from storyline.corpus import claims

    envoys = ["Tomas Ebbing", "Anna Varga"]
    lisbon = _meeting("v1", "2014-03-03", "Lisbon", envoys, ["a1", "a2"])
    porto = _meeting("v2", "2014-03-06", "Porto", envoys, ["a3"])
    assert not claims._date_conflicts([lisbon, porto], {}, {})
    stray = _meeting("v3", "2014-03-09", None, envoys, ["a4"], thin=True)
    lausanne = _meeting("v4", "2014-03-12", "Lausanne", [*envoys, "Ilse Korte"], ["a5", "a6"])
    assert not claims._date_conflicts([lisbon, stray, lausanne], {}, {})
    # one well-reported round and one thin report of its people on another day: a conflict
    assert len(claims._date_conflicts([lisbon, stray], {}, {})) == 1


def test_a_lone_envoy_on_two_days_without_a_shared_place_is_two_meetings():
    from storyline.corpus import claims

    lisbon = _meeting("v1", "2014-03-03", "Lisbon", ["Tomas Ebbing"], ["a1", "a2"])
    elsewhere = _meeting("v2", "2014-03-05", None, ["Tomas Ebbing"], ["a3"], thin=True)
    assert not claims._date_conflicts([lisbon, elsewhere], {}, {})
    again = _meeting("v3", "2014-03-05", "Lisbon", ["Tomas Ebbing"], ["a3"], thin=True)
    assert len(claims._date_conflicts([lisbon, again], {}, {})) == 1
