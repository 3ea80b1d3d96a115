"""`manage.py rotate_issuer_key <organisation-slug> [--compromised]`: a new signing key for an organisation."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from badges import issuing
from common.errors import DomainError


class Command(BaseCommand):
    help = (
        "Retire an organisation's badge signing key and make a new one. What the old key signed still "
        "verifies, unless --compromised: then it reads as signed by an unknown key."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="the organisation's slug")
        parser.add_argument(
            "--compromised", action="store_true", help="the old key leaked: what it signed stops verifying"
        )

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']!r}.")
        try:
            key = issuing.rotate_issuer_key(organisation, compromised=options["compromised"])
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{organisation.slug}: new key {key.kid}")
