"""Events from whole articles, through ``analyze``: spaCy's English model (natasha for Russian and
Ukrainian, and the sentence encoder) parses them, so every test here loads a model and the module is
marked slow.  The rules of each step, on parses built by hand and without a model, are tested fast in
``test_event_rules.py`` (events) and ``test_date_rules.py`` (date rules).
"""
from collections import Counter

import pytest

from helpers import article, day
from storyline.article.analyze import analyze
from storyline.corpus.event_merge import merge_events
from storyline.corpus.resolve import resolve

pytestmark = pytest.mark.slow  # loads the spaCy model


def events_of(text, published="2014-03-05", language="en"):
    a = article(text, published, language=language)
    result = analyze(a)
    return a, result, [e for e in result.events]


def names(result, event):
    return sorted(result.mentions[i].text for i in event.participants)


def test_meeting_with_absolute_date_place_and_participants():
    _, result, events = events_of("Mirela Dunca met Pavel Hrodna in Lausanne on March 3 to discuss the plan.")
    meeting = next(e for e in events if e.type == "meeting")
    assert (meeting.first, meeting.last) == (day("2014-03-03"), day("2014-03-03"))
    assert names(result, meeting) == ["Mirela Dunca", "Pavel Hrodna"]
    assert result.mentions[meeting.place].text == "Lausanne"
    assert meeting.status == "happened" and meeting.plover == "CONSULT"


def test_scheduled_meeting_tomorrow_and_on_a_weekday():
    # published Wednesday 2014-03-05
    _, _, events = events_of("Mirela Dunca will meet Pavel Hrodna in Lausanne tomorrow.")
    meeting = next(e for e in events if e.type == "meeting")
    assert meeting.first == day("2014-03-06") and meeting.status == "scheduled"
    _, _, events = events_of("Mirela Dunca will meet Pavel Hrodna in Lausanne on Monday.")
    assert next(e for e in events if e.type == "meeting").first == day("2014-03-10")
    _, _, events = events_of("Mirela Dunca met Pavel Hrodna in Lausanne on Monday.")
    assert next(e for e in events if e.type == "meeting").first == day("2014-03-03")


def test_unknown_publication_date_gives_no_relative_date():
    _, _, events = events_of("Mirela Dunca met Pavel Hrodna in Lausanne on Monday.", published=None)
    meeting = next(e for e in events if e.type == "meeting")
    assert meeting.first is None and meeting.status == "unknown"


def test_reporting_day_is_not_the_event_day():
    _, _, events = events_of("The talks between Mirela Dunca and Pavel Hrodna in Lausanne were tense, "
                             "the agency reported on Tuesday.")
    meeting = next(e for e in events if e.type == "meeting")
    assert meeting.first is None


def test_phone_call_and_visit():
    _, result, events = events_of("Mirela Dunca held a phone call with Pavel Hrodna on Sunday.")
    call = next(e for e in events if e.type == "call")
    assert call.first == day("2014-03-02") and names(result, call) == ["Mirela Dunca", "Pavel Hrodna"]
    _, result, events = events_of("Tomas Ebbing arrived in Berlin on Monday for a two-day visit.")
    visit = next(e for e in events if e.type == "visit")
    assert result.mentions[visit.place].text == "Berlin"


def test_possessive_is_not_a_participant_and_speaker_is_not_either():
    _, result, events = events_of("Hrodna's deputy Irina Vasko met Tomas Ebbing in Berlin on Monday, "
                                  "Mirela Dunca said.")
    meeting = next(e for e in events if e.type == "meeting")
    assert names(result, meeting) == ["Irina Vasko", "Tomas Ebbing"]


def test_statement_and_plan_points():
    _, result, events = events_of('Pavel Hrodna said on Tuesday that the 12-point plan "needs more work before anyone '
                                  'signs it".')
    statement = next(e for e in events if e.type == "statement")
    assert names(result, statement) == ["Pavel Hrodna"] and statement.first == day("2014-03-04")
    assert [f.value for f in result.facts] == ["12"]
    assert result.quotes and result.mentions[result.quotes[0].speaker].text == "Pavel Hrodna"


