"""The referral or progress letter as a PDF (fpdf2, pure Python): the same
facts as the printable page (selectors.letter_content, only the consented
categories) and always the §2.32 notice, in the words of the page's
`referrals/_notice.html` (one text for both)."""

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext
from fpdf import FPDF

from core.pdf_text import latin1

from .choices import InformationCategory
from .selectors import Letter


def _day(value) -> str:
    """A day as the page shows it; a moment on the viewer's day (show_times_in)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "M j, Y") if value else ""


def notice_text() -> str:
    """The §2.32 notice as plain text: its heading, then its paragraph."""
    html = render_to_string("referrals/_notice.html")
    heading, _, body = strip_tags(html.replace("</h2>", "</h2>\n\n")).strip().partition("\n\n")
    return " ".join(heading.split()) + "\n\n" + " ".join(body.split())


class _Writer:
    def __init__(self) -> None:
        self.pdf = FPDF(format="Letter")
        self.pdf.set_margins(22, 20, 22)
        self.pdf.set_auto_page_break(True, margin=20)
        self.pdf.add_page()

    def heading(self, text: str, size: int = 13) -> None:
        self.pdf.ln(3)
        self.pdf.set_font("Helvetica", "B", size)
        self.pdf.multi_cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def para(self, text: str, size: int = 11) -> None:
        self.pdf.set_font("Helvetica", "", size)
        self.pdf.multi_cell(0, 5.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def items(self, lines: list[str], empty: str) -> None:
        if not lines:
            self.para(empty)
            return
        for line in lines:
            self.para(f"- {line}")


def letter_pdf(letter: Letter) -> bytes:
    """The letter's bytes. Nothing outside `letter.categories` is written."""
    d = letter.disclosure
    mentee = letter.mentee
    consent = d.consent
    program = mentee.program.name
    name = mentee.legal_name or mentee.preferred_name
    wanted = set(letter.categories)
    out = _Writer()
    out.pdf.set_title(latin1(gettext("Letter from %(program)s") % {"program": program}))
    out.pdf.set_creator("Peerpath")
    out.para(f"{program}\n{formats.date_format(letter.on, 'F j, Y')}")
    out.para(gettext("To: %(recipient)s") % {"recipient": d.recipient_name})
    out.heading(gettext("About %(name)s") % {"name": name}, size=16)
    out.para(
        gettext("Purpose, in the words of the consent: %(purpose)s.")
        % {"purpose": d.get_purpose_display()}
    )
    out.para(
        gettext(
            "%(name)s takes part in %(program)s's peer recovery mentorship and has consented "
            "in writing to the program sharing the following with you (%(categories)s)."
        )
        % {"name": name, "program": program, "categories": "; ".join(d.get_categories_display())}
    )
    if InformationCategory.CONTACT in wanted:
        out.heading(gettext("Contact details"))
        missing = gettext("not on record")
        out.para(
            gettext("Phone: %(phone)s. Email: %(email)s.")
            % {
                "phone": letter.contact.get("phone") or missing,
                "email": letter.contact.get("email") or missing,
            }
        )
    if InformationCategory.ATTENDANCE in wanted:
        a = letter.attendance
        out.heading(gettext("Attendance"))
        text = gettext("Since %(since)s: %(held)s held and %(attempted)s.") % {
            "since": _day(a["since"]),
            "held": ngettext("%(n)s check-in", "%(n)s check-ins", a["contacts"])
            % {"n": a["contacts"]},
            "attempted": ngettext(
                "%(n)s attempted contact", "%(n)s attempted contacts", a["attempts"]
            )
            % {"n": a["attempts"]},
        }
        if a["last"]:
            text += " " + gettext("Last check-in: %(day)s.") % {"day": _day(a["last"])}
        out.para(text)
    if InformationCategory.PLAN in wanted:
        out.heading(gettext("Recovery plan goals"))
        out.items(
            [
                f"{goal.get_domain_display()[:1].upper()}{goal.get_domain_display()[1:]}: "
                f"{goal.description} ({goal.get_status_display()})"
                for goal in letter.goals
            ],
            gettext("No active recovery plan."),
        )
    if InformationCategory.CHECKIN_SUMMARIES in wanted:
        out.heading(gettext("Check-ins"))
        lines = []
        for c in letter.checkins:
            parts = [str(c["kind"])]
            if c["delivery"]:
                parts.append(str(c["delivery"]))
            if c["minutes"]:
                parts.append(gettext("%(minutes)s min") % {"minutes": c["minutes"]})
            line = f"{_day(c['on'])}: " + ", ".join(parts)
            if c["support"]:
                line += "; " + gettext("support: %(kinds)s") % {"kinds": c["support"]}
            lines.append(line)
        out.items(lines, gettext("No check-ins in this period."))
    if InformationCategory.SUBSTANCE_USE in wanted:
        out.heading(gettext("Substance use reported at check-ins"))
        lines = []
        for row in letter.substance_use:
            parts = []
            if row["days"] is not None:
                parts.append(
                    ngettext(
                        "%(n)s day of use since the previous check-in",
                        "%(n)s days of use since the previous check-in",
                        row["days"],
                    )
                    % {"n": row["days"]}
                )
            if row["craving"] is not None:
                parts.append(gettext("craving %(n)s of 10") % {"n": row["craving"]})
            lines.append(f"{_day(row['on'])}: " + "; ".join(parts))
        out.items(lines, gettext("Nothing reported in this period."))
    if InformationCategory.ASSESSMENTS in wanted:
        out.heading(gettext("Recovery capital (BARC-10)"))
        out.items(
            [
                gettext("%(day)s: %(total)s of 60") % {"day": _day(a.assessed_on), "total": a.total}
                for a in letter.assessments
            ],
            gettext("No assessment on record."),
        )
    out.heading(gettext("The consent this relies on"))
    ends = (
        gettext("ends on %(day)s") % {"day": _day(consent.expires_on)}
        if consent.expires_on
        else gettext("ends when: %(event)s") % {"event": consent.expiry_event}
    )
    out.para(
        gettext(
            "Signed %(day)s by %(signer)s: to %(recipient)s, for %(purpose)s, covering "
            "%(categories)s; %(ends)s. The person may revoke it at any time."
        )
        % {
            "day": _day(consent.signed_at),
            "signer": consent.signed_name,
            "recipient": consent.recipient_display(),
            "purpose": consent.get_purpose_display(),
            "categories": "; ".join(consent.get_categories_display()),
            "ends": ends,
        }
    )
    out.para(f"{d.disclosed_by.get_full_name()}, {program}")
    heading, _, body = notice_text().partition("\n\n")
    out.heading(heading, size=11)
    out.para(body, size=9)
    return bytes(out.pdf.output())
