"""Render the reviewer's summary of representative pull requests as GitHub would, screenshot
each at 780 pixels and measure that no table scrolls sideways (not run by pytest).

    python tests/tools/render_summaries.py [OUT_DIR] [--css PATH] [--cases a,b] [--file F.md ...]

Needs cmarkgfm (the test extra), headless Chromium (/usr/bin/chromium) and GitHub's
stylesheet (``npm install --prefix /work/render github-markdown-css``). Each case becomes
OUT_DIR/<case>.html and .png; the widths are printed as ``case table scrollWidth clientWidth``
and the exit code is 1 when a table is wider than its box (it would scroll).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent.parent)]

import cmarkgfm  # noqa: E402 - after the path set-up above
from cmarkgfm.cmark import Options  # noqa: E402
from summary_cases import CASES, LINKS, report  # noqa: E402

from checker.reporters import markdown  # noqa: E402

CSS = Path("/work/render/node_modules/github-markdown-css/github-markdown-light.css")
CHROMIUM = "/usr/bin/chromium"
WIDTH = 780  # the comment's width; GitHub pads its body by 16 pixels on each side
# GitHub renders comments with cmark-gfm and these extensions, raw HTML passed to a sanitiser.
EXTENSIONS = ["table", "strikethrough", "autolink", "tagfilter"]

MEASURE = """
<script>
window.addEventListener('load', () => {
  const rows = [...document.querySelectorAll('table')].map((t, i) => ({
    table: i, scrollWidth: t.scrollWidth, clientWidth: t.clientWidth}));
  const out = document.createElement("pre");
  out.hidden = true;
  out.id = 'measure';
  out.textContent = JSON.stringify({height: document.documentElement.scrollHeight, tables: rows});
  document.body.appendChild(out);
});
</script>
"""


def to_html(text: str) -> str:
    """Markdown as GitHub's renderer turns it into HTML (before its sanitiser)."""
    return cmarkgfm.markdown_to_html_with_extensions(
        text, options=Options.CMARK_OPT_UNSAFE, extensions=EXTENSIONS
    )


def page(body: str, css: str, title: str) -> str:
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{css}
body {{ margin: 0; background: #fff; }}
.markdown-body {{ box-sizing: border-box; width: {WIDTH}px; padding: 16px; }}
</style></head>
<body><article class="markdown-body">{body}</article>{MEASURE}</body></html>
"""


def chromium(*args: str) -> str:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    done = subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


def measure(file: Path) -> dict[str, object]:
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", file.as_uri())
    found = re.search(r'<pre[^>]*id="measure"[^>]*>(.*?)</pre>', dom, re.DOTALL)
    if found is None:
        raise SystemExit(f"{file.name}: the measuring script did not run")
    data: dict[str, object] = json.loads(html.unescape(found.group(1)))
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default="/tmp/summary-render", type=Path)
    parser.add_argument("--css", default=CSS, type=Path)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument(
        "--file",
        action="append",
        type=Path,
        default=[],
        help="render this markdown file (a golden, a real comment) instead of the cases",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    css = args.css.read_text(encoding="utf-8")
    wide = 0
    sources = [(f.stem, f.read_text(encoding="utf-8")) for f in args.file] or [
        (name, markdown.render(report(name), links=LINKS)) for name in args.cases.split(",")
    ]
    for name, text in sources:
        (args.out / f"{name}.md").write_text(text, encoding="utf-8")
        file = args.out / f"{name}.html"
        file.write_text(page(to_html(text), css, name), encoding="utf-8")
        data = measure(file)
        tables = data["tables"]
        assert isinstance(tables, list)
        height = min(int(str(data["height"])) + 20, 8000)
        chromium(
            f"--screenshot={args.out / (name + '.png')}",
            f"--window-size={WIDTH},{height}",
            file.as_uri(),
        )
        for table in tables:
            fits = table["scrollWidth"] <= table["clientWidth"]
            wide += not fits
            print(
                f"{name} table {table['table']} scrollWidth {table['scrollWidth']} "
                f"clientWidth {table['clientWidth']} {'fits' if fits else 'SCROLLS'}"
            )
    return 1 if wide else 0


if __name__ == "__main__":
    raise SystemExit(main())
