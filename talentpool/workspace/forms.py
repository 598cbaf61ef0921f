"""Form fields for what recruiters type: lists as chips or lines, languages as choices, never JSON."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from talentpool.skills.labels import skill_labels_clean

LANGUAGE_CHOICES = [("da", _("Danish")), ("sv", _("Swedish")), ("en", _("English")), ("no", _("Norwegian")),
                    ("de", _("German")), ("fi", _("Finnish")), ("pl", _("Polish"))]  # fmt: skip


class ChipsWidget(forms.Textarea):
    """A list as chips typed in one's own words, with suggestions where ``suggest`` says so.

    Underneath it is a textarea with one item per line, which is what works without JavaScript.
    """

    class Media:
        css = {"all": ["workspace/workspace.css"]}
        js = ["workspace/chips.js"]

    def __init__(self, attrs: dict[str, Any] | None = None, *, suggest: bool = True) -> None:
        super().__init__(attrs={"rows": 4, "cols": 60, **(attrs or {})})
        self.suggest = suggest

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-chips": "1",
                "data-placeholder": gettext("Type and press Enter"),
                "data-remove-label": gettext("Remove"),
                "data-input-label": gettext("Add"),
            }
        )
        if self.suggest:
            context["widget"]["attrs"]["data-suggest-url"] = reverse(
                "admin:openings_opening_skill_suggestions"
            )
        return context


class LinesField(forms.CharField):
    """A list typed one per line (or separated by commas), kept as typed."""

    def __init__(self, *args: Any, chips: bool = True, suggest: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", ChipsWidget(suggest=suggest) if chips else forms.Textarea(attrs={"rows": 3, "cols": 60})
        )
        self.split_on_commas = chips
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(str(item) for item in value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        if not self.split_on_commas:  # links and the like: whole lines, as written
            return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
        return skill_labels_clean(re.split(r"[\n\r]+|,(?![^()]*\))", text))


class SkillLinesField(LinesField):
    """Skills in one's own words, with suggestions from the skill vocabulary; kept as typed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, suggest=True, **kwargs)


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code.upper()


class LanguagesField(forms.MultipleChoiceField):
    """Languages as checkboxes; a code already stored outside the usual ones is offered too."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", LANGUAGE_CHOICES)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def offer(self, codes: Any) -> None:
        known = {code for code, _label in LANGUAGE_CHOICES}
        extra = [(str(code), language_name(str(code))) for code in codes or [] if str(code) not in known]
        if extra:
            self.choices = [*self.choices, *extra]  # type: ignore[misc]
