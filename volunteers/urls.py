from django.urls import path
from rest_framework.routers import SimpleRouter

from volunteers import api

router = SimpleRouter()
router.register("volunteers", api.VolunteerViewSet, basename="volunteer")

urlpatterns = [
    path("signup/volunteer/", api.VolunteerSignupView.as_view(), name="signup-volunteer"),
    *router.urls,
]
