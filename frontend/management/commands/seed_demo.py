from django.core.management.base import BaseCommand

from frontend.demo_data import PASSWORD, seed


class Command(BaseCommand):
    help = "Load realistic demo data (idempotent): four organisations, coordinators, volunteers, mentees."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (the same seed gives the same data)")

    def handle(self, *args, seed_value=None, **options):
        summary = seed(options["seed"])
        self.stdout.write(
            f"Created {summary.organisations} organisations, {summary.coordinators} coordinators, "
            f"{summary.volunteers} volunteers, {summary.mentees} mentees, {summary.help_requests} help requests."
        )
        self.stdout.write(f"Demo logins (password {PASSWORD}): coordinator.madrid@demo.example, "
                          "volunteer@demo.example, mentee@demo.example, minor@demo.example, admin@demo.example")
