"""Widget names, URLs, images and locations (manifest-facts 2.5, 8.1)."""

from __future__ import annotations

from typing import Any

import pytest
from rules_support import TREE, found, pointers, severities, with_widgets

from checker.findings import Severity
from checker.rules.widgets import LOCATIONS, SINGLE_LOCATIONS, relative_path


def widget(name: Any = "W", url: Any = "/app/widget.html", **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"name": name, "url": url, "location": "desk.ticket.detail.rightpanel"}
    item.update(extra)
    return item


# ---- names -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Desk Extension", "a", "A-b_c 9", "Z" * 300])
def test_valid_names(name: str) -> None:
    assert found(with_widgets(widget(name)), "widget-name") == []


@pytest.mark.parametrize(
    "name", ["", "   ", "1st", "_a", "-a", "a.b", "a\n", "a\tb", "caf\u00e9", "\u0430bc", "a/b"]
)
def test_invalid_names_are_errors(name: str) -> None:
    [finding] = found(with_widgets(widget(name)), "widget-name")
    assert finding.severity is Severity.ERROR
    assert finding.location.pointer == "/modules/widgets/0/name"


def test_blank_name_is_one_finding_not_two() -> None:
    # ZET prints two lines for "" (invalid name and invalid characters); one is enough.
    assert len(found(with_widgets(widget("")), "widget-name")) == 1


def test_duplicates_are_trimmed_and_case_sensitive_errors() -> None:
    value = with_widgets(widget("Panel"), widget("Panel "), widget("panel"), widget("PANEL"))
    findings = found(value, "widget-name")
    assert [f.location.pointer for f in findings] == [
        "/modules/widgets/1/name",
        "/modules/widgets/2/name",
        "/modules/widgets/3/name",
    ]
    assert [f.severity for f in findings] == [Severity.ERROR, Severity.WARNING, Severity.WARNING]
    assert all(f.related[0].pointer == "/modules/widgets/0/name" for f in findings)


def test_names_that_are_not_strings_are_left_to_the_schema() -> None:
    value = with_widgets(widget(5), widget(None), widget(["a"]), widget({"a": 1}))
    assert found(value, "widget-name") == []


# ---- urls --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/app/widget.html",
        "/app/./widget.html",
        "//app//widget.html",
        "/app/x/../widget.html",
        "{{baseUrl}}/app/widget.html",
        "https://cdn.example.com/w.html",
        "HTTPS://cdn.example.com",
        "wss://cdn.example.com",
    ],
)
def test_accepted_widget_urls(url: str) -> None:
    assert found(with_widgets(widget(url=url)), "widget-url") == []


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("widget.html", 'use "/app/widget.html"'),
        ("app/widget.html", 'use "/app/widget.html"'),
        ("./app/widget.html", 'use "/app/widget.html"'),
        ("other.html", 'use "/app/other.html"'),
        ("/app/missing.html", "no file app/missing.html"),
        ("/APP/widget.html", "no file APP/widget.html"),
        ("/app/widget.html?v=1", "remove the ? or # part"),
        ("/../widget.html", "does not name a file inside the extension"),
        ("/", "does not name a file inside the extension"),
        ("ftp://a.com/w.html", "the scheme ftp:"),
        ("ws://a.com/w.html", "the scheme ws:"),
        ("", "has an empty url"),
        ("  ", "has an empty url"),
        ("javascript:alert(1)", "neither an absolute https URL"),
        ("<published creator page URL>", 'a bundled path such as "/app/widget.html"'),
    ],
)
def test_rejected_widget_urls(url: str, needle: str) -> None:
    [finding] = found(with_widgets(widget(url=url)), "widget-url")
    assert needle in finding.message
    assert finding.location.pointer == "/modules/widgets/0/url"


def test_file_checks_skip_without_a_folder() -> None:
    value = with_widgets(widget(url="/app/missing.html", logo="/app/none.png"))
    assert found(value, "widget-url", tree=None) == []
    assert found(value, "widget-image", tree=None) == []


@pytest.mark.parametrize(
    ("path", "relative"),
    [
        ("/app/a.html", "app/a.html"),
        ("app/a.html", "app/a.html"),
        ("/app/../app/a.html", "app/a.html"),
        ("/../a.html", None),
        ("/app/../../a", None),
        ("/", None),
        ("/./", None),
    ],
)
def test_relative_path(path: str, relative: str | None) -> None:
    assert relative_path(path) == relative


