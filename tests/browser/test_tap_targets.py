"""Tap targets of at least 24 px (WCAG 2.2 AA, 2.5.8): the axe check of every
page (tests/browser/test_every_page.py, conftest AXE_OPTIONS) turns on
axe-core's target-size rule, which it leaves off by default."""

import pytest

pytestmark = pytest.mark.browser

SMALL = '<button type="button" style="all:unset;display:inline-block;width:10px;height:10px" aria-label="{}"></button>'
PAGE = "<!doctype html><html lang='en'><title>t</title><main><h1>Taps</h1>{}</main></html>"


def test_the_page_check_refuses_tap_targets_under_24px(page, assert_accessible):
    page.set_content(PAGE.format(SMALL.format("Tick step 1") + SMALL.format("Tick step 2")))
    with pytest.raises(AssertionError, match="target-size"):
        assert_accessible(page)
    big = '<button type="button" style="min-width:24px;min-height:24px">Tick</button>'
    page.set_content(PAGE.format(big))
    assert_accessible(page)
