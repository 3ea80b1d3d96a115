"""Compile the translation catalogues (locale/<lang>/LC_MESSAGES/django.po) to .mo files.

Pure Python (polib), so the install step needs no gettext tools: `make install` runs it on any machine.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every django.po under LOCALE_PATHS to django.mo (without GNU gettext)."

    def handle(self, *args, **options):
        count = 0
        for root in settings.LOCALE_PATHS:
            for source in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(source))
                catalogue.save_as_mofile(str(source.with_suffix(".mo")))
                count += 1
        self.stdout.write(f"compiled {count} catalogue(s)")
