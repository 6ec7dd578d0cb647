from django.core.paginator import InvalidPage
from django.db.models import ProtectedError
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from core.api.conditional import ConditionalMixin
from core.api.idempotency import IDEMPOTENCY_HEADER, once_from
from core.api.scoping import ScopedViewSetMixin
from core.api.service_errors import call_service
from core.csv_export import csv_lines
from core.dates import user_today

from .. import selectors, services
from ..filters import SORT_CHOICES, read_report_filters
from ..models import Certification, CertificationDocument, CertificationType, ContinuingEducation
from ..permissions import can_approve_ce, can_manage_certification, can_see_reports
from ..report import csv_response, report_row
from ..status import Status, certification_rows
from ..views import private_file
from .filters import (
    CertificationDocumentFilter,
    CertificationFilter,
    CertificationTypeFilter,
    ContinuingEducationFilter,
)
from .serializers import (
    CERejectionSerializer,
    CertificationDocumentSerializer,
    CertificationDocumentUploadSerializer,
    CertificationSerializer,
    CertificationTypeSerializer,
    CEVoidSerializer,
    ContinuingEducationSerializer,
)


class AnyFileRenderer(BaseRenderer):
    """Lets a download be asked for with its own type (Accept: application/pdf);
    the file itself is streamed as it is, a refusal is JSON."""

    media_type = "*/*"
    format = "file"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data)


FILE_RESPONSE = {(200, "application/octet-stream"): OpenApiTypes.BINARY}


