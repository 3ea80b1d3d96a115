"""Test settings: the real settings with fast hashing and no HTTPS redirect."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "k" * 48)

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = None  # whitenoise serves from the finders; nothing is collected in tests
CELERY_TASK_ALWAYS_EAGER = True  # tests run tasks in-process even when REDIS_URL is set

if DATABASES["default"]["ENGINE"] == "config.postgresql":  # noqa: F405
    # One test database per run, so runs on the same server never drop each other's database.
    DATABASES["default"]["TEST"] = {"NAME": f"test_mentoring_{os.getpid()}"}  # noqa: F405
