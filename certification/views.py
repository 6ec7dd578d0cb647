from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from core import drafts
from core.constraints import plain_violations
from core.dates import user_today
from core.service_errors import add_service_errors, run_service, show_form_errors
from core.stale import refuse_if_changed_since_form

from . import selectors, services
from .filters import ReportFilterForm, read_report_filters, refusal_text
from .forms import (
    CertificationForm,
    CertificationTypeForm,
    ContinuingEducationForm,
    DocumentForm,
    ManualStatusForm,
    NewCertificationForm,
    RequirementFormSet,
)
from .models import CertificationType
from .permissions import (
    can_approve_ce,
    can_manage_certification,
    can_see_reports,
    can_void_ce,
    get_ce_for_user,
    get_certification_for_user,
    get_document_for_user,
)
from .report import csv_response
from .status import Status


def _is_holder_role(user) -> bool:
    return user.is_mentor or user.is_coordinator


def _ce_history(user, holder) -> dict:
    """A holder's CE as the viewer sees it, voided hours included (struck
    through), and which of them the viewer may still void."""
    entries = list(selectors.ce_list(user=user).filter(holder=holder))
    return {"entries": entries, "voidable": {e.pk for e in entries if can_void_ce(user, e)}}


def _back(request, default: str):
    """To the page the form was on (`next`, this site only), else `default`."""
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect(default)


def _ce_draft(request) -> drafts.DraftOf:
    if not _is_holder_role(request.user):
        raise PermissionDenied
    url = reverse("certification:mine")
    return drafts.DraftOf(form=url, shown_on=url)


# New hours being logged: the course, never its evidence file.
ce_draft = drafts.draft_view(_ce_draft, ContinuingEducationForm)


