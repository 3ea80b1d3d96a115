from django.urls import path
from rest_framework.routers import SimpleRouter

from mentees import api

router = SimpleRouter()
router.register("mentees", api.MenteeViewSet, basename="mentee")
router.register("help-requests", api.HelpRequestViewSet, basename="help-request")

urlpatterns = [
    path("signup/mentee/", api.MenteeSignupView.as_view(), name="signup-mentee"),
    *router.urls,
]
