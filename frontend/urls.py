from django.urls import include, path

from frontend import badge_pages, views

auth_patterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("account/", include(auth_patterns)),
    path("join/mentee/", views.signup_mentee, name="signup-mentee"),
    path("join/volunteer/", views.signup_volunteer, name="signup-volunteer"),
    path("my/help-requests/", views.mentee_help_requests, name="mentee-help-requests"),
    path("my/profile/", views.profile, name="profile"),
    path("coordinator/help-requests/", views.coordinator_help_requests, name="coordinator-help-requests"),
    path("coordinator/overview/", views.coordinator_overview, name="coordinator-overview"),
    path("coordinator/queues/", views.coordinator_queues, name="coordinator-queues"),
    path("coordinator/volunteers/<int:volunteer_id>/vetting/", views.coordinator_vetting, name="coordinator-vetting"),
    path("coordinator/mentees/<int:mentee_id>/consent/", views.coordinator_consent, name="coordinator-consent"),
    path("coordinator/safeguarding-log/", views.coordinator_log, name="coordinator-log"),
    path("my/pairings/", views.my_pairings, name="my-pairings"),
    path("my/availability/", views.availability, name="availability"),
    path("my/data/", views.my_data, name="my-data"),
    path("my/data/export/", views.my_data_export, name="my-data-export"),
    path("slots/", views.slot_list, name="slots"),
    path("slots/new/", views.slot_create, name="slot-create"),
    path("slots/<int:slot_id>/", views.slot_join, name="slot-join"),
    path("my/pairings/<int:pairing_id>/sessions/", views.session_book, name="session-book"),
    path("my/sessions/<int:session_id>/", views.session_change, name="session-change"),
    path("conversations/<int:conversation_id>/", views.conversation, name="conversation"),
    path(
        "conversations/<int:conversation_id>/messages/<int:message_id>/report/",
        views.message_report,
        name="message-report",
    ),
    path("coordinator/match-runs/", views.coordinator_match_runs, name="coordinator-match-runs"),
    path("coordinator/match-runs/<int:run_id>/", views.coordinator_match_run, name="coordinator-match-run"),
    path("coordinator/proposals/", views.coordinator_proposals, name="coordinator-proposals"),
    path(
        "coordinator/pairings/<int:pairing_id>/approve/",
        views.coordinator_pairing_approve,
        name="coordinator-pairing-approve",
    ),
    path("coordinator/pairings/<int:pairing_id>/pin/", views.coordinator_pairing_pin, name="coordinator-pairing-pin"),
    path(
        "coordinator/pairings/<int:pairing_id>/reject/",
        views.coordinator_pairing_reject,
        name="coordinator-pairing-reject",
    ),
    path("coordinator/held-messages/", views.coordinator_held_messages, name="coordinator-held-messages"),
    path(
        "coordinator/held-messages/<int:message_id>/", views.coordinator_held_message, name="coordinator-held-message"
    ),
    path("coordinator/reports/", views.coordinator_reports, name="coordinator-reports"),
    path("coordinator/reports/<int:report_id>/", views.coordinator_report, name="coordinator-report"),
    path("my/badges/", badge_pages.wallet, name="wallet"),
    path("my/badges/<int:award_id>/share/", badge_pages.award_share, name="award-share"),
    *[
        path(
            f"my/badges/<int:award_id>/credential.{form}",
            badge_pages.award_download,
            {"form": form},
            name=f"award-{form}",
        )
        for form in ("jwt", "json", "svg")
    ],
    path("badges/shared/<str:slug>/", badge_pages.shared_badge, name="shared-badge"),
    path("badges/verify/", badge_pages.verify, name="badge-verify-page"),
    path("nominations/new/", badge_pages.nomination_create, name="nomination-create"),
    path("coordinator/nominations/", badge_pages.coordinator_nominations, name="coordinator-nominations"),
    path(
        "coordinator/nominations/<int:nomination_id>/approve/",
        badge_pages.coordinator_nomination_approve,
        name="coordinator-nomination-approve",
    ),
    path(
        "coordinator/nominations/<int:nomination_id>/reject/",
        badge_pages.coordinator_nomination_reject,
        name="coordinator-nomination-reject",
    ),
    path("coordinator/badge-classes/", badge_pages.coordinator_badge_classes, name="coordinator-badge-classes"),
    path(
        "coordinator/badge-classes/<int:badge_class_id>/retire/",
        badge_pages.coordinator_badge_class_retire,
        name="coordinator-badge-class-retire",
    ),
    path("coordinator/awards/", badge_pages.coordinator_awards, name="coordinator-awards"),
    path(
        "coordinator/awards/<int:award_id>/revoke/",
        badge_pages.coordinator_award_revoke,
        name="coordinator-award-revoke",
    ),
]
