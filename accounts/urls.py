from django.urls import path

from accounts import api
from config.routers import Router

router = Router()
router.register("vocabulary/languages", api.LanguageViewSet, basename="language")
router.register("vocabulary/skills", api.SkillViewSet, basename="skill")
router.register("organisations", api.OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("auth/csrf/", api.CsrfView.as_view(), name="auth-csrf"),
    path("auth/login/", api.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", api.LogoutView.as_view(), name="auth-logout"),
    path("auth/token/", api.TokenView.as_view(), name="auth-token"),
    path("auth/password/", api.PasswordChangeView.as_view(), name="auth-password"),
    path("auth/me/", api.MeView.as_view(), name="auth-me"),
    path("me/export/", api.ExportView.as_view(), name="me-export"),
    path("me/erase/", api.EraseView.as_view(), name="me-erase"),
    *router.urls,
]
