"""The summaries rendered for real, as GitHub renders comments (cmark-gfm with its tables,
strikethrough, autolink and tagfilter extensions), and the HTML checked: links where
expected, no markdown or HTML leaking from manifest values, every table whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from conftest import ROOT
from summary_cases import BASE_SHA, CASES, HEAD_SHA

GOLDEN = ROOT / "tests" / "golden"
EXTENSIONS = ["table", "strikethrough", "autolink", "tagfilter"]
REPO = "https://github.com/octo-org/orders-extension/blob/"
DOCS_HOSTS = (
    "https://desk.zoho.com/",
    "https://www.zoho.com/",
    "https://developers.google.com/",
    "https://docs.github.com/",
)
# What the summaries may contain once rendered: markdown's own elements and the few tags
# the renderer writes itself (<br>, <wbr>, <code>, <details>, <summary>).
ALLOWED = {
    "h2", "h3", "p", "ul", "li", "strong", "em", "del", "code", "a", "br", "wbr",
    "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "blockquote",
}  # fmt: skip


def to_html(text: str) -> str:
    """HTML as GitHub's renderer makes it, raw HTML kept (its sanitiser runs afterwards)."""
    return cmarkgfm.markdown_to_html_with_extensions(
        text, options=Options.CMARK_OPT_UNSAFE, extensions=EXTENSIONS
    )


@dataclass
class Table:
    header: int = 0
    rows: list[int] = field(default_factory=list)


class Page(HTMLParser):
    """Tags, links, tables, and the text outside code elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.links: list[tuple[str, str]] = []
        self.tables: list[Table] = []
        self.text: list[str] = []
        self._code = 0
        self._link: list[str] | None = None
        self._href = ""
        self._cells = 0
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "code":
            self._code += 1
        elif tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._link = []
        elif tag == "table":
            self.tables.append(Table())
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._cells = 0
        elif tag in ("td", "th"):
            self._cells += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._code -= 1
        elif tag == "a" and self._link is not None:
            self.links.append((self._href, "".join(self._link)))
            self._link = None
        elif tag == "thead":
            self._in_head = False
        elif tag == "tr":
            if self._in_head:
                self.tables[-1].header = self._cells
            else:
                self.tables[-1].rows.append(self._cells)

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.append(data)
        if not self._code:
            self.text.append(data)


def page(name: str) -> tuple[str, Page]:
    text = (GOLDEN / f"summary-{name}.md").read_text(encoding="utf-8")
    parsed = Page()
    parsed.feed(to_html(text))
    return text, parsed


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_markdown_or_html_leaks_and_tables_are_whole(name: str) -> None:
    text, parsed = page(name)
    assert parsed.tags <= ALLOWED, f"unexpected elements: {parsed.tags - ALLOWED}"
    plain = "".join(parsed.text)
    # the renderer's own markup never shows as text (the hostile case's values may show
    # ** and []( literally, escaped: the tag and link checks cover them)
    leaks = ["~~", "<br>", "<wbr>", "<code>", "\\|", "&lt;", "&amp;", "&#32;"]
    if name != "hostile":
        leaks += ["**", "](", "|"]  # no table row fell apart into text
    for leak in leaks:
        assert leak not in plain, f"{leak!r} shows as text"
    assert "@octocat" not in plain  # a mention outside code would ping
    assert parsed.tables, "every case has a connection table"
    for table in parsed.tables:
        assert table.header in (2, 4)
        assert table.rows
        assert all(cells == table.header for cells in table.rows)
    assert text.count("\n| ") == sum(len(t.rows) + 1 for t in parsed.tables)


@pytest.mark.parametrize("name", sorted(CASES))
def test_links_go_to_the_lines_at_the_commits_or_to_scope_docs(name: str) -> None:
    _, parsed = page(name)
    for href, label in parsed.links:
        if href.startswith(REPO):
            sha, _, rest = href.removeprefix(REPO).partition("/")
            assert sha == (BASE_SHA if label.endswith("of the base") else HEAD_SHA)
            line = rest.rpartition("#L")[2]
            assert label in (f"line {line}", f"line {line} of the base") or label.startswith(
                f"{line}:"
            )
        else:
            assert href.startswith(DOCS_HOSTS), f"unexpected link {href} ({label!r})"
            assert label == "docs"
    plain = "".join(parsed.text)
    line_words = plain.count("line ") - plain.count("per line")
    linked = sum(1 for _, label in parsed.links if label.startswith("line "))
    assert linked == line_words, "every line reference is a link"


def test_hostile_values_render_inert() -> None:
    _, parsed = page("hostile")
    assert "script" not in parsed.tags
    assert "img" not in parsed.tags
    assert not any("evil.example" in href for href, _ in parsed.links)


def test_more_than_ten_findings_fold_into_details() -> None:
    _, parsed = page("many-findings")
    assert "details" in parsed.tags
    findings = [t for t in parsed.tables if t.header == 4]
    assert [len(t.rows) for t in findings] == [10, 4]


def test_scopes_are_struck_through_when_removed() -> None:
    html = to_html((GOLDEN / "summary-removed.md").read_text(encoding="utf-8"))
    assert "<del><code>Desk.<wbr>tickets.<wbr>READ</code></del>" in html
