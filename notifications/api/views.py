from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.conditional import ConditionalMixin
from core.api.scoping import ScopedViewSetMixin

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
