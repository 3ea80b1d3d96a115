from django.urls import path

from config.routers import Router
from volunteers import api

router = Router()
router.register("volunteers", api.VolunteerViewSet, basename="volunteer")

urlpatterns = [
    path("signup/volunteer/", api.VolunteerSignupView.as_view(), name="signup-volunteer"),
    path("me/become-volunteer/", api.BecomeVolunteerView.as_view(), name="become-volunteer"),
    *router.urls,
]
