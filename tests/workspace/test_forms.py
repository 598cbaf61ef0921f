"""What recruiters type becomes lists as they wrote them; nothing is JSON."""

from __future__ import annotations

from typing import cast

from talentpool.workspace.forms import LanguagesField, LinesField, SkillLinesField


def test_skills_are_split_on_lines_and_commas_but_not_inside_parentheses():
    field = SkillLinesField(required=False)
    assert field.clean("Kørekort (B, C)\nPRINCE2, agile\n\n") == ["Kørekort (B, C)", "PRINCE2", "agile"]


def test_links_are_kept_as_whole_lines_however_long():
    link = "https://portfolio.example/" + "a" * 150
    assert LinesField(required=False, chips=False).clean(f"{link}\n{link}\n") == [link]


def test_a_stored_language_outside_the_usual_ones_is_still_offered():
    field = LanguagesField()
    field.offer(["da", "it"])
    codes = [code for code, _label in cast(list[tuple[str, str]], field.choices)]
    assert codes[-1] == "it"
    assert field.clean(["it", "da"]) == ["it", "da"]