def test_scheduled_event_later_reported_as_held_is_one_event():
    first = article("Mirela Dunca and Pavel Hrodna will meet in Lausanne on Friday.", "2014-03-05", "a1",
                    "Harbour Times")
    second = article("Mirela Dunca met Pavel Hrodna in Lausanne on Friday, officials said.", "2014-03-08", "a2",
                     "Valdoria Daily")
    analyses = {a.id: analyze(a) for a in (first, second)}
    resolution = resolve([(analyses[a], "en") for a in analyses])
    events = merge_events({first.id: first, second.id: second}, analyses, resolution, {}, {})
    meetings = [e for e in events if e.type == "meeting"]
    assert len(meetings) == 1
    meeting = meetings[0]
    assert (meeting.first, meeting.status, meeting.place) == (day("2014-03-07"), "happened", "Lausanne")
    assert meeting.independent_sources == 2 and {m.article for m in meeting.mentions} == {"a1", "a2"}


def test_syndicated_copy_counts_once():
    first = article("Mirela Dunca met Pavel Hrodna in Lausanne on Monday.", "2014-03-05", "a1", "Harbour Times")
    copy = article("Mirela Dunca met Pavel Hrodna in Lausanne on Monday.", "2014-03-05", "a2", "Aggregator")
    analyses = {a.id: analyze(a) for a in (first, copy)}
    resolution = resolve([(analyses[a], "en") for a in analyses])
    events = merge_events({first.id: first, copy.id: copy}, analyses, resolution, {}, {"a2": "a1"})
    meeting = next(e for e in events if e.type == "meeting")
    assert meeting.independent_sources == 1


def test_a_copy_does_not_make_a_thin_report_a_timeline_entry():
    text = "Officials said Tomas Ebbing held consultations on Monday."
    first, copy = article(text, "2014-03-05", "a1", "Harbour Times"), article(text, "2014-03-05", "a2", "Aggregator")
    analyses = {a.id: analyze(a) for a in (first, copy)}
    resolution = resolve([(analyses[a], "en") for a in analyses])
    as_copy = merge_events({first.id: first, copy.id: copy}, analyses, resolution, {}, {"a2": "a1"})
    assert all(e.thin for e in as_copy if e.type == "meeting")  # one person, no place, one report
    as_two = merge_events({first.id: first, copy.id: copy}, analyses, resolution, {}, {})
    assert any(not e.thin for e in as_two if e.type == "meeting")  # two outlets reporting it


def test_russian_and_ukrainian_triggers():
    _, result, events = events_of("Мирела Дунка встретилась с Павлом Гродной в Лозанне в понедельник.", language="ru")
    meeting = next(e for e in events if e.type == "meeting")
    assert meeting.first == day("2014-03-03") and len(meeting.participants) == 2
    _, result, events = events_of("Мірела Дунка провела телефонну розмову з Павлом Гродною 2 березня.", language="uk")
    call = next(e for e in events if e.type == "call")
    assert call.first == day("2014-03-02")


def test_the_same_day_is_the_day_just_named():
    _, result, events = events_of("On March 2, Mirela Dunca spoke at a rally in Valdor. "
                                  "On the same day, Pavel Hrodna met Tomas Ebbing in Lausanne.")
    meeting = next(e for e in events if e.type == "meeting")
    assert meeting.first == day("2014-03-02") and names(result, meeting) == ["Pavel Hrodna", "Tomas Ebbing"]


def test_a_sentence_opening_on_a_connective_borrows_the_day_and_its_adjunct_is_nobody():
    _, result, events = events_of("On Sunday, Mirela Dunca and Pavel Hrodna held talks in Lausanne. "
                                  "Shortly before Tomas Ebbing's arrival, Dunca held a lengthy call with Irina Vasko.")
    call = next(e for e in events if e.type == "call")
    assert call.first == day("2014-03-02")
    assert names(result, call) == ["Dunca", "Irina Vasko"]  # Ebbing only dates the call