class AdminWrites(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or request.user.is_admin


class CertificationTypeViewSet(ConditionalMixin, viewsets.ModelViewSet):
    """Credential types and their CE rules: everyone signed in reads, admins write."""

    queryset = CertificationType.objects.prefetch_related("category_requirements")
    serializer_class = CertificationTypeSerializer
    permission_classes = [IsAuthenticated, AdminWrites]
    filterset_class = CertificationTypeFilter

    def perform_destroy(self, instance):
        # Certifications hold on to their type (PROTECT): refuse, never a 500.
        try:
            instance.delete()
        except ProtectedError as exc:
            raise ValidationError(
                gettext("Certifications of this type exist: it cannot be deleted.")
            ) from exc


class RowPageMixin:
    """Status and CE progress are worked out for the page being returned only."""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = certification_rows(page)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        (row,) = certification_rows([self.get_object()])
        return Response(self.get_serializer(row).data)


class CanManageCertification(BasePermission):
    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in SAFE_METHODS or can_manage_certification(request.user, obj)


class CertificationViewSet(
    ConditionalMixin,
    RowPageMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Certifications: holders see their own, coordinators their program's, admins all."""

    queryset = Certification.objects.all()
    serializer_class = CertificationSerializer
    permission_classes = [IsAuthenticated, CanManageCertification]
    filterset_class = CertificationFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self):
        return selectors.with_types(Certification.objects.visible_to(self.request.user)).order_by(
            "expires_on", "pk"
        )

    def create(self, request):
        data = CertificationSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        cert = call_service(
            services.certification_create,
            holder=fields.pop("holder"),
            certification_type=fields.pop("certification_type"),
            by=request.user,
            **fields,
        )
        row = selectors.certification_detail(certification=cert)
        return Response(CertificationSerializer(row).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        cert = self.get_object()
        data = CertificationSerializer(
            cert, data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        fields = {
            k: v
            for k, v in data.validated_data.items()
            if k not in ("holder", "certification_type")
        }
        call_service(services.certification_update, certification=cert, by=request.user, **fields)
        row = selectors.certification_detail(certification=cert)
        return Response(CertificationSerializer(row).data)


class ContinuingEducationViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """CE entries: holders log their own (with evidence); admins and the
    holder's coordinators approve."""

    queryset = ContinuingEducation.objects.all()
    serializer_class = ContinuingEducationSerializer
    filterset_class = ContinuingEducationFilter

    def scoped_queryset(self):
        return selectors.ce_list(user=self.request.user)

    def perform_create(self, serializer):
        user = self.request.user
        if not (user.is_mentor or user.is_coordinator):
            raise PermissionDenied(gettext("Mentors and coordinators log their own hours."))
        serializer.instance = call_service(
            services.ce_log, holder=user, by=user, **serializer.validated_data
        )

    @extend_schema(request=CERejectionSerializer, responses=ContinuingEducationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        # The object first (404 outside the caller's scope), then the service
        # decides who may reject and checks the reason.
        entry = self.get_object()
        reason = request.data.get("reason", "")
        entry = call_service(
            services.ce_reject,
            entry=entry,
            by=request.user,
            reason=reason if isinstance(reason, str) else "",
        )
        return Response(ContinuingEducationSerializer(entry).data)

    @extend_schema(responses=FILE_RESPONSE)
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, AnyFileRenderer])
    def evidence(self, request, pk=None):
        """The evidence attached to the hours (a 404 when there is none)."""
        entry = self.get_object()
        return private_file(entry.evidence, entry.evidence.name.rsplit("/", 1)[-1])

    @extend_schema(request=None, responses=ContinuingEducationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        entry = call_service(services.ce_approve, entry=self.get_object(), by=request.user)
        return Response(ContinuingEducationSerializer(entry).data)

    @extend_schema(request=CEVoidSerializer, responses=ContinuingEducationSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void hours logged by mistake: the holder within 7 days, admins and the
        holder's coordinators at any time; they stay in the history and count
        for nothing."""
        entry = self.get_object()
        if not (entry.holder_id == request.user.pk or can_approve_ce(request.user, entry)):
            raise PermissionDenied(
                gettext(
                    "Only the holder or whoever approves their hours voids continuing education."
                )
            )
        data = CEVoidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = call_service(services.ce_void, entry=entry, by=request.user, **data.validated_data)
        return Response(ContinuingEducationSerializer(entry).data)


class CertificationDocumentViewSet(
    ConditionalMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Documents kept with the certifications the caller reaches. The holder,
    the holder's coordinators and admins upload one (multipart/form-data), as
    on the certification page; `download` returns its file."""

    queryset = CertificationDocument.objects.all()
    serializer_class = CertificationDocumentSerializer
    filterset_class = CertificationDocumentFilter

    def scoped_queryset(self):
        return selectors.document_list(user=self.request.user)

    @extend_schema(
        request={"multipart/form-data": CertificationDocumentUploadSerializer},
        responses={201: CertificationDocumentSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def create(self, request):
        data = CertificationDocumentUploadSerializer(
            data=request.data, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        document = call_service(
            services.document_upload,
            once=once_from(request),
            certification=fields.pop("certification"),
            by=request.user,
            upload=fields.pop("file"),
            **fields,
        )
        return Response(
            CertificationDocumentSerializer(document).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=FILE_RESPONSE)
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, AnyFileRenderer])
    def download(self, request, pk=None):
        document = self.get_object()
        return private_file(document.file, document.file_name)


class CSVRenderer(BaseRenderer):
    """The report's CSV is streamed by the view; this renders only a refusal
    (an error body) as a CSV of field and message."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # The API's one error body (core/api/errors.py): a row per error.
        rows = [(error["attr"] or "", error["detail"]) for error in data.get("errors", [])]
        return "".join(csv_lines(["field", "message"], rows))


REPORT_FILTERS = [
    OpenApiParameter("program", OpenApiTypes.INT),
    OpenApiParameter("county", OpenApiTypes.STR),
    OpenApiParameter("certification_type", OpenApiTypes.INT),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
    OpenApiParameter("expires_within", OpenApiTypes.INT, description="days, 0 to 3650"),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=[value for value, _ in SORT_CHOICES]),
    OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
    OpenApiParameter(
        "page", OpenApiTypes.INT, description="50 rows a page (JSON); the CSV has every row"
    ),
]


class CertificationReportView(APIView):
    """The certification report as JSON, 50 rows a page with the summary of
    every row, or as CSV (every row, streamed) with ?format=csv. A refused
    filter is a 400 naming it, in either format; a page not there is a 404."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    # Reports and exports carry many records at once: a stricter limit
    # (REST_FRAMEWORK DEFAULT_THROTTLE_RATES) besides the per-user one.
    throttle_scope = "exports"

    @extend_schema(parameters=REPORT_FILTERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        if not can_see_reports(request.user):
            raise PermissionDenied(gettext("Admins and coordinators see the certification report."))
        filters = call_service(read_report_filters, data=request.query_params, user=request.user)
        today = user_today(request.user)
        if request.accepted_renderer.format == "csv":
            return csv_response(user=request.user, filters=filters, today=today)
        try:
            data = selectors.certification_report(
                user=request.user,
                filters=filters,
                page=request.query_params.get("page") or 1,
                strict=True,
            )
        except InvalidPage as exc:
            raise NotFound("There is no such page.") from exc
        page = data["page"]
        url = request.build_absolute_uri()
        return Response(
            {
                "date": today.isoformat(),
                "count": data["total"],
                "next": replace_query_param(url, "page", page.next_page_number())
                if page.has_next()
                else None,
                "previous": replace_query_param(url, "page", page.previous_page_number())
                if page.has_previous()
                else None,
                "summary": {
                    "counts": {str(label): n for label, n in data["counts"]},
                    "good_standing_share": data["good_standing_share"],
                },
                "results": [report_row(row) for row in data["rows"]],
            }
        )
