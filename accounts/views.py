import time
from functools import wraps

from allauth.account import app_settings as allauth_account_settings
from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

import audit
from audit.models import Action
from core.dashboard import mentees_shown, panels_for
from core.service_errors import add_service_errors, run_service, save_form
from core.templatetags.icons import icon_names

from . import languages, selectors, services
from .forms import (
    ApiTokenForm,
    InvitationAcceptForm,
    InvitationForm,
    MoveForm,
    PeopleFilterForm,
    ProgramForm,
    RoleChangeForm,
    StyleGuideExampleForm,
)
from .middleware import refresh_idle_clock, speak
from .models import Program, Role
from .permissions import (
    can_manage_people,
    can_manage_programs,
    can_view_people,
    can_view_program_members,
    get_api_token_for_user,
    get_invitation_for_user,
    get_person_for_user,
    get_program_for_user,
    invitable_roles,
)


@login_required
def dashboard(request):
    user = request.user
    context: dict = {}
    if user.is_admin:
        context["programs"] = selectors.program_list(user=user)
        context["role_counts"] = selectors.user_counts_by_role(user=user)
        context["pending_invitations"] = selectors.pending_invitation_list(user=user)
    elif user.is_coordinator:
        context["members"] = selectors.program_members(user=user, program=user.program)
        context["pending_invitations"] = selectors.pending_invitation_list(user=user)
        context["invitation_form"] = _invitation_form(user)
    # The panels' rows and the page's own lists: one statement.
    context["panels"] = panels_for(
        user,
        also=[context[k] for k in ("programs", "members", "pending_invitations") if k in context],
    )
    # The caseload, the watch list and the members table name mentees: the
    # dashboard is a list of mentee records like any other (audit trail).
    shown = mentees_shown(context["panels"]) | {
        member.mentee_record_id
        for member in context.get("members", [])
        if member.mentee_record_id is not None
    }
    if shown:
        audit.record(request, action=Action.LIST, mentee_ids=shown, object_type="dashboard")
    return render(request, f"accounts/dashboard_{user.role}.html", context)


@login_required
def my_account(request):
    """One page for the person's own account: profile, sign-in email,
    password, two-factor authentication and API access, each with its action."""
    user = request.user
    return render(
        request,
        "accounts/my_account.html",
        {
            "second_factor": selectors.has_totp(user),
            "api_tokens": (None if user.is_mentee else selectors.own_api_tokens(user=user).count()),
        },
    )


def _require_program_manager(user) -> None:
    if not can_manage_programs(user):
        raise PermissionDenied


@login_required
def program_list(request):
    _require_program_manager(request.user)
    programs = selectors.program_list(user=request.user)
    return render(request, "accounts/program_list.html", {"programs": programs})


@login_required
def program_create(request):
    _require_program_manager(request.user)
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (program := save_form(form)):
        messages.success(request, gettext("Program “%(name)s” created.") % {"name": program.name})
        return redirect("accounts:program_detail", pk=program.pk)
    return render(request, "accounts/program_form.html", {"form": form})


@login_required
def program_detail(request, pk: int):
    program = get_program_for_user(request.user, pk)
    members = None
    if can_view_program_members(request.user, program):
        members = selectors.program_members(user=request.user, program=program)
    return render(
        request,
        "accounts/program_detail.html",
        {
            "program": program,
            "members": members,
            "can_edit": can_manage_programs(request.user),
        },
    )


@login_required
def program_edit(request, pk: int):
    program = get_program_for_user(request.user, pk)
    _require_program_manager(request.user)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid() and save_form(form):
        messages.success(request, gettext("Program saved."))
        return redirect("accounts:program_detail", pk=program.pk)
    return render(request, "accounts/program_form.html", {"form": form, "program": program})


def _invitation_form(user, data=None) -> InvitationForm:
    return InvitationForm(
        data,
        roles=invitable_roles(user),
        programs=selectors.program_list(user=user),
        fixed_program=user.program if user.is_coordinator else None,
    )


