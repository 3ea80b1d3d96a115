from django.urls import include, path

from frontend import views

auth_patterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include(auth_patterns)),
    path("join/mentee/", views.signup_mentee, name="signup-mentee"),
    path("join/volunteer/", views.signup_volunteer, name="signup-volunteer"),
    path("my/help-requests/", views.mentee_help_requests, name="mentee-help-requests"),
    path("my/profile/", views.volunteer_profile, name="volunteer-profile"),
    path("coordinator/help-requests/", views.coordinator_help_requests, name="coordinator-help-requests"),
    path("coordinator/queues/", views.coordinator_queues, name="coordinator-queues"),
    path("coordinator/volunteers/<int:volunteer_id>/vetting/", views.coordinator_vetting, name="coordinator-vetting"),
    path("coordinator/mentees/<int:mentee_id>/consent/", views.coordinator_consent, name="coordinator-consent"),
    path("coordinator/safeguarding-log/", views.coordinator_log, name="coordinator-log"),
]
