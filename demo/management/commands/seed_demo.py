"""`manage.py seed_demo`: load the demo organisations, people and help requests (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation, Role, User
from demo.demo_data import DEFAULT_SEED, NAMED_LOGINS, PASSWORD, seed
from mentees.models import HelpRequest


class Command(BaseCommand):
    help = (
        "Load realistic demo data: four partner organisations with coordinators, volunteers, mentees and "
        "help requests. Running it again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"random seed (default {DEFAULT_SEED}); the same seed gives the same people, "
            "a different seed adds a different set",
        )

    def handle(self, *args, **options):
        try:
            summary = seed(options["seed"])
        except RuntimeError as error:  # the vocabulary is missing
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Created {summary.organisations} organisations, {summary.coordinators} coordinators, "
            f"{summary.volunteers} volunteers, {summary.mentees} mentees and {summary.help_requests} help requests."
        )
        roles = dict.fromkeys(Role.values, 0)
        for role in User.objects.values_list("role", flat=True):
            roles[role] += 1
        self.stdout.write(
            f"Now in the database: {Organisation.objects.count()} organisations, {roles[Role.COORDINATOR]} "
            f"coordinators, {roles[Role.VOLUNTEER]} volunteers, {roles[Role.MENTEE]} mentees, "
            f"{HelpRequest.objects.count()} help requests."
        )
        self.stdout.write(f"Demo logins (every demo account's password is {PASSWORD}):")
        for email, what in NAMED_LOGINS:
            self.stdout.write(f"  {email:<36} {what}")
