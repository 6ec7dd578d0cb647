from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.conditional import ConditionalMixin, etag_of
from core.api.scoping import ScopedViewSetMixin
from core.api.service_errors import call_service

from .. import selectors, services
from ..models import Notification
from .filters import NotificationFilter


class NotificationSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    url = serializers.CharField(source="target_url", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "label",
            "due_key",
            "channel",
            "state",
            "created_at",
            "read_at",
            "url",
        ]
        read_only_fields = fields


class NotificationViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own notifications; mark one or all as read."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def scoped_queryset(self):
        return selectors.notification_list(user=self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None, responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})


class NotificationPreferenceSerializer(serializers.Serializer):
    """One kind the caller receives: also by email or not."""

    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    email = serializers.BooleanField()
    protected = serializers.BooleanField(
        read_only=True, help_text="Always mailed: an alert that protects people."
    )


class NotificationPreferenceViewSet(ConditionalMixin, viewsets.ViewSet):
    """The caller's own email preferences, one per kind their role receives.
    A kind they do not receive is 404; a protected kind cannot be turned off
    (400). PUT and PATCH set `email`; doing it twice changes nothing more.
    Each answer carries an ETag; a PUT or PATCH with a stale If-Match is 412."""

    # Any path segment reaches the view (a kind no one receives is the API's
    # JSON 404, not the site's HTML page for a URL that does not exist).
    lookup_field = "kind"
    serializer_class = NotificationPreferenceSerializer

    @extend_schema(responses=NotificationPreferenceSerializer(many=True))
    def list(self, request):
        rows = selectors.preference_list(user=request.user)
        return Response(NotificationPreferenceSerializer(rows, many=True).data)

    def _current_etag(self, request, *args, **kwargs) -> str:
        # A preference is the caller's own and is saved by one upsert: there
        # is no shared row to lock, only the answer to compare.
        row = selectors.preference_get(user=request.user, kind=kwargs.get("kind") or "")
        return etag_of(NotificationPreferenceSerializer(row).data)

    def retrieve(self, request, kind=None):
        row = selectors.preference_get(user=request.user, kind=kind or "")
        return Response(NotificationPreferenceSerializer(row).data)

    @extend_schema(request=NotificationPreferenceSerializer)
    def update(self, request, kind=None, partial=False):
        row = selectors.preference_get(user=request.user, kind=kind or "")
        serializer = NotificationPreferenceSerializer(row, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        if "email" not in serializer.validated_data:  # a PATCH that sets nothing
            return Response(NotificationPreferenceSerializer(row).data)
        emails = {row.kind: serializer.validated_data["email"]}
        rows = call_service(services.preferences_save, user=request.user, emails=emails)
        saved = next(r for r in rows if r.kind == row.kind)
        return Response(NotificationPreferenceSerializer(saved).data)

    @extend_schema(request=NotificationPreferenceSerializer)
    def partial_update(self, request, kind=None):
        return self.update(request, kind=kind, partial=True)