def test_a_past_verb_reads_the_weekday_backwards_whatever_the_clause_says():
    # "plan to" and "ahead of" are future markers, but the meeting is told in the past tense
    _, _, events = events_of("Tomas Ebbing met officials in Saltmere on Tuesday in an attempt to rescue "
                             "a peace plan to end the war, ahead of a summit.")
    meeting = next(e for e in events if e.type == "meeting")
    assert meeting.first == day("2014-03-04") and meeting.status == "happened"


def test_a_modal_reads_the_weekday_ahead():
    _, _, events = events_of("Pavel Hrodna said officials could keep negotiating in Lausanne Monday.")
    meeting = next(e for e in events if e.type == "meeting")
    assert meeting.first == day("2014-03-10") and meeting.status == "scheduled"


def test_speaking_with_a_leader_is_a_call_speaking_to_reporters_is_not():
    _, result, events = events_of("Mirela Dunca spoke with Pavel Hrodna on Sunday.")
    call = next(e for e in events if e.type == "call")
    assert call.first == day("2014-03-02") and names(result, call) == ["Mirela Dunca", "Pavel Hrodna"]
    _, _, events = events_of("After speaking to reporters on Sunday, Mirela Dunca went home.")
    assert not [e for e in events if e.type == "call"]


def test_a_two_day_visit_spans_two_days():
    _, _, events = events_of("Tomas Ebbing arrived in Berlin on Monday for a two-day visit.")
    visit = next(e for e in events if e.type == "visit")
    assert (visit.first, visit.last) == (day("2014-03-03"), day("2014-03-04"))


def test_the_day_of_an_announcement_is_not_the_day_of_the_meeting():
    _, _, events = events_of("Earlier on March 3, Mirela Dunca announced a meeting with Pavel Hrodna.")
    meeting = next(e for e in events if e.type == "meeting")
    assert meeting.first is None


def _merged(*texts, published="2014-03-08", story=None):
    arts = {f"a{i}": article(text, published, f"a{i}", f"Outlet {i}") for i, text in enumerate(texts)}
    analyses = {k: analyze(a) for k, a in arts.items()}
    resolution = resolve([(analyses[k], "en") for k in analyses])
    return merge_events(arts, analyses, resolution, {k: story for k in arts} if story else {}, {})


def test_the_days_of_one_round_make_one_event_spanning_them():
    events = _merged("Mirela Dunca and Pavel Hrodna held talks in Lausanne on March 4.",
                     "The delegations met in Lausanne on March 6 for a third straight day of talks.")
    meetings = [e for e in events if e.type == "meeting" and not e.thin]
    assert len(meetings) == 1 and (meetings[0].first, meetings[0].last) == (day("2014-03-04"), day("2014-03-06"))


def test_a_day_only_floated_does_not_stretch_the_round():
    events = _merged("Mirela Dunca met Pavel Hrodna in Lausanne on Sunday. "
                     "Officials could continue the talks in Lausanne on Monday, Dunca said.", published="2014-03-02")
    meeting = next(e for e in events if e.type == "meeting" and not e.thin)
    assert (meeting.first, meeting.last) == (day("2014-03-02"), day("2014-03-02"))


def test_a_delegation_list_joins_the_meeting_before_it():
    _, result, events = events_of(
        "Mirela Dunca met Pavel Hrodna in Lausanne on Monday.\n\n"
        "Reporters waited outside for hours. "
        "The Valdorian delegation included Tomas Ebbing, Anna Varga and Ilse Korte.")
    meeting = next(e for e in events if e.type == "meeting")
    assert set(names(result, meeting)) == {"Mirela Dunca", "Pavel Hrodna", "Tomas Ebbing", "Anna Varga", "Ilse Korte"}


