from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api.views import (
    CurrentUserViewSet,
    InvitationViewSet,
    PersonViewSet,
    ProgramViewSet,
)
from certification.api.views import (
    CertificationDocumentViewSet,
    CertificationReportView,
    CertificationTypeViewSet,
    CertificationViewSet,
    ContinuingEducationViewSet,
)
from checkins.api.views import (
    CheckInViewSet,
    GroupSessionViewSet,
    RecoveryCapitalViewSet,
    ScheduleViewSet,
)
from mentorship.api.views import (
    AssignmentViewSet,
    MenteeViewSet,
    MentorViewSet,
    StatusChangeViewSet,
)
from notifications.api.views import NotificationPreferenceViewSet, NotificationViewSet
from recovery_plans.api.views import (
    ActionStepViewSet,
    GoalViewSet,
    PlanTemplateViewSet,
    RecoveryPlanViewSet,
    SafetyPlanViewSet,
    SupportViewSet,
    TriggerViewSet,
)
from referrals.api.views import (
    ConsentViewSet,
    DisclosureViewSet,
    ReferralViewSet,
    ResourceViewSet,
)
from reports.api.follow_ups import FollowUpViewSet
from reports.api.views import OutcomeReportView
from supervision.api.views import (
    ApprovalRequestViewSet,
    FollowUpRequestViewSet,
    SupervisionSessionViewSet,
    SupervisorViewSet,
)

# No `.json` suffix routes: the API speaks JSON (and CSV through `?format=`),
# and a suffix route on an action answered 500. What the router publishes is
# what tests/test_api_routes.py calls.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("programs", ProgramViewSet, basename="program")
router.register("users", CurrentUserViewSet, basename="user")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("people", PersonViewSet, basename="person")
router.register("mentors", MentorViewSet, basename="mentor")
router.register("mentees", MenteeViewSet, basename="mentee")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("status-changes", StatusChangeViewSet, basename="status-change")
router.register("plans", RecoveryPlanViewSet, basename="plan")
router.register("goals", GoalViewSet, basename="goal")
router.register("action-steps", ActionStepViewSet, basename="action-step")
router.register("triggers", TriggerViewSet, basename="trigger")
router.register("supports", SupportViewSet, basename="support")
router.register("safety-plans", SafetyPlanViewSet, basename="safety-plan")
router.register("plan-templates", PlanTemplateViewSet, basename="plan-template")
router.register("checkins", CheckInViewSet, basename="checkin")
router.register("recovery-capital", RecoveryCapitalViewSet, basename="recovery-capital")
router.register("schedules", ScheduleViewSet, basename="schedule")
router.register("group-sessions", GroupSessionViewSet, basename="group-session")
router.register("notifications", NotificationViewSet, basename="notification")
router.register(
    "notification-preferences",
    NotificationPreferenceViewSet,
    basename="notification-preference",
)
router.register("certification-types", CertificationTypeViewSet, basename="certification-type")
router.register("certifications", CertificationViewSet, basename="certification")
router.register("continuing-education", ContinuingEducationViewSet, basename="continuing-education")
router.register(
    "certification-documents", CertificationDocumentViewSet, basename="certification-document"
)
router.register("resources", ResourceViewSet, basename="resource")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("consents", ConsentViewSet, basename="consent")
router.register("disclosures", DisclosureViewSet, basename="disclosure")
router.register("supervisors", SupervisorViewSet, basename="supervisor")
router.register("supervision-sessions", SupervisionSessionViewSet, basename="supervision-session")
router.register("follow-up-windows", FollowUpViewSet, basename="follow-up-window")
router.register("follow-ups", FollowUpRequestViewSet, basename="follow-up")
router.register("approvals", ApprovalRequestViewSet, basename="approval")

app_name = "api"
urlpatterns = [
    *router.urls,
    path(
        "reports/certifications/", CertificationReportView.as_view(), name="report-certifications"
    ),
    path("reports/outcomes/", OutcomeReportView.as_view(), name="report-outcomes"),
]
