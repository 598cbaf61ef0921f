"""The candidate pages' forms. Labels and errors are translated; widgets carry no styling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from talentpool.candidates.models import Candidate
from talentpool.core.models import Language
from talentpool.openings.models import RunnerUp

NEW_SKILL_FIELDS = ("new_skill_1", "new_skill_2", "new_skill_3")
# Languages offered as checkboxes; any other code a candidate already has is kept and shown too.
COMMON_LANGUAGES = ("da", "sv", "no", "en", "de", "fi", "is", "fr", "es", "pl", "uk", "ar")


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code


class NewLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ProfileForm(forms.Form):
    headline = forms.CharField(
        label=_("Headline"),
        max_length=200,
        required=False,
        help_text=_("One line about what you do, for example “IT project manager”."),
    )
    skills = forms.MultipleChoiceField(
        label=_("Your skills"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a skill to remove it."),
    )
    new_skill_1 = forms.CharField(label=_("New skill 1"), max_length=100, required=False)
    new_skill_2 = forms.CharField(label=_("New skill 2"), max_length=100, required=False)
    new_skill_3 = forms.CharField(label=_("New skill 3"), max_length=100, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"), required=False, widget=forms.CheckboxSelectMultiple
    )
    location = forms.CharField(
        label=_("Where you live or want to work"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    availability = forms.CharField(
        label=_("When you could start"),
        max_length=200,
        required=False,
        help_text=_("For example “from March” or “three months’ notice”."),
    )
    language = forms.ChoiceField(
        label=_("Language for our emails"),
        choices=[(code.value, language_name(code.value)) for code in Language],
    )

    def __init__(self, *args: Any, candidate: Candidate, page_language: str, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "headline": candidate.headline,
                "skills": list(candidate.skills),
                "languages": list(candidate.languages),
                "location": candidate.location,
                "availability": candidate.availability,
                "language": candidate.language,
            },
        )
        super().__init__(*args, **kwargs)
        skills_field = self.fields["skills"]
        assert isinstance(skills_field, forms.MultipleChoiceField)
        skills_field.choices = [(label, label) for label in candidate.skills]
        codes = list(dict.fromkeys([*COMMON_LANGUAGES, *candidate.languages]))
        languages_field = self.fields["languages"]
        assert isinstance(languages_field, forms.MultipleChoiceField)
        languages_field.choices = [(code, language_name(code)) for code in codes]
        for name in NEW_SKILL_FIELDS:
            self.fields[name].widget.attrs.update({"list": "skill-suggestions", "autocomplete": "off"})

    def profile_data(self) -> dict[str, Any]:
        """The changes for ``candidate_change``: kept skills first, then the new ones."""
        data = self.cleaned_data
        new_skills = [data[name].strip() for name in NEW_SKILL_FIELDS if data.get(name, "").strip()]
        return {
            "headline": data["headline"].strip(),
            "skills": [*data["skills"], *new_skills],
            "languages": data["languages"],
            "location": data["location"].strip(),
            "availability": data["availability"].strip(),
            "language": data["language"],
        }


class CvForm(forms.Form):
    cv = forms.FileField(
        label=_("Your CV"),
        error_messages={
            "required": _("Choose your CV as a PDF or Word (.docx) file."),
            "empty": _("The file is empty. Choose your CV as a PDF or Word (.docx) file."),
        },
        widget=forms.FileInput(
            attrs={
                "accept": ".pdf,.docx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        size = f"{settings.CV_MAX_BYTES / (1024 * 1024):g}"
        self.fields["cv"].help_text = _("A PDF or Word (.docx) file of at most %(size)s MB.") % {"size": size}


class FeedbackRequestForm(forms.Form):
    runner_up = forms.ModelChoiceField(
        label=_("Which application?"), queryset=RunnerUp.objects.none(), empty_label=None
    )
    question = forms.CharField(
        label=_("Anything you would especially like to hear about? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, runner_ups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["runner_up"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = runner_ups
        field.label_from_instance = _opening_title  # type: ignore[method-assign,assignment]


def _opening_title(runner_up: RunnerUp) -> str:
    return runner_up.opening.title


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that everything about me is erased and cannot be brought back."),
        required=True,
    )
