"""Openings' skills were stored as canonical keys; they are now kept as typed (see candidates 0005)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from talentpool.skills.labels import labels_from_keys as convert

    Opening = apps.get_model("openings", "Opening")
    for opening in Opening.objects.select_related("organization").iterator():
        language = opening.organization.language
        opening.must_have_skills = convert(opening.must_have_skills or [], language)
        opening.nice_to_have_skills = convert(opening.nice_to_have_skills or [], language)
        opening.save(update_fields=["must_have_skills", "nice_to_have_skills"])


class Migration(migrations.Migration):
    dependencies = [("openings", "0002_opening_experience_level_opening_hard_skills_and_more")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