def test_a_team_that_is_not_listed_adds_nobody():
    _, result, events = events_of(
        "Mirela Dunca met Pavel Hrodna in Lausanne on Monday. Tomas Ebbing said the team would return.")
    meeting = next(e for e in events if e.type == "meeting")
    assert set(names(result, meeting)) == {"Mirela Dunca", "Pavel Hrodna"}


def test_a_russian_delegation_list_joins_the_meeting():
    _, result, events = events_of(
        "Мирела Дунка встретилась с Павлом Гродной в Лозанне 3 марта. "
        "В состав делегации вошли Томас Эббинг и Анна Варга.", language="ru")
    meeting = next(e for e in events if e.type == "meeting")
    assert len(names(result, meeting)) >= 3


def test_who_headed_each_delegation_joins_the_talks():
    _, result, events = events_of(
        "On Monday, talks took place in Lausanne. The Valdorian delegation was headed by Mirela Dunca, "
        "and the Ostravan delegation was led by Pavel Hrodna.")
    meeting = next(e for e in events if e.type == "meeting")
    assert {"Mirela Dunca", "Pavel Hrodna"} <= set(names(result, meeting))


def test_a_delegation_list_far_from_any_meeting_adds_nobody():
    filler = " ".join(f"Officials spoke about the harvest number {n}." for n in range(14))
    _, result, events = events_of(
        f"Mirela Dunca met Pavel Hrodna in Lausanne on Monday. {filler} "
        "The trade team included Tomas Ebbing and Anna Varga.")
    meeting = next(e for e in events if e.type == "meeting")
    assert set(names(result, meeting)) == {"Mirela Dunca", "Pavel Hrodna"}


# ---------------------------------------------------------------- evidence (issue 16)
def test_an_undated_report_never_joins_another_articles_event_by_names_alone():
    events = _merged("Mirela Dunca met Pavel Hrodna in Lausanne on March 4.",
                     "Mirela Dunca praised Pavel Hrodna after their meeting, aides said.")
    dated = next(e for e in events if e.type == "meeting" and e.first)
    assert {m.article for m in dated.mentions} == {"a0"}
    assert dated.independent_sources == 1


def test_an_undated_report_joins_the_dated_one_of_its_own_article():
    events = _merged("Mirela Dunca met Pavel Hrodna in Lausanne on March 4. "
                     "The meeting lasted five hours, officials said.")
    dated = next(e for e in events if e.type == "meeting" and e.first)
    assert [m.sentence for m in dated.mentions] == [0, 1]
    assert [m.date_basis for m in dated.mentions] == ["stated", "none"]


def test_an_undated_report_naming_the_pair_and_place_supports_the_event_without_counting():
    events = _merged("Mirela Dunca met Pavel Hrodna in Lausanne on March 4.",
                     "Mirela Dunca and Pavel Hrodna held talks in Lausanne, officials said.",
                     published="2014-03-05", story="s1")
    dated = next(e for e in events if e.type == "meeting" and e.first)
    assert {m.article for m in dated.mentions} == {"a0", "a1"}
    assert [m.date_basis for m in dated.mentions if m.article == "a1"] == ["none"]
    assert dated.independent_sources == 1  # the undated report is no source of the event


def test_an_undated_report_joins_nothing_outside_its_story_or_its_window():
    elsewhere = _merged("Mirela Dunca met Pavel Hrodna in Lausanne on March 4.",
                        "Mirela Dunca and Pavel Hrodna held talks in Lausanne, officials said.", published="2014-03-05")
    assert {m.article for e in elsewhere if e.first for m in e.mentions} == {"a0"}  # no story known
    late = _merged("Mirela Dunca met Pavel Hrodna in Lausanne on March 4.",
                   "Mirela Dunca and Pavel Hrodna held talks in Lausanne, officials said.",
                   published="2014-03-20", story="s1")
    assert {m.article for e in late if e.first for m in e.mentions} == {"a0"}  # weeks later: another round?


