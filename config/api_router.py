from rest_framework.routers import DefaultRouter

from accounts.api.views import CurrentUserViewSet, InvitationViewSet, ProgramViewSet

router = DefaultRouter()
router.register("programs", ProgramViewSet, basename="program")
router.register("users", CurrentUserViewSet, basename="user")
router.register("invitations", InvitationViewSet, basename="invitation")

app_name = "api"
urlpatterns = router.urls
