"""Read a page's forms as a browser would send them, and its error summary.

`page_form(html, field)` is the data of the form that has `field`: every
named input, select and textarea with the value the page shows (checked
boxes and radios, selected options), so that a test submits what a person
would, changing only what it means to. `error_summary(html)` is the GOV.UK
error summary at the top of a form: each message with the id it links to.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.html import strip_tags


@dataclass
class Form:
    action: str | None
    data: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def names(self) -> set[str]:
        return set(self.data) | self.declared

    declared: set[str] = field(default_factory=set)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.ids: set[str] = set()
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None  # name, multiple
        self._selected: list[str] = []
        self._first_option: str | None = None
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {key: (value if value is not None else "") for key, value in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "form":
            self._form = Form(action=a.get("action"))
            self.forms.append(self._form)
            return
        form, name = self._form, a.get("name")
        if form is None or not name:
            if tag == "option" and self._select is not None:
                self._option_start(a)
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            form.declared.add(name)
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.add(name, a.get("value", "on"))
                return
            form.add(name, a.get("value", ""))
        elif tag == "select":
            form.declared.add(name)
            self._select, self._selected, self._first_option = (name, "multiple" in a), [], None
        elif tag == "textarea":
            form.declared.add(name)
            self._textarea, self._text = name, []

    def _option_start(self, a):
        value = a.get("value")
        self._option = {"value": value, "selected": "selected" in a, "text": []}

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            option = self._option
            value = option["value"] if option["value"] is not None else "".join(option["text"])
            if self._first_option is None:
                self._first_option = value
            if option["selected"]:
                self._selected.append(value)
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple = self._select
            chosen = self._selected or ([] if multiple else [self._first_option or ""])
            for value in chosen:
                self._form.add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            # A browser drops the one newline that follows <textarea>.
            self._form.add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def _parse(html: str) -> _FormParser:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser


def page_form(html: str, field_name: str) -> dict[str, str | list[str]]:
    """The data the page's form with `field_name` sends as it is shown."""
    forms = [form for form in _parse(html).forms if field_name in form.names()]
    assert forms, f"no form on the page has a field {field_name!r}"
    data = forms[0].data
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def element_ids(html: str) -> set[str]:
    return _parse(html).ids


@dataclass(frozen=True)
class SummaryItem:
    text: str
    href: str | None


class _SummaryParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[SummaryItem] = []
        self._depth = 0  # inside the summary's <div>
        self._item: list[str] | None = None
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and "error-summary" in (a.get("class") or "").split():
            self._depth = 1
        elif self._depth and tag == "div":
            self._depth += 1
        elif self._depth and tag == "li":
            self._item, self._href = [], None
        elif self._depth and tag == "a" and self._item is not None:
            self._href = a.get("href")

    def handle_data(self, data):
        if self._item is not None:
            self._item.append(data)

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag == "li" and self._item is not None:
            text = " ".join(strip_tags("".join(self._item)).split())
            self.items.append(SummaryItem(text, self._href))
            self._item = None
        elif tag == "div":
            self._depth -= 1


def error_summary(html: str) -> list[SummaryItem]:
    parser = _SummaryParser()
    parser.feed(html)
    parser.close()
    return parser.items
