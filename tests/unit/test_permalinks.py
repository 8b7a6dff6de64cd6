"""Line links at the pull request's commits, and values that may wrap in table cells."""

from __future__ import annotations

import pytest

from checker.changes import Side
from checker.findings import Location, Span
from checker.reporters.escape import wrappable
from checker.reporters.permalinks import LinkContext

SHA = "a" * 40
AT = Location("ext/plugin-manifest.json", "/scope/0", span=Span(12, 3, 12, 9))


def test_a_line_links_to_the_file_at_the_head_commit() -> None:
    links = LinkContext("https://github.com/", "octo/repo", SHA)
    assert links.url(AT) == f"https://github.com/octo/repo/blob/{SHA}/ext/plugin-manifest.json#L12"


def test_the_working_directory_is_part_of_the_path_and_odd_names_are_encoded() -> None:
    links = LinkContext("https://ghe.example:8443", "o/r", SHA, root="sub dir/")
    odd = Location("x (1)/plugin#manifest.json", "", span=Span(1, 1, 1, 2))
    assert links.url(odd) == (
        f"https://ghe.example:8443/o/r/blob/{SHA}/sub%20dir/x%20%281%29/plugin%23manifest.json#L1"
    )


def test_base_lines_link_only_with_a_base_commit() -> None:
    assert LinkContext("https://github.com", "o/r", SHA).url(AT, Side.BASE) is None
    links = LinkContext("https://github.com", "o/r", SHA, base_sha="b" * 40)
    assert (
        links.url(AT, Side.BASE)
        == f"https://github.com/o/r/blob/{'b' * 40}/ext/plugin-manifest.json#L12"
    )


@pytest.mark.parametrize(
    "links",
    [
        LinkContext("javascript:alert(1)", "o/r", SHA),
        LinkContext("https://github.com", "o/r)](https://evil.example", SHA),
        LinkContext("https://github.com", "o/r", "main"),
        LinkContext("https://github.com", "../r", SHA),
        LinkContext("https://github.com", "o/r", SHA, base_sha="HEAD~1"),
    ],
)
def test_parts_github_would_not_set_give_no_links(links: LinkContext) -> None:
    assert not links.valid
    assert links.url(AT) is None


def test_no_link_without_a_line_or_out_of_the_repository() -> None:
    links = LinkContext("https://github.com", "o/r", SHA)
    assert links.url(Location("m.json", "")) is None
    assert links.url(Location("../m.json", "", span=Span(1, 1, 1, 1))) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Desk.settings.ALL", "<code>Desk.<wbr>settings.<wbr>ALL</code>"),
        ("a_b", "<code>a\\_<wbr>b</code>"),
        ("x" * 20, f"<code>{'x' * 16}<wbr>xxxx</code>"),
        ("<b>|", "<code>&lt;b&gt;\\|</code>"),
        ("@team", "<code>@\u200d<wbr>team</code>"),
        (" a  b ", "<code>&#32;a &#32;b&#32;</code>"),
        ("", "*(empty)*"),
        ("  ", "*(spaces)*"),
    ],
)
def test_wrappable_code(value: str, expected: str) -> None:
    assert wrappable(value) == expected