def test_a_place_that_qualifies_another_name_is_not_where_the_meeting_was():
    for text in ("Tomas Ebbing met Pavel Vrastek on March 3, hailing a new start in Portugal Brazil relations.",
                 "Tomas Ebbing and Pavel Vrastek held talks on March 3 about a new chapter in Portugal-Brazil trade."):
        _, result, events = events_of(text)
        meeting = next(e for e in events if e.type == "meeting")
        assert meeting.place is None, text
    _, result, events = events_of("Tomas Ebbing met Pavel Vrastek in Lisbon on March 3.")
    assert result.mentions[next(e for e in events if e.type == "meeting").place].text == "Lisbon"


def test_a_visit_of_several_days_and_a_meeting_on_one_of_them_stay_two_events():
    events = _merged("Pavel Vrastek is making a three-day state visit to Portugal from Monday to Wednesday.",
                     "Tomas Ebbing and Pavel Vrastek met in Lisbon on Monday.", published="2014-03-03", story="s1")
    dated = sorted((e.type, e.first, e.last) for e in events if e.first and not e.thin)
    assert ("visit", day("2014-03-03"), day("2014-03-05")) in dated
    assert ("meeting", day("2014-03-03"), day("2014-03-03")) in dated


def test_a_report_naming_nobody_joins_neither_of_two_events_of_its_day():
    events = _merged("Tomas Ebbing met Pavel Vrastek in Lisbon on March 4.",
                     "Anna Varga met Ilse Korte in Porto on March 4.",
                     "The meeting on March 4 lasted three hours.", story="s1")
    dated = [e for e in events if e.first and not e.thin and e.type == "meeting"]
    assert len(dated) == 2
    assert all("a2" not in {m.article for m in e.mentions} for e in dated)


def test_people_of_a_neighbouring_gathering_are_not_borrowed():
    # the sentence before names its own meeting: its people are that meeting's, not the consultations'
    _, result, events = events_of("Tomas Ebbing met Pavel Vrastek in Lisbon on Monday. "
                                  "Tomorrow I will hold consultations on the budget.")
    consultations = [e for e in events if e.trigger == "consultations"]
    assert consultations and all(not e.participants for e in consultations)
    # a list that goes with a gathering of its own sentence joins no earlier meeting
    _, result, events = events_of("Tomorrow I will hold consultations on the budget. At future negotiations, "
                                  "Portugal will be represented by Anna Varga and Ilse Korte.")
    assert all(not e.participants for e in events if e.trigger == "consultations")
    # a sentence naming nobody still takes the people of a neighbour that only names them
    _, result, events = events_of("The talks in Lisbon ended on Thursday. "
                                  "Tomas Ebbing and Pavel Vrastek both spoke of progress.")
    assert set(names(result, next(e for e in events if e.type == "meeting"))) == {"Tomas Ebbing", "Pavel Vrastek"}


def test_of_two_cities_next_to_each_other_the_smaller_is_the_place():
    events = _merged("Tomas Ebbing met Pavel Vrastek in Lisbon on March 4.",
                     "Tomas Ebbing and Pavel Vrastek held talks in Lisbon on March 4.",
                     "Tomas Ebbing met Pavel Vrastek in Amadora on March 4.", story="s1")
    meeting = next(e for e in events if e.type == "meeting" and e.first and not e.thin)
    assert meeting.place == "Amadora"


def test_an_undated_sentence_of_the_report_names_who_attended():
    events = _merged("Tomas Ebbing held talks in Lisbon on March 4. Officials said the meeting lasted hours. "
                     "The talks were attended by Tomas Ebbing, Anna Varga and Ilse Korte.", story="s1")
    meeting = next(e for e in events if e.type == "meeting" and e.first and not e.thin)
    assert {"Anna Varga", "Ilse Korte"} <= set(meeting.participants)


def test_a_report_of_what_happened_does_not_link_to_an_announcement():
    events = _merged("Anna Varga met Ilse Korte in Lisbon, officials said. "
                     "The two will meet again in Lisbon tomorrow.", published="2014-03-05", story="s1")
    scheduled = [e for e in events if e.first == day("2014-03-06")]
    assert all(m.sentence == 1 for e in scheduled for m in e.mentions)


