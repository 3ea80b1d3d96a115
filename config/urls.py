from importlib import import_module

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from badges.urls import public_urlpatterns as badge_documents
from config import health

# One flat list: an app's URLconf included under "" that does not match made Django list every pattern it
# tried, on every request to an app after it (2 % of a pairings page's CPU).
api_patterns = [
    pattern
    for app in ("accounts", "volunteers", "mentees", "scheduling", "chat", "safeguarding", "badges")
    for pattern in import_module(f"{app}.urls").urlpatterns
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # Clients with tokens (phones, partners' tools) use /api/v1/, so a later /api/v2/ can change what they
    # rely on without breaking them; the pages use /api/, which follows the current version.
    path("api/v1/", include(api_patterns)),
    path("api/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # What Open Badges credentials point at (issuer profile, did:web, JWKS, status list): public, stable.
    path("badges/", include(badge_documents)),
    path("", include("frontend.urls")),
]
