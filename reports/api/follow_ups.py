from rest_framework import mixins, serializers, viewsets

from core.api.conditional import ConditionalMixin
from core.api.scoping import ScopedViewSetMixin
from core.dates import program_today

from ..follow_ups import window_for
from ..models import FollowUp
from .filters import FollowUpFilter


class FollowUpSerializer(serializers.ModelSerializer):
    opens = serializers.SerializerMethodField()
    closes = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = ["id", "mentee", "point", "attempts", "completed_on", "opens", "closes", "state"]
        read_only_fields = fields

    def _window(self, follow_up):
        return window_for(follow_up.mentee, follow_up.point)

    def get_opens(self, follow_up) -> str | None:
        window = self._window(follow_up)
        return window.opens.isoformat() if window else None

    def get_closes(self, follow_up) -> str | None:
        window = self._window(follow_up)
        return window.closes.isoformat() if window else None

    def get_state(self, follow_up) -> str | None:
        window = self._window(follow_up)
        if window is None:
            return None
        return window.state(program_today(follow_up.mentee.program), follow_up.completed_on).value


class FollowUpViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The follow-up points recorded (attempts, completion) of the mentees the
    caller reaches, with each window and its state on the program's day."""

    queryset = FollowUp.objects.all()
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter

    def scoped_queryset(self):
        return (
            FollowUp.objects.visible_to(self.request.user)
            .select_related("mentee__program")
            .order_by("mentee_id", "point")
        )