def test_two_meetings_sharing_one_person_on_one_day_stay_apart():
    events = _merged("Foreign Minister Anna Varga met Pavel Hrodna in Lausanne on March 4.",
                     "Tomas Ebbing and Pavel Hrodna held talks in Lausanne on March 4.")
    meetings = [e for e in events if e.type == "meeting" and e.first]
    assert len(meetings) == 2


def test_confidence_grows_with_independent_outlets_and_falls_on_guesses():
    one = _merged("Mirela Dunca met Pavel Hrodna in Lausanne on March 4.")
    two = _merged("Mirela Dunca met Pavel Hrodna in Lausanne on March 4.",
                  "Pavel Hrodna and Mirela Dunca held talks in Lausanne on March 4, the ministry said.")
    single = next(e for e in one if e.type == "meeting" and e.first)
    double = next(e for e in two if e.type == "meeting" and e.first)
    assert 0 < single.confidence < double.confidence <= 1
    relative = _merged("Mirela Dunca met Pavel Hrodna in Lausanne on Tuesday.", published="2014-03-06")
    event = next(e for e in relative if e.type == "meeting" and e.first)
    assert event.mentions[0].date_basis == "relative" and event.confidence <= single.confidence


def test_a_chinese_weekday_in_a_clause_about_what_is_to_come_reads_ahead():
    from storyline.models import Article  # defer: only this test builds a Chinese article

    published = day("2014-03-05")  # a Wednesday
    for text, expected, status in (("會談將於周四在里斯本舉行。", day("2014-03-06"), "scheduled"),
                                   ("兩人周二在里斯本會見。", day("2014-03-04"), "happened")):
        found = analyze(Article("z1", text, text, ((0, 0, len(text)),), language="zh", published=published))
        meeting = next(e for e in found.events if e.type == "meeting")
        assert (meeting.first, meeting.status) == (expected, status), text


def test_clusters_of_one_day_and_place_are_one_happening_for_an_undated_report():
    """Arrival order may keep two reports of one day's talks apart until they are merged: an undated report
    naming both people then supports the fuller of them, where two different days would leave it alone."""
    from storyline.corpus.event_merge import _Cluster, _one_happening

    resolution = resolve([])
    same = [_Cluster("encounter", first=day("2014-03-04"), last=day("2014-03-04"), places=Counter(["Lausanne"]))
            for _ in range(2)]
    assert _one_happening(same, resolution)
    other_day = [same[0], _Cluster("encounter", first=day("2014-03-05"), last=day("2014-03-05"))]
    assert not _one_happening(other_day, resolution)
    other_place = [same[0], _Cluster("encounter", first=day("2014-03-04"), last=day("2014-03-04"),
                                     places=Counter(["Reykjavik"]))]
    assert not _one_happening(other_place, resolution)


def test_the_photographer_of_a_credit_is_no_participant():
    _, result, events = events_of("Mirela Dunca met Pavel Hrodna in Lausanne on Monday (photo Anna Varga) "
                                  "and the talks went on for hours, photo by Ilse Korte.")
    meeting = next(e for e in events if e.type == "meeting")
    assert set(names(result, meeting)) == {"Mirela Dunca", "Pavel Hrodna"}


def test_a_name_in_the_genitive_before_another_is_its_possessor_not_a_participant():
    """"with Vrastek's envoy Ebbing", as Russian writes it: Vrastek was not at the meeting."""
    _, result, events = events_of("Мирела Дунка встретилась в Лозанне 3 марта со спецпосланником "
                                  "Павла Врастека Томасом Эббингом.", language="ru")
    meeting = next(e for e in events if e.type == "meeting")
    people = names(result, meeting)
    assert not [p for p in people if "Врастек" in p]
    assert any("Эббинг" in p for p in people)
