"""Skills were stored as canonical keys ("project_management"); they are now kept as typed.

Each stored key becomes its label in the organization's language ("Projektledelse"), which is
what the person would have typed; keys outside the vocabulary become their words. Organization
aliases are compared in the new label form (folded).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from talentpool.skills.labels import label_form, labels_from_keys

    Candidate = apps.get_model("candidates", "Candidate")
    SkillAlias = apps.get_model("candidates", "SkillAlias")
    for candidate in Candidate.objects.exclude(skills=[]).select_related("organization").iterator():
        candidate.skills = labels_from_keys(candidate.skills or [], candidate.organization.language)
        candidate.save(update_fields=["skills"])
    for alias in SkillAlias.objects.all():
        folded = label_form(alias.label)
        if folded != alias.label and not SkillAlias.objects.filter(
            organization_id=alias.organization_id, label=folded
        ).exists():
            alias.label = folded
            alias.save(update_fields=["label"])


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0004_alter_candidate_skills"),
        ("core", "0002_organization_country_organization_default_radius_km_and_more"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