@login_required
def invitation_list(request):
    if not invitable_roles(request.user):
        raise PermissionDenied
    form = _invitation_form(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.invitation_create(
                invited_by=request.user,
                site_url=settings.SITE_URL,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("Invitation sent to %(email)s.") % {"email": issued.invitation.email},
            )
            return redirect("accounts:invitation_list")
    page = Paginator(selectors.invitation_list(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/invitation_list.html",
        {"form": form, "invitations": page.object_list, "page": page},
    )


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = get_invitation_for_user(request.user, pk)
    run_service(
        request,
        services.invitation_revoke,
        success=gettext("Invitation for %(email)s revoked.") % {"email": invitation.email},
        invitation=invitation,
        revoked_by=request.user,
    )
    return redirect("accounts:invitation_list")


UNUSABLE_INVITATION_STATUS = {"invalid": 404, "expired": 410, "revoked": 410, "accepted": 410}


def invitation_accept(request, token: str):
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_signed_in.html", status=409)
    try:
        invitation = services.invitation_for_token(token=token)
    except services.InvitationUnusable as exc:
        return _unusable_invitation(request, exc.reason)
    # The page speaks the language of the mentee it was sent for.
    language = languages.for_invitation(invitation)
    if language:
        speak(request, language)

    form = InvitationAcceptForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationUnusable as exc:
            return _unusable_invitation(request, exc.reason)
        messages.success(request, gettext("Welcome to Peerpath. Your login is ready."))
        # The invitee chose the password seconds ago: record it as a fresh
        # (re)authentication so two-factor set-up does not ask for it again.
        record_authentication(request, user, "password", email=user.email, reauthenticated=True)
        next_page = (
            "mfa_activate_totp" if user.role in (Role.ADMIN, Role.COORDINATOR) else "dashboard"
        )
        return perform_login(request, user, redirect_url=reverse(next_page))
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


def _unusable_invitation(request, reason: str):
    return render(
        request,
        "accounts/invitation_unusable.html",
        {"reason": reason},
        status=UNUSABLE_INVITATION_STATUS.get(reason, 410),
    )


def session_expired(request):
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.GET.get("reason") == "lifetime":
        return render(
            request,
            "accounts/session_lifetime_over.html",
            {"hours": settings.PEERPATH_ABSOLUTE_SESSION_SECONDS // 3600, "next": next_url},
        )
    return render(
        request,
        "accounts/session_expired.html",
        {"minutes": settings.PEERPATH_IDLE_TIMEOUT_SECONDS // 60, "next": next_url},
    )


@require_POST
@login_required
def session_keepalive(request):
    """ "Stay signed in" on the idle warning: the idle limit starts again now.
    No content: the page the person is on stays as it is."""
    refresh_idle_clock(request.session)
    return HttpResponse(status=204)


# --- API access: personal tokens ------------------------------------------------


@login_required
def api_token_list(request):
    page = Paginator(selectors.api_token_list(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "tokens": page.object_list,
            "page": page,
            "can_create": selectors.has_totp(request.user),
            "days": settings.PEERPATH_API_TOKEN_DAYS,
        },
    )


def _entered_second_factor_recently(request) -> bool:
    """A code from the authenticator (at sign-in or since) within allauth's
    reauthentication timeout (5 minutes)."""
    timeout = allauth_account_settings.REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == "mfa" and time.time() - record.get("at", 0) < timeout
        for record in get_authentication_records(request, request.user)
    )


@never_cache
@login_required
def api_token_create(request):
    if not selectors.has_totp(request.user):
        messages.error(
            request, gettext("Set up two-factor authentication before creating an API token.")
        )
        return redirect("accounts:api_tokens")
    if not _entered_second_factor_recently(request):
        messages.info(
            request, gettext("Enter a code from your authenticator app to create a token.")
        )
        here = reverse("accounts:api_token_create")
        return redirect(f"{reverse('mfa_reauthenticate')}?next={here}")
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Shown on this response only, never stored: no redirect, no cache.
            return render(request, "accounts/api_token_created.html", {"issued": issued})
    return render(
        request,
        "accounts/api_token_form.html",
        {"form": form, "days": settings.PEERPATH_API_TOKEN_DAYS},
    )


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    label = get_api_token_for_user(request.user, pk)
    run_service(
        request,
        services.api_token_revoke,
        success=gettext("Token “%(name)s” revoked.") % {"name": label.name},
        label=label,
        revoked_by=request.user,
    )
    return redirect("accounts:api_tokens")


# The design tokens of static/css/peerpath.css, as the style guide shows them.
COLOUR_TOKENS = [
    ("ink", _("Body text and headings.")),
    ("muted", _("Secondary text: dates, counts, help.")),
    ("paper", _("The page background.")),
    ("card", _("Cards, tables and form backgrounds.")),
    ("line", _("Borders and table rules.")),
    ("brand", _("Links, primary buttons and the header.")),
    ("brand-dark", _("Hover state of brand.")),
    ("focus", _("The keyboard focus ring only.")),
    ("ok", _("Success and done.")),
    ("warn", _("Needs attention soon.")),
    ("danger", _("Errors, crisis and destructive actions.")),
]
SPACE_TOKENS = [
    (n, v) for n, v in enumerate(["0.25rem", "0.5rem", "0.75rem", "1rem", "1.5rem", "2rem"], 1)
]
TEXT_TOKENS = ["sm", "base", "lg", "xl", "2xl", "3xl"]


@login_required
def style_guide(request):
    """The design system for staff: tokens and components, each with when to use it."""
    if not (request.user.is_admin or request.user.is_coordinator):
        raise PermissionDenied
    return render(
        request,
        "accounts/style_guide.html",
        {
            "colours": COLOUR_TOKENS,
            "spaces": SPACE_TOKENS,
            "texts": TEXT_TOKENS,
            "form": StyleGuideExampleForm(prefix="example"),
            "broken_form": StyleGuideExampleForm({}, prefix="broken"),
            "icons": icon_names(),
        },
    )


# --- People ------------------------------------------------------------------------


@login_required
def people(request):
    """Admins: everyone, with deactivate, reactivate and role changes.
    Coordinators: their program's people, to read (changes are the admins')."""
    if not can_view_people(request.user):
        raise PermissionDenied
    programs = Program.objects.visible_to(request.user).order_by("name")
    filters = PeopleFilterForm(request.GET or None, programs=programs)
    people = selectors.people_list(user=request.user, **filters.filters())
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    manage = can_manage_people(request.user)
    return render(
        request,
        "accounts/people.html",
        {
            "people": page.object_list,
            "page": page,
            "query": query.urlencode(),
            "filters": filters,
            "can_manage": manage,
            "roles": Role.choices,
            "programs": programs if manage else (),
        },
    )


def _person_action(view):
    """A button on the people page. The person must be in scope (404 for
    every method otherwise), then it takes POST only (405), from admins (403)."""

    @wraps(view)
    @login_required
    def action(request, pk: int):
        person = get_person_for_user(request.user, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not can_manage_people(request.user):
            raise PermissionDenied
        return view(request, person)

    return action


@_person_action
def person_deactivate(request, person):
    run_service(
        request,
        services.person_deactivate,
        success=gettext("%(person)s is deactivated and signed out everywhere.")
        % {"person": person},
        person=person,
        deactivated_by=request.user,
    )
    return redirect("accounts:people")


@_person_action
def person_reactivate(request, person):
    run_service(
        request,
        services.person_reactivate,
        success=gettext("%(person)s can sign in again.") % {"person": person},
        person=person,
        reactivated_by=request.user,
    )
    return redirect("accounts:people")


@_person_action
def person_change_role(request, person):
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose the new role."))
        return redirect("accounts:people")
    run_service(
        request,
        services.person_change_role,
        success=lambda changed: (
            gettext("%(changed)s is now %(role)s.")
            % {"changed": changed, "role": changed.get_role_display()}
        ),
        person=person,
        changed_by=request.user,
        **form.cleaned_data,
    )
    return redirect("accounts:people")


@_person_action
def person_move(request, person):
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose the program to move them to."))
        return redirect("accounts:people")
    run_service(
        request,
        services.person_move,
        success=lambda moved: (
            gettext("%(moved)s is now in %(program)s.") % {"moved": moved, "program": moved.program}
        ),
        person=person,
        moved_by=request.user,
        **form.cleaned_data,
    )
    return redirect("accounts:people")
