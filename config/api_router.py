from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api.views import (
    CurrentUserViewSet,
    InvitationViewSet,
    PersonViewSet,
    ProgramViewSet,
)
from certification.api.views import (
    CertificationReportView,
    CertificationTypeViewSet,
    CertificationViewSet,
    ContinuingEducationViewSet,
)
from checkins.api.views import CheckInViewSet, GroupSessionViewSet
from mentorship.api.views import AssignmentViewSet, MenteeViewSet, MentorViewSet
from notifications.api.views import NotificationViewSet
from recovery_plans.api.views import ActionStepViewSet, GoalViewSet, RecoveryPlanViewSet
from referrals.api.views import (
    ConsentViewSet,
    DisclosureViewSet,
    ReferralViewSet,
    ResourceViewSet,
)
from supervision.api.views import SupervisionSessionViewSet, SupervisorViewSet

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
router.register("plans", RecoveryPlanViewSet, basename="plan")
router.register("goals", GoalViewSet, basename="goal")
router.register("action-steps", ActionStepViewSet, basename="action-step")
router.register("checkins", CheckInViewSet, basename="checkin")
router.register("group-sessions", GroupSessionViewSet, basename="group-session")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("certification-types", CertificationTypeViewSet, basename="certification-type")
router.register("certifications", CertificationViewSet, basename="certification")
router.register("continuing-education", ContinuingEducationViewSet, basename="continuing-education")
router.register("resources", ResourceViewSet, basename="resource")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("consents", ConsentViewSet, basename="consent")
router.register("disclosures", DisclosureViewSet, basename="disclosure")
router.register("supervisors", SupervisorViewSet, basename="supervisor")
router.register("supervision-sessions", SupervisionSessionViewSet, basename="supervision-session")

app_name = "api"
urlpatterns = [
    *router.urls,
    path(
        "reports/certifications/", CertificationReportView.as_view(), name="report-certifications"
    ),
]
