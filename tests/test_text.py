"""Sentence splitting: where a full stop ends a sentence and where it does not."""
from policygraph.loaders.text import MAX_SENTENCE, sentences


def texts(text: str) -> list[str]:
    return [s.text for s in sentences(text)]


def test_a_full_stop_before_a_capital_ends_a_sentence():
    assert texts("The ministry met. The governor spoke! Was it so? Yes.") == [
        "The ministry met.", "The governor spoke!", "Was it so?", "Yes."]


def test_abbreviations_and_initials_do_not_end_a_sentence():
    assert texts("Dr. Kim met Gov. Lee in the U.S. Senate. Kim J. Park agreed.") == [
        "Dr. Kim met Gov. Lee in the U.S. Senate.", "Kim J. Park agreed."]


def test_a_word_ending_like_an_abbreviation_still_ends_a_sentence():
    # "dr" and "co" are abbreviations; "hydr." and "Daeco." are not
    assert texts("They chose Daeco. The plan starts.") == ["They chose Daeco.", "The plan starts."]


def test_a_long_run_of_letters_before_the_stop_is_a_word_not_an_abbreviation():
    run = "x" * 60 + "dr"
    assert texts(f"See {run}. Then more.") == [f"See {run}.", "Then more."]


def test_offsets_point_back_into_the_text():
    text = "  First one.   Second one.\n\nThird line"
    for s in sentences(text):
        assert text[s.start:s.end] == s.text


def test_a_sentence_without_stops_is_cut_to_a_bounded_length():
    text = " ".join(["word"] * 2000)
    parts = sentences(text)
    assert len(parts) > 1 and all(len(s.text) <= MAX_SENTENCE for s in parts)
    assert " ".join(s.text for s in parts) == text