# ---- logo and icon -----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["logo", "icon"])
def test_image_checks_are_independent_like_zet(key: str) -> None:
    value = with_widgets(widget(**{key: "app/img/logo.PNG"}))
    messages = [f.message for f in found(value, "widget-image")]
    assert len(messages) == 3
    assert 'rename the file to end in ".png"' in messages[0]
    assert "starting with /" in messages[1]
    assert "no file app/img/logo.PNG" in messages[2]


@pytest.mark.parametrize(
    ("value", "count"),
    [
        ("/app/img/logo.png", 0),
        ("/app/img/logo.webp", 2),
        ("/app/img/logo", 2),
        ("/app/img/.png", 2),
        ("app/img/logo.png", 1),
        ("/app/img/gone.gif", 1),
    ],
)
def test_image_values(value: str, count: int) -> None:
    assert len(found(with_widgets(widget(logo=value)), "widget-image")) == count


@pytest.mark.parametrize("bad", [None, 5, [], {}, True])
def test_non_string_images_are_left_to_the_schema(bad: Any) -> None:
    assert found(with_widgets(widget(logo=bad, icon=bad)), "widget-image") == []


# ---- locations ---------------------------------------------------------------------------


def test_all_37_declared_locations_and_custom_modules_pass() -> None:
    assert len(LOCATIONS) == 37
    items = [widget(f"W{i}", location=loc) for i, loc in enumerate(LOCATIONS)]
    items.append(widget("Custom", location="desk.cm_projects.detail.subtab"))
    items.append(widget("Custom2", location="desk.Vendors.detail.subtab"))
    assert found(with_widgets(*items), "widget-location") == []


@pytest.mark.parametrize(
    ("location", "guess"),
    [
        ("desk.ticket.details.rightpanel", "desk.ticket.detail.rightpanel"),
        ("Desk.Ticket.Detail.RightPanel", "desk.ticket.detail.rightpanel"),
        ("desk.topbar", "desk.topband"),
        ("desk.tickets.detail.subtab", "desk.ticket.detail.subtab"),
        ("desk.contacts.detail.subtab", "desk.contact.detail.subtab"),
        ("somewhere", None),
        ("", None),
    ],
)
def test_unknown_locations_are_warned(location: str, guess: str | None) -> None:
    [finding] = found(with_widgets(widget(location=location)), "widget-location")
    assert finding.severity is Severity.WARNING
    if guess:
        assert f'"{guess}"' in finding.message
    else:
        assert "WidgetLocations.html" in finding.message


def test_missing_location_is_warned_at_the_widget() -> None:
    item = widget()
    del item["location"]
    assert pointers(with_widgets(item), "widget-location") == ["/modules/widgets/0"]


@pytest.mark.parametrize("location", SINGLE_LOCATIONS)
def test_single_locations_hold_one_widget(location: str) -> None:
    value = with_widgets(
        widget("A", location=location),
        widget("B", location=location),
        widget("C", location=location),
    )
    findings = found(value, "widget-single-location")
    assert [f.location.pointer for f in findings] == [
        "/modules/widgets/1/location",
        "/modules/widgets/2/location",
    ]
    assert all(f.related[0].pointer == "/modules/widgets/0/location" for f in findings)


def test_other_locations_may_repeat() -> None:
    value = with_widgets(widget("A"), widget("B"), widget("C", location="desk.background"))
    assert found(value, "widget-single-location") == []


# ---- remote code -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "severity"),
    [
        ("https://cdn.example.com/w.html", Severity.NOTICE),
        ("http://cdn.example.com/w.html", Severity.WARNING),
        ("wss://cdn.example.com/w", Severity.WARNING),
    ],
)
def test_remote_widget_code(url: str, severity: Severity) -> None:
    assert severities(with_widgets(widget(url=url)), "widget-remote-url") == [severity]


@pytest.mark.parametrize(
    "url", ["/app/widget.html", "http://localhost:8080/w.html", "{{base}}/w", "ftp://a.com"]
)
def test_no_remote_finding_for_bundled_local_or_rejected_urls(url: str) -> None:
    assert found(with_widgets(widget(url=url)), "widget-remote-url") == []


def test_other_dc_urls_are_checked_like_the_url() -> None:
    item = widget(
        other_dc_urls={"eu": "http://eu.example.com/w.html", "in": ["https://in.example.com"]}
    )
    value = with_widgets(item)
    assert pointers(value, "widget-remote-url") == [
        "/modules/widgets/0/other_dc_urls/eu",
        "/modules/widgets/0/other_dc_urls/in/0",
    ]


def test_the_template_tree_has_the_files_the_valid_manifest_names() -> None:
    assert TREE.exists("app/widget.html")
    assert found(with_widgets(widget()), "widget-url") == []
