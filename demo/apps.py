from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (`manage.py seed_demo`), built through every app's services; nothing depends on it."""

    name = "demo"
