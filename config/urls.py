from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import health

api_patterns = [
    path("", include("accounts.urls")),
    path("", include("volunteers.urls")),
    path("", include("mentees.urls")),
    path("", include("scheduling.urls")),
    path("", include("chat.urls")),
    path("", include("safeguarding.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("", include("frontend.urls")),
]
