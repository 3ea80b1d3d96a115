from django.urls import path

from config.routers import Router
from mentees import api

router = Router()
router.register("mentees", api.MenteeViewSet, basename="mentee")
router.register("help-requests", api.HelpRequestViewSet, basename="help-request")

urlpatterns = [
    path("signup/mentee/", api.MenteeSignupView.as_view(), name="signup-mentee"),
    *router.urls,
]
