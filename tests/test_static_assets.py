"""No page loads anything from the internet: assets are vendored under static/."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL_ASSET = re.compile(r"""<(script|link|img)[^>]+(src|href)=["']https?://""", re.I)


def test_templates_load_no_external_assets():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if EXTERNAL_ASSET.search(path.read_text())
    ]
    assert offenders == []


def test_htmx_is_vendored():
    assert (ROOT / "static/vendor/htmx/htmx.min.js").stat().st_size > 10_000
