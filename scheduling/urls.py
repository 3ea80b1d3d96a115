from django.urls import path

from config.routers import Router
from scheduling import api

router = Router()
router.register("slots", api.SlotViewSet, basename="slot")
router.register("match-runs", api.MatchRunViewSet, basename="match-run")
router.register("pairings", api.PairingViewSet, basename="pairing")
router.register("sessions", api.SessionViewSet, basename="session")

urlpatterns = [
    path("availability/", api.AvailabilityView.as_view(), name="availability"),
    path("availability/<int:user_id>/", api.PersonAvailabilityView.as_view(), name="person-availability"),
    *router.urls,
]
