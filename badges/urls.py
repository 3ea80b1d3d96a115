"""The badges API (under /api/) and the public documents credentials point at (under /badges/)."""

from django.urls import path

from badges import api
from config.routers import Router

router = Router()
router.register("badge-classes", api.BadgeClassViewSet, basename="badge-class")
router.register("awards", api.AwardViewSet, basename="award")
router.register("nominations", api.NominationViewSet, basename="nomination")

urlpatterns = [
    path("awards/<int:award_id>/credential.jwt", api.CredentialJwtView.as_view(), name="award-credential-jwt"),
    path("awards/<int:award_id>/credential.json", api.CredentialJsonView.as_view(), name="award-credential-json"),
    path("awards/<int:award_id>/badge.svg", api.BadgeSvgView.as_view(), name="award-badge-svg"),
    path("badges/shared/<str:slug>/", api.SharedBadgeView.as_view(), name="badge-shared"),
    path("badges/verify/", api.VerifyView.as_view(), name="badge-verify"),
    *router.urls,
]

# Absolute URLs inside credentials: they must stay where they are.
public_urlpatterns = [
    path("issuers/<slug:slug>/", api.IssuerProfileView.as_view(), name="badge-issuer"),
    path("issuers/<slug:slug>/did.json", api.DidDocumentView.as_view(), name="badge-issuer-did"),
    path("issuers/<slug:slug>/jwks.json", api.JwksView.as_view(), name="badge-issuer-jwks"),
    path("status/<slug:slug>/", api.StatusListView.as_view(), name="badge-status-list"),
    path("classes/<int:badge_class_id>/", api.BadgeClassPublicView.as_view(), name="badge-class-public"),
    path("classes/<int:badge_class_id>/image.svg", api.BadgeClassImageView.as_view(), name="badge-class-image"),
]
