"""Thin pages: access → form → service → response."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import audit
from core.client_ip import client_ip
from core.csv_export import csv_download, csv_lines
from core.dates import program_date, program_today, show_times_in
from core.service_errors import REFUSED, form_service, run_service
from mentorship.permissions import get_mentee_for_user

from . import selectors, services
from .consents import Recipient
from .downloads import signed_form_download
from .forms import (
    CollateralContactForm,
    ConsentRecordForm,
    ConsentSignForm,
    LetterForm,
    ReferralForm,
    ReferralStatusForm,
    ResourceForm,
    ResourceImportForm,
    ResourceSearchForm,
    RevokeForm,
    parse_resources_csv,
)
from .models import Resource
from .permissions import (
    can_see_directory,
    can_work_with_mentee,
    get_consent_for_user,
    get_disclosure_for_user,
    get_referral_for_user,
    get_resource_for_user,
)


def _staff_mentee(request, mentee_id: int, *, write: bool = False):
    """The mentee record for a staff page: 404 outside scope, 403 for the
    mentee themselves (their pages are the portal's) or a reader who may not
    write."""
    mentee = get_mentee_for_user(request.user, mentee_id)
    if request.user.is_mentee or (write and not can_work_with_mentee(request.user, mentee)):
        raise PermissionDenied
    show_times_in(request.user, mentee)
    return mentee


def _with_states(consents, today):
    for consent in consents:
        consent.state = consent.state_on(today)
    return consents


# --- Staff, on a mentee's record ----------------------------------------------------


@login_required
def mentee_referrals(request, mentee_id: int):
    mentee = _staff_mentee(request, mentee_id)
    today = program_today(mentee.program)
    return render(
        request,
        "referrals/mentee_referrals.html",
        {
            "mentee": mentee,
            "today": today,
            "consents": _with_states(selectors.consents_of(mentee=mentee), today),
            "referrals": list(selectors.referrals_of(mentee=mentee)),
            "can_work": can_work_with_mentee(request.user, mentee),
            "status_form": ReferralStatusForm(),
        },
    )


@login_required
def referral_new(request, mentee_id: int):
    mentee = _staff_mentee(request, mentee_id, write=True)
    form = ReferralForm(request.POST or None, program=mentee.program)
    if request.method == "POST" and form.is_valid():
        saved = form_service(
            form, services.referral_create, mentee=mentee, by=request.user, **form.cleaned_data
        )
        if saved is not REFUSED:
            messages.success(request, _("Referral recorded."))
            return redirect("referrals:mentee", mentee.pk)
    return render(request, "referrals/referral_form.html", {"form": form, "mentee": mentee})


@login_required
def collateral_new(request, mentee_id: int):
    mentee = _staff_mentee(request, mentee_id, write=True)
    form = CollateralContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = form_service(
            form,
            services.collateral_contact_record,
            mentee=mentee,
            by=request.user,
            **form.cleaned_data,
        )
        if saved is not REFUSED:
            messages.success(request, _("Collateral contact logged."))
            return redirect("referrals:mentee", mentee.pk)
    return render(request, "referrals/collateral_form.html", {"form": form, "mentee": mentee})


@login_required
@require_POST
def referral_status(request, pk: int):
    referral = get_referral_for_user(request.user, pk)
    if request.user.is_mentee or not can_work_with_mentee(request.user, referral.mentee):
        raise PermissionDenied
    form = ReferralStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the new status."))
    else:
        run_service(
            request,
            services.referral_move,
            referral=referral,
            by=request.user,
            success=_("Referral updated."),
            **form.cleaned_data,
        )
    return redirect("referrals:mentee", referral.mentee_id)


@login_required
def consent_record(request, mentee_id: int):
    mentee = _staff_mentee(request, mentee_id, write=True)
    form = ConsentRecordForm(request.POST or None, request.FILES or None, program=mentee.program)
    if request.method == "POST" and form.is_valid():
        saved = form_service(
            form,
            services.consent_record,
            mentee=mentee,
            recorded_by=request.user,
            signed_name=form.cleaned_data["signed_name"],
            signed_on=form.cleaned_data["signed_on"],
            signed_form=form.cleaned_data["signed_form"],
            **form.terms(),
        )
        if saved is not REFUSED:
            messages.success(request, _("Consent recorded."))
            return redirect("referrals:mentee", mentee.pk)
    return render(request, "referrals/consent_record.html", {"form": form, "mentee": mentee})


@login_required
def consent_form(request, pk: int):
    """The signed paper form of a consent: staff who reach the mentee, and
    the mentee themselves."""
    return signed_form_download(get_consent_for_user(request.user, pk))


@login_required
@require_POST
def consent_revoke(request, pk: int):
    consent = get_consent_for_user(request.user, pk)
    if not services.can_revoke_consent(request.user, consent):
        raise PermissionDenied
    form = RevokeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.consent_revoke(consent=consent, by=request.user, note=note)
    messages.success(request, _("The consent is revoked. Nothing more is shared under it."))
    if request.user.is_mentee:
        return redirect("referrals:my_consents")
    return redirect("referrals:mentee", consent.mentee_id)


@login_required
def letter_new(request, mentee_id: int):
    mentee = _staff_mentee(request, mentee_id, write=True)
    form = LetterForm(request.POST or None, program=mentee.program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resource = data["resource"]
        recipient = Recipient.of(resource) if resource else Recipient(name=data["recipient_name"])
        disclosure = form_service(
            form,
            services.letter_issue,
            mentee=mentee,
            by=request.user,
            recipient=recipient,
            purpose=data["purpose"],
            categories=data["categories"],
        )
        if disclosure is not REFUSED:
            return redirect("referrals:letter", disclosure.pk)
    return render(request, "referrals/letter_form.html", {"form": form, "mentee": mentee})


def _letter_or_refusal(request, pk: int):
    """A letter's content for its page and its PDF, one way: 404 outside the
    mentee scope, 403 for the mentee and for any other disclosure, and the
    refusal page (403) once no consent covers it any more."""
    disclosure = get_disclosure_for_user(request.user, pk)
    if request.user.is_mentee or disclosure.kind != "letter":
        raise PermissionDenied
    show_times_in(request.user, disclosure.mentee)
    if not selectors.letter_still_covered(disclosure):
        return None, render(
            request, "referrals/letter_refused.html", {"disclosure": disclosure}, status=403
        )
    return selectors.letter_content(disclosure=disclosure), None


@login_required
def letter(request, pk: int):
    content, refusal = _letter_or_refusal(request, pk)
    if refusal is not None:
        return refusal
    return render(request, "referrals/letter.html", {"letter": content, "printing": True})


@login_required
def letter_pdf(request, pk: int):
    """The same letter as a PDF, a private download (never cached: NoStoreMiddleware)."""
    content, refusal = _letter_or_refusal(request, pk)
    if refusal is not None:
        return refusal
    # fpdf imports numpy (installed for SciPy) when loaded: here, not at start-up.
    from .letter_pdf import letter_pdf as render_letter_pdf

    response = HttpResponse(render_letter_pdf(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letter-{content.disclosure.pk}.pdf"'
    return response


@login_required
def accounting(request, mentee_id: int):
    mentee = _staff_mentee(request, mentee_id)
    page = Paginator(selectors.accounting_of_disclosures(mentee=mentee), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "referrals/accounting.html", {"mentee": mentee, "page": page})


@login_required
def accounting_csv(request, mentee_id: int):
    mentee = _staff_mentee(request, mentee_id)
    program = mentee.program
    rows = (
        (
            program_date(d.disclosed_at, program).isoformat(),
            d.get_kind_display(),
            d.recipient_name,
            d.get_purpose_display(),
            "; ".join(d.get_categories_display()),
            d.consent_id,
            d.disclosed_by.get_full_name(),
        )
        for d in selectors.accounting_of_disclosures(mentee=mentee).iterator(chunk_size=500)
    )
    header = ["date", "how", "recipient", "purpose", "information", "consent", "disclosed by"]
    return csv_download(csv_lines(header, rows), f"disclosures-mentee-{mentee.pk}")


# --- The mentee's portal -------------------------------------------------------------


def _own_mentee(request):
    mentee = getattr(request.user, "mentee_profile", None) if request.user.is_mentee else None
    if mentee is None:
        raise PermissionDenied
    audit.shown(request, [mentee.pk])
    return mentee


@login_required
def my_consents(request):
    mentee = _own_mentee(request)
    today = program_today(mentee.program)
    return render(
        request,
        "referrals/my_consents.html",
        {
            "mentee": mentee,
            "consents": _with_states(selectors.consents_of(mentee=mentee), today),
            "disclosures": list(selectors.accounting_of_disclosures(mentee=mentee)[:100]),
        },
    )


@login_required
def consent_sign(request):
    mentee = _own_mentee(request)
    form = ConsentSignForm(request.POST or None, program=mentee.program)
    if request.method == "POST" and form.is_valid():
        saved = form_service(
            form,
            services.consent_sign,
            mentee=mentee,
            signer=request.user,
            signed_name=form.cleaned_data["signed_name"],
            agreed=form.cleaned_data["agreed"],
            ip=client_ip(request),
            **form.terms(),
        )
        if saved is not REFUSED:
            messages.success(request, _("Thank you. Your consent is signed."))
            return redirect("referrals:my_consents")
    return render(request, "referrals/consent_sign.html", {"form": form, "mentee": mentee})


# --- The resource directory -----------------------------------------------------------


@login_required
def resource_list(request):
    if not can_see_directory(request.user):
        raise PermissionDenied
    search = ResourceSearchForm(request.GET or None)
    query = search.cleaned_data if search.is_valid() else {}
    resources = selectors.resource_search(
        user=request.user,
        category=query.get("category", ""),
        language=query.get("language", ""),
        text=query.get("q", ""),
    )
    page = Paginator(resources, 50).get_page(request.GET.get("page"))
    today = program_today(request.user.program) if request.user.program_id else None
    for resource in page:
        resource.flagged = today is not None and resource.needs_verification(today)
    return render(
        request,
        "referrals/resource_list.html",
        {
            "page": page,
            "search": search,
            "can_maintain": request.user.program_id is not None
            and services.can_maintain_directory(request.user, request.user.program),
        },
    )


def _maintainer(request, program) -> None:
    if not services.can_maintain_directory(request.user, program):
        raise PermissionDenied


@login_required
def resource_new(request):
    if request.user.program_id is None:
        raise PermissionDenied  # admins: a directory is a program's
    _maintainer(request, request.user.program)
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = form_service(
            form,
            services.resource_create,
            program=request.user.program,
            by=request.user,
            **form.cleaned_data,
        )
        if saved is not REFUSED:
            messages.success(request, _("Added to the directory."))
            return redirect("referrals:resource_list")
    return render(request, "referrals/resource_form.html", {"form": form})


@login_required
def resource_edit(request, pk: int):
    resource = get_resource_for_user(request.user, pk)
    _maintainer(request, resource.program)
    form = ResourceForm(request.POST or None, instance=Resource.objects.get(pk=resource.pk))
    if request.method == "POST" and form.is_valid():
        saved = form_service(
            form,
            services.resource_update,
            resource=resource,
            by=request.user,
            **form.cleaned_data,
        )
        if saved is not REFUSED:
            messages.success(request, _("Directory entry saved."))
            return redirect("referrals:resource_list")
    return render(request, "referrals/resource_form.html", {"form": form, "resource": resource})


@login_required
def resource_import(request):
    """Upload → preview with every row's errors → confirm: nothing is saved
    until the whole file is valid and confirmed."""
    if request.user.program_id is None:
        raise PermissionDenied
    program = request.user.program
    _maintainer(request, program)
    form = ResourceImportForm(request.POST or None, request.FILES or None)
    rows, errors, text = [], [], ""
    if request.method == "POST":
        if "confirm" in request.POST:
            text = request.POST.get("csv_text", "")
        elif form.is_valid():
            text = form.cleaned_data["file"]
        if text:
            rows, errors = parse_resources_csv(text)
            if not errors and "confirm" in request.POST:
                saved = run_service(
                    request, services.resources_import, program=program, by=request.user,
                    rows=rows,
                )  # fmt: skip
                if saved is not REFUSED:
                    messages.success(
                        request,
                        _("Imported %(count)s directory entries.") % {"count": len(saved)},
                    )
                    return redirect("referrals:resource_list")
                errors = []
            elif not errors:
                try:
                    with_rules = services.resources_check(program=program, rows=rows)
                except ValidationError as exc:
                    errors = exc.messages
                else:
                    rows = with_rules
    return render(
        request,
        "referrals/resource_import.html",
        {"form": form, "rows": rows, "errors": errors, "csv_text": text},
    )
