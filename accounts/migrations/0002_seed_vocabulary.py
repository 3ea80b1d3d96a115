"""Seed the shared vocabulary (languages, skills and help areas); re-running it changes nothing."""

from django.db import migrations

from accounts.vocabulary import LANGUAGES, SKILLS


def seed(apps, schema_editor):
    Language = apps.get_model("accounts", "Language")
    Skill = apps.get_model("accounts", "Skill")
    for code, name, native_name, rtl in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name, "native_name": native_name, "rtl": rtl})
    for slug, label, category in SKILLS:
        Skill.objects.update_or_create(slug=slug, defaults={"label": label, "category": category})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
