from __future__ import annotations

import pytest

from talentpool.core.text import fold
from talentpool.skills.text import label_words, one_edit_apart, stem, tokens


def test_folding_writes_nordic_letters_out_and_drops_accents():
    assert fold("Tømrer Ærø Åbenrå") == "toemrer aeroe aabenraa"
    assert fold("Lärare Göteborg") == "laerare goeteborg"
    assert fold("Café Crème") == "cafe creme"


def test_tokens_keep_programming_names_whole():
    assert tokens("C++, C#, .NET og Node.js") == ["c++", "c#", ".net", "og", "node.js"]


@pytest.mark.parametrize(
    ("forms", "why"),
    [
        (["tømrer", "tømrere", "tømreren", "tømrerne"], "Danish plural and definite forms"),
        (["snickare", "snickaren", "snickarna"], "Swedish definite and plural forms"),
        (["undersköterska", "undersköterskor"], "Swedish plural in -or"),
        (["manager", "managers"], "English plural"),
        (["kok", "kokke"], "a doubled consonant left by the ending"),
    ],
)
def test_inflections_of_one_word_share_a_stem(forms, why):
    assert len({stem(fold(form)) for form in forms}) == 1, why


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("SolidWorks 2023", ["solidworks"]),
        ("Truckcertifikat (certificeret)", ["truckcertifikat"]),
        ("Sr. Python developer", ["python", "developer"]),
        ("min. 3 års erfaring med SAP", ["3", "med", "sap"]),
        ("Kode 95", ["kode", "95"]),
        ("Python 3.11", ["python"]),
        ("ISO 9001", ["iso", "9001"]),
        ("Senior", ["senior"]),
    ],
)
def test_label_words_leave_out_qualifiers_and_versions_but_not_standards(label, words):
    assert label_words(label) == words


def test_one_edit_covers_a_changed_added_dropped_or_swapped_letter():
    assert one_edit_apart("sygeplejerske", "sygeplejeske")
    assert one_edit_apart("projektleder", "projketleder")
    assert one_edit_apart("lastbilmekaniker", "lastbilsmekaniker")
    assert not one_edit_apart("elektriker", "elektronik")