@login_required
def my_certification(request):
    """The holder's page: status, expiry, CE progress, CE log and form."""
    of = _ce_draft(request)
    draft = drafts.offer(request, of, url=reverse("certification:ce_draft"))
    form = ContinuingEducationForm(
        request.POST or None, request.FILES or None, initial=draft.initial()
    )
    if request.method == "POST" and form.is_valid():
        try:
            once = form.once_for(request.user)
            services.ce_log(holder=request.user, by=request.user, once=once, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            drafts.finish(request, of.form)
            messages.success(request, gettext("Hours logged. They count once approved."))
            return redirect("certification:mine")
    return render(
        request,
        "certification/mine.html",
        {
            "certifications": selectors.certifications_of(holder=request.user),
            **_ce_history(request.user, request.user),
            "form": form,
            "draft": draft,
        },
    )


@login_required
def certification_detail(request, pk: int):
    cert = get_certification_for_user(request.user, pk)
    manage = can_manage_certification(request.user, cert)
    row = selectors.certification_detail(certification=cert)
    return render(
        request,
        "certification/detail.html",
        {
            "row": row,
            "cert": row.certification,
            "documents": cert.documents.select_related("uploaded_by"),
            "cycles": cert.cycles.select_related("renewed_by"),
            **_ce_history(request.user, cert.holder),
            "can_manage": manage,
            "can_upload": manage or cert.holder_id == request.user.pk,
            "document_form": DocumentForm(),
            "status_form": ManualStatusForm() if request.user.is_admin else None,
        },
    )


def _new_certification_draft(request) -> drafts.DraftOf:
    if not (request.user.is_admin or request.user.is_coordinator):
        raise PermissionDenied
    url = reverse("certification:new")
    return drafts.DraftOf(form=url, shown_on=url)


# A certification being recorded: its holder, type, number and dates.
certification_new_draft = drafts.draft_view(_new_certification_draft, NewCertificationForm)


@login_required
def certification_new(request):
    user = request.user
    of = _new_certification_draft(request)
    draft = drafts.offer(request, of, url=reverse("certification:new_draft"))
    holders = User.objects.visible_to(user).filter(
        role__in=[Role.MENTOR, Role.COORDINATOR], is_active=True
    )
    form = NewCertificationForm(request.POST or None, holders=holders, initial=draft.initial())
    if request.method == "POST" and form.is_valid():
        once = form.once_for(user)
        data = dict(form.cleaned_data)
        try:
            cert = services.certification_create(
                holder=data.pop("holder"),
                certification_type=data.pop("certification_type"),
                by=user,
                once=once,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            drafts.finish(request, of.form)
            return redirect("certification:detail", pk=cert.pk)
    return render(request, "certification/form.html", {"form": form, "draft": draft})


@login_required
def certification_edit(request, pk: int):
    cert = get_certification_for_user(request.user, pk)
    if not can_manage_certification(request.user, cert):
        raise PermissionDenied
    form = CertificationForm(request.POST or None, instance=cert)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("certification_type", None)
        try:
            services.certification_update(certification=cert, by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Certification saved."))
            return redirect("certification:detail", pk=cert.pk)
    return render(request, "certification/form.html", {"form": form, "cert": cert})


@login_required
@require_POST
def certification_renew(request, pk: int):
    cert = get_certification_for_user(request.user, pk)
    if not can_manage_certification(request.user, cert):
        raise PermissionDenied
    run_service(
        request,
        services.certification_renew,
        success=lambda renewed: (
            gettext("Renewed: the new cycle runs to %(on)s.")
            % {"on": date_format(renewed.expires_on, gettext("M j, Y"))}
        ),
        certification=cert,
        by=request.user,
    )
    return redirect("certification:detail", pk=cert.pk)


@login_required
@require_POST
def certification_status(request, pk: int):
    cert = get_certification_for_user(request.user, pk)
    if not request.user.is_admin:
        raise PermissionDenied
    form = ManualStatusForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            services.certification_set_manual_status,
            success=gettext_lazy("Status changed."),
            certification=cert,
            by=request.user,
            **form.cleaned_data,
        )
    else:
        show_form_errors(request, form)
    return redirect("certification:detail", pk=cert.pk)


@login_required
@require_POST
def document_upload(request, pk: int):
    cert = get_certification_for_user(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not (can_manage_certification(request.user, cert) or cert.holder_id == request.user.pk):
        raise PermissionDenied
    if form.is_valid():
        run_service(
            request,
            services.document_upload,
            success=gettext_lazy("Document uploaded."),
            once=form.once_for(request.user),
            certification=cert,
            by=request.user,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    else:
        messages.error(request, gettext("Choose a file to upload."))
    return redirect("certification:detail", pk=cert.pk)


def private_file(field, download_name: str):
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=download_name)


@login_required
def document_download(request, document_id: int):
    document = get_document_for_user(request.user, document_id)
    return private_file(document.file, document.file_name)


@login_required
def ce_evidence(request, ce_id: int):
    entry = get_ce_for_user(request.user, ce_id)
    return private_file(
        entry.evidence, entry.evidence.name.rsplit("/", 1)[-1] if entry.evidence else ""
    )


@login_required
def ce_queue(request):
    """Hours waiting for approval in the viewer's scope."""
    if not (request.user.is_admin or request.user.is_coordinator):
        raise PermissionDenied
    pending = (
        selectors.ce_list(user=request.user)
        .counted()
        .filter(approved_at__isnull=True, rejected_at__isnull=True)
        .exclude(holder=request.user)
    )
    return render(request, "certification/ce_queue.html", {"entries": pending})


@login_required
@require_POST
def ce_reject(request, ce_id: int):
    entry = get_ce_for_user(request.user, ce_id)
    if not can_approve_ce(request.user, entry):
        raise PermissionDenied
    run_service(
        request,
        services.ce_reject,
        success=gettext("Rejected %(hours)s h for %(full_name)s.")
        % {"hours": entry.hours, "full_name": entry.holder.full_name},
        entry=entry,
        by=request.user,
        reason=request.POST.get("reason", ""),
    )
    return redirect("certification:ce_queue")


@login_required
@require_POST
def ce_approve(request, ce_id: int):
    entry = get_ce_for_user(request.user, ce_id)
    if not can_approve_ce(request.user, entry):
        raise PermissionDenied
    run_service(
        request,
        services.ce_approve,
        success=gettext("Approved %(hours)s h for %(full_name)s.")
        % {"hours": entry.hours, "full_name": entry.holder.full_name},
        entry=entry,
        by=request.user,
    )
    return _back(request, "certification:ce_queue")


@login_required
@require_POST
def ce_void(request, ce_id: int):
    """Void hours logged by mistake: the holder within 7 days, whoever decides
    on their hours at any time (services.ce_void); they stay in the history."""
    entry = get_ce_for_user(request.user, ce_id)
    holder = entry.holder_id == request.user.pk
    if not (holder or can_approve_ce(request.user, entry)):
        raise PermissionDenied
    run_service(
        request,
        services.ce_void,
        success=gettext(
            "Voided %(hours)s h of “%(course_title)s”. They stay in the history, struck through, and count for nothing."
        )
        % {"hours": entry.hours, "course_title": entry.course_title},
        entry=entry,
        by=request.user,
        reason=request.POST.get("reason", ""),
    )
    return _back(request, "certification:mine" if holder else "certification:ce_queue")


@login_required
def type_list(request):
    if not request.user.is_admin:
        raise PermissionDenied
    return render(request, "certification/type_list.html", {"types": selectors.type_list()})


@login_required
def type_edit(request, pk: int | None = None):
    if not request.user.is_admin:
        raise PermissionDenied
    ctype = get_object_or_404(CertificationType, pk=pk) if pk else CertificationType()
    form = CertificationTypeForm(request.POST or None, instance=ctype)
    formset = RequirementFormSet(request.POST or None, instance=ctype)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        new = ctype.pk is None
        try:
            # The type and its requirements together, or neither; a rule the
            # database still refuses (a name taken meanwhile) is shown on the form.
            with plain_violations():
                refuse_if_changed_since_form(form)  # core.stale: changed since shown?
                ctype = form.save()
                formset.instance = ctype
                formset.save()
        except ValidationError as exc:
            if new:
                ctype.pk = None
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("“%(name)s” saved.") % {"name": ctype.name})
            return redirect("certification:types")
    return render(
        request, "certification/type_form.html", {"form": form, "formset": formset, "ctype": ctype}
    )


@login_required
def report(request):
    if not can_see_reports(request.user):
        raise PermissionDenied
    form = ReportFilterForm(request.GET, user=request.user)
    # Rows are dated in their holders' programs; the heading and the file name
    # carry the reader's own day.
    today = user_today(request.user)
    if form.is_valid():
        filters = form.report_filters()
        data = selectors.certification_report(
            user=request.user, filters=filters, page=request.GET.get("page")
        )
    else:  # a refused filter shows its error and no rows, never the unfiltered report
        filters, data = None, selectors.empty_report()
    # Sorting starts again at page 1; paging keeps the sort.
    query = request.GET.copy()
    query.pop("page", None)
    paging = query.urlencode()
    query.pop("sort", None)
    return render(
        request,
        "certification/report.html",
        {
            "form": form,
            "filters": filters,
            "today": today,
            "query": query.urlencode(),
            "paging": paging,
            "statuses": Status,
            **data,
        },
    )


@login_required
def report_csv(request):
    if not can_see_reports(request.user):
        raise PermissionDenied
    try:
        filters = read_report_filters(data=request.GET, user=request.user)
    except ValidationError as exc:
        return HttpResponseBadRequest(refusal_text(exc), content_type="text/plain; charset=utf-8")
    return csv_response(user=request.user, filters=filters, today=user_today(request.user))
