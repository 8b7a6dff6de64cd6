"""Which files of an extension folder hold its code: a pure choice over a listing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from checker.calls.model import Skipped, SkipReason

# Zoho's toolkit packs app/; React, Vue and TypeScript projects keep their sources in src/
# and build into app/ (reference code-usage.md, section b).
APP_SUFFIXES = (".js", ".mjs", ".html", ".htm")
SRC_SUFFIXES = (".js", ".mjs", ".jsx", ".ts", ".tsx", ".vue")
# Folders of installed packages and build output: never the extension's own source.
SKIP_FOLDERS = frozenset({"node_modules", "dist", "build", ".git"})
# Minified by name: the usual suffixes of minifiers and bundlers.
MINIFIED_SUFFIXES = (".min.js", ".min.mjs", "-min.js", ".min.html")
# Zoho's client SDKs, vendored into app/ by some extensions (code-usage.md, section f): file
# names start with these (lower-cased). Desk's ZohoDeskClientSDK, CRM's ZohoEmbededAppSDK
# (Zoho's spelling) and Finance's zf_sdk define the request APIs; they never call them.
VENDORED_PREFIXES = (
    "zohodeskclientsdk",
    "zohoembededappsdk",
    "zohoembeddedappsdk",
    "zf_sdk",
    "zfapps_sdk",
    "zohodesksdk",
)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_TOTAL_BYTES = 16 * 1024 * 1024
MAX_FILES = 2_000


@dataclass(frozen=True, slots=True)
class Selection:
    """The code files to read (relative paths, sorted) and those left out with a reason."""

    read: tuple[str, ...]
    skipped: tuple[Skipped, ...]


def is_code_path(path: str) -> bool:
    """Whether a relative POSIX path is code of the extension by location and suffix."""
    parts = path.split("/")
    if len(parts) < 2 or any(part in SKIP_FOLDERS for part in parts[:-1]):
        return False
    lower = parts[-1].lower()
    if lower.endswith(".d.ts"):  # type declarations: no statements
        return False
    if parts[0] == "app":
        return lower.endswith(APP_SUFFIXES)
    if parts[0] == "src":
        return lower.endswith(SRC_SUFFIXES)
    return False


def select(
    files: Mapping[str, int],
    *,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_files: int = MAX_FILES,
) -> Selection:
    """Choose the code files from a listing (relative path -> size in bytes).

    Minified and vendored files are recognised by name here (by content after reading, see
    :func:`checker.calls.analyse.analyse`); files over the per-file limit, or past the
    total size or count budget (taken in path order), are left out and make the analysis
    incomplete.
    """
    read: list[str] = []
    skipped: list[Skipped] = []
    total = 0
    for path in sorted(p for p in files if is_code_path(p)):
        name = path.rsplit("/", 1)[-1].lower()
        size = files[path]
        if name.startswith(VENDORED_PREFIXES):
            skipped.append(Skipped(path, SkipReason.VENDORED, blind=False))
        elif name.endswith(MINIFIED_SUFFIXES):
            skipped.append(Skipped(path, SkipReason.MINIFIED, blind=False, detail="by its name"))
        elif size > max_file_bytes:
            skipped.append(
                Skipped(path, SkipReason.TOO_LARGE, detail=f"{size} bytes > {max_file_bytes}")
            )
        elif len(read) >= max_files or total + size > max_total_bytes:
            skipped.append(Skipped(path, SkipReason.BUDGET))
        else:
            read.append(path)
            total += size
    return Selection(tuple(read), tuple(skipped))
