"""app/ folder rules: ZET's folder checks and its FileCheckRule (names, sizes, count, formats)."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from checker.extension import Extension, FileTree
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, quote, rule
from checker.rules.resources import js_length, node_extname
from checker.services import FILE_NAME_LIMIT, file_name_limit

APP = "app"
# ZET's constants.js: FILE_SIZE_LIMIT, MAX_FILE_NAME_LEN (non-CRM), FILES_COUNT_LIMIT.
MAX_FILE_BYTES = 5_000_000
MAX_NAME_LENGTH = FILE_NAME_LIMIT  # CRM_FILE_NAME_LIMIT (250) for CRM
MAX_FILES = 250
# file-tree-parser.js: folder names under app/ (any depth); FileCheckRule.js: file names.
FOLDER_NAME = re.compile(r"[A-Za-z0-9_$-]*\Z")
FILE_NAME = re.compile(r"[A-Za-z0-9_.$-]*\Z")
# file-tree-parser.js puts .json files of any folder whose path starts with this into
# "translations", which FileCheckRule counts twice.
TRANSLATIONS_PREFIX = "app/translations"
# .dre (Deluge) files are packed only from app/server/source/<number or "latest">/.
DRE_FOLDER = "app/server/source"
_JS_NUMBER = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|Infinity)\Z"
    r"|0[xX][0-9a-fA-F]+\Z|0[oO][0-7]+\Z|0[bB][01]+\Z"
)


class Kind(enum.Enum):
    """What ZET's file-tree parser makes of a file under app/ (constants.js ALLOWED_EXTNS)."""

    IMAGE = "images"
    STYLE = "styles"
    SCRIPT = "scripts"
    MULTIMEDIA = "multimedia"
    DATA = "data"
    VIEW = "views"
    TRANSLATION = "translations"
    MISC = "misc"  # not packed; warned about
    SKIPPED = "skipped"  # a .dre file outside its folder: silently left out


EXTENSIONS: dict[str, Kind] = {
    **dict.fromkeys((".jpg", ".jpeg", ".png", ".gif", ".svg"), Kind.IMAGE),
    **dict.fromkeys((".css", ".woff", ".woff2", ".ttf", ".eot", ".webm"), Kind.STYLE),
    ".js": Kind.SCRIPT,
    **dict.fromkeys((".mp3", ".mp4"), Kind.MULTIMEDIA),
    **dict.fromkeys((".json", ".txt", ".md", ".xml", ".dre"), Kind.DATA),
    ".html": Kind.VIEW,
}
ALLOWED = ", ".join(sorted(EXTENSIONS))


@dataclass(frozen=True, slots=True)
class AppFile:
    """One file under app/, classified the way ZET's file-tree parser does."""

    path: str
    size: int
    kind: Kind

    @property
    def name(self) -> str:
        """The file name without its folder."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def packed(self) -> bool:
        """Whether ZET packs (and so checks) the file."""
        return self.kind not in (Kind.MISC, Kind.SKIPPED)


def _js_is_numeric(text: str) -> bool:
    """JavaScript's ``!isNaN(text)`` for a folder name (blank counts as 0, so numeric)."""
    stripped = text.strip()
    return not stripped or bool(_JS_NUMBER.match(stripped))


def zet_extension(name: str) -> str:
    """The extension ZET files a name under: Node's extname, or the whole name for ``.x``."""
    return name if name.rfind(".") == 0 else node_extname(name)


def classify(path: str, size: int) -> AppFile:
    """Classify one file below app/ like ZET's ``_parserUtil``."""
    folder, _, name = path.rpartition("/")
    extension = zet_extension(name)
    if extension == ".json" and folder.startswith(TRANSLATIONS_PREFIX):
        return AppFile(path, size, Kind.TRANSLATION)
    if extension == ".dre":
        last = folder.rsplit("/", 1)[-1]
        in_source = DRE_FOLDER in folder
        if in_source and (_js_is_numeric(last) or last.strip().lower() == "latest"):
            return AppFile(path, size, Kind.DATA)
        return AppFile(path, size, Kind.SKIPPED)
    return AppFile(path, size, EXTENSIONS.get(extension, Kind.MISC))


@functools.lru_cache(maxsize=4096)
def _kind(path: str) -> Kind:
    """:func:`classify`'s kind, remembered: extensions repeat the same paths (app/widget.html)."""
    return classify(path, 0).kind


def app_files(tree: FileTree) -> tuple[AppFile, ...]:
    """Every file below app/, sorted by path."""
    return _app_view(tree)[0]


def app_folders(tree: FileTree) -> tuple[str, ...]:
    """Every folder below app/ (listed or implied by a file path), sorted."""
    return _app_view(tree)[1]


def _packed_files(ext: Extension) -> list[AppFile]:
    """The files below app/ that ZET packs, and so checks; none when the folder is unknown."""
    if ext.tree is None:
        return []
    return [item for item in app_files(ext.tree) if item.packed]


# The app/ view of the last tree asked about, as (tree, files, folders): the six rules below
# run one after another on the same extension and each needs it; building it once per
# extension instead of six times was a quarter of the time of all rules. Only the last tree
# is kept, and it is recognised by identity (a FileTree is immutable).
_LAST: list[tuple[FileTree, tuple[AppFile, ...], tuple[str, ...]] | None] = [None]


def _app_view(tree: FileTree) -> tuple[tuple[AppFile, ...], tuple[str, ...]]:
    last = _LAST[0]
    if last is not None and last[0] is tree:
        return last[1], last[2]
    below = tree.under(APP)
    files = tuple(AppFile(path, size, _kind(path)) for path, size in sorted(below.items()))
    folders = {d for d in tree.dirs if d.startswith(APP + "/")}
    parents = set()
    for path in below:
        parent = path.rpartition("/")[0]
        if parent not in parents:
            parents.add(parent)
            parts = parent.split("/")
            folders.update("/".join(parts[:i]) for i in range(2, len(parts) + 1))
    ordered = tuple(sorted(folders))
    _LAST[0] = (tree, files, ordered)
    return files, ordered


APP_FOLDER_DOC = """
**What.** The extension folder has no `app/` folder, or it is empty.

**Why.** Zoho's toolkit stops at once (`app directory is missing` / `app directory is
empty`): the widget pages, scripts, images and translations of an extension live in `app/`,
and only files below it are packed.

**Fix.** Put the widget files in `app/` (e.g. `app/widget.html`,
`app/translations/en.json`).

**Zoho's toolkit** checks this too, for every service it validates locally (and then checks
nothing else). Skipped when only the manifest is known (a git blob).
"""


@rule(
    "app-folder",
    Severity.ERROR,
    summary="The app/ folder is missing or empty.",
    doc=APP_FOLDER_DOC,
    zet=Zet.SAME,
    services=None,
)
def app_folder(ext: Extension) -> Iterator[Hit]:
    """app/ must exist and hold something."""
    tree = ext.tree
    if tree is None:
        return
    if not tree.has_dir(APP):
        if tree.exists(APP):
            message = (
                "app is a file, but it must be the folder that holds the extension's widget "
                "files; move the files into an app/ folder"
            )
        else:
            message = (
                "the extension has no app/ folder; Zoho packs only the files below app/: "
                "add it with the widget files (e.g. app/widget.html)"
            )
        yield Hit("", message, file=APP)
        return
    if not tree.under(APP) and not app_folders(tree):
        yield Hit(
            "",
            "the app/ folder is empty; Zoho's toolkit refuses an empty app/: add the widget "
            "files (e.g. app/widget.html)",
            file=APP,
        )


APP_FOLDER_NAME_DOC = """
**What.** A folder below `app/` whose name has characters other than ASCII letters, digits,
`_`, `-` and `$` (a space, a dot, non-ASCII letters).

**Why.** Zoho's toolkit stops with `Folder Name should contain only a-zA-Z0-9_-$. Invalid
Folder Name - <name>` and neither validates nor packs the extension.

**Fix.** Rename the folder (and the paths that refer to it), e.g. `app/my images` ->
`app/my-images`.

**Zoho's toolkit** checks this too, but reports only the first bad folder; this rule reports
all of them.
"""


@rule(
    "app-folder-name",
    Severity.ERROR,
    summary="A folder below app/ has characters Zoho does not allow.",
    doc=APP_FOLDER_NAME_DOC,
    zet=Zet.SAME,
    services=None,
)
def app_folder_name(ext: Extension) -> Iterator[Hit]:
    """Folder names below app/ match ``[A-Za-z0-9_$-]*``."""
    if ext.tree is None:
        return
    for folder in app_folders(ext.tree):
        name = folder.rsplit("/", 1)[-1]
        if not FOLDER_NAME.match(name):
            yield Hit(
                "",
                f"folder name {quote(name)} may contain only ASCII letters, digits, _, - and $; "
                "rename the folder and the paths that refer to it",
                file=folder,
            )


APP_FILE_NAME_DOC = """
**What.** A file below `app/` (of a format Zoho packs) whose name has characters other than
ASCII letters, digits, `_`, `.`, `-` and `$`, is longer than 50 characters (250 for a CRM
extension), or is only an extension (`.js`).

**Why.** Zoho's toolkit rejects the extension (`... contains invalid charactors`, `... length
should be less than 50 characters`, `... File name cannot be empty.`).

**Fix.** Rename the file (and the paths that refer to it), e.g. `app/js/main file.js` ->
`app/js/main-file.js`.

**Zoho's toolkit** checks the same names, for every service (with the longer limit for CRM);
files it does not pack (see `app-file-extension`) are not checked by either.
"""


@rule(
    "app-file-name",
    Severity.ERROR,
    summary="A file name below app/ is invalid, too long or only an extension.",
    doc=APP_FILE_NAME_DOC,
    zet=Zet.SAME,
    services=None,
)
def app_file_name(ext: Extension) -> Iterator[Hit]:
    """FileCheckRule's name checks on every packed file."""
    limit = file_name_limit(ext.service)
    for_service = f" for {ext.service}" if limit != MAX_NAME_LENGTH else ""
    for item in _packed_files(ext):
        name = item.name
        if name.rfind(".") == 0:
            yield Hit(
                "",
                f"file name {quote(name)} is only an extension; give the file a name "
                f"(e.g. main{name})",
                file=item.path,
            )
        if not FILE_NAME.match(name):
            yield Hit(
                "",
                f"file name {quote(name)} may contain only ASCII letters, digits, _, ., - and "
                "$; rename the file and the paths that refer to it",
                file=item.path,
            )
        # A name of n characters is n to 2n UTF-16 units long: short ones need no counting.
        if len(name) * 2 > limit and js_length(name) > limit:
            yield Hit(
                "",
                f"file name {quote(name)} is {js_length(name)} characters long; Zoho allows at "
                f"most {limit}{for_service}: shorten it",
                file=item.path,
            )


APP_FILE_SIZE_DOC = """
**What.** A file below `app/` (of a format Zoho packs) is larger than 5,000,000 bytes.

**Why.** Zoho's toolkit rejects it (`File size exceeds the allowed limit of 5MB`); widgets
load in the browser of every agent, and large bundles belong on a CDN.

**Fix.** Minify or split the file, compress the image or video, or serve it from a
whitelisted domain.

**Zoho's toolkit** checks the same limit.
"""


@rule(
    "app-file-size",
    Severity.ERROR,
    summary="A file below app/ is larger than 5,000,000 bytes.",
    doc=APP_FILE_SIZE_DOC,
    zet=Zet.SAME,
    services=None,
)
def app_file_size(ext: Extension) -> Iterator[Hit]:
    """FileCheckRule's size limit on every packed file."""
    for item in _packed_files(ext):
        if item.size > MAX_FILE_BYTES:
            yield Hit(
                "",
                f"file is {item.size:,} bytes; Zoho allows at most {MAX_FILE_BYTES:,} bytes per "
                "file: minify, split or compress it",
                file=item.path,
            )


APP_FILE_COUNT_DOC = """
**What.** `app/` holds more than 250 files of the formats Zoho packs. Like Zoho's toolkit,
the count includes every translation file (`.json` below `app/translations`) twice.

**Why.** Zoho's toolkit rejects the extension (`Maximum number of files allowed is 250`).

**Fix.** Bundle scripts and styles (e.g. with webpack), combine images into sprites, and
remove files the widgets do not use.

**Zoho's toolkit** checks the same count (translations twice, a quirk of its code, kept here
so that no extension it rejects passes).
"""


@rule(
    "app-file-count",
    Severity.ERROR,
    summary="app/ holds more than 250 packed files.",
    doc=APP_FILE_COUNT_DOC,
    zet=Zet.SAME,
    services=None,
)
def app_file_count(ext: Extension) -> Iterator[Hit]:
    """FileCheckRule's file-count limit, counted as ZET counts."""
    files = _packed_files(ext)
    translations = sum(1 for item in files if item.kind is Kind.TRANSLATION)
    count = len(files) + translations
    if count > MAX_FILES:
        counted = f"{len(files)} files"
        if translations:
            counted += f" (+{translations}: Zoho counts each translation file twice)"
        yield Hit(
            "",
            f"app/ holds {counted}, {count} in all; Zoho allows at most {MAX_FILES}: bundle "
            "scripts and styles, and remove unused files",
            file=APP,
        )


APP_FILE_EXTENSION_DOC = """
**What.** A file below `app/` whose extension Zoho does not pack. Packed formats (the
extension is compared case-sensitively): images `.jpg .jpeg .png .gif .svg`; styles and fonts
`.css .woff .woff2 .ttf .eot .webm`; scripts `.js`; media `.mp3 .mp4`; data `.json .txt .md
.xml`; views `.html`; and Deluge `.dre` files only below `app/server/source/<version>/`.

**Why.** Zoho's toolkit leaves such files out of the package without failing, so a widget
that needs `logo.PNG`, `app.mjs` or `data.csv` breaks only after it is published.

**Fix.** Rename the file to a packed extension (`logo.PNG` -> `logo.png`), convert it, or
delete it when it is not needed (build leftovers, `.DS_Store`).

**Zoho's toolkit** prints the same warning block (`Below file formats are not allowed in
Sigma`) and still passes; this rule is a warning too.
"""


@rule(
    "app-file-extension",
    Severity.WARNING,
    summary="A file below app/ has an extension Zoho does not pack.",
    doc=APP_FILE_EXTENSION_DOC,
    zet=Zet.SAME,
    services=None,
)
def app_file_extension(ext: Extension) -> Iterator[Hit]:
    """Files ZET's file-tree parser files under "misc" (not packed)."""
    if ext.tree is None:
        return
    for item in app_files(ext.tree):
        if item.kind is Kind.SKIPPED:
            yield Hit(
                "",
                "Deluge .dre files are packed only from app/server/source/<version>/ (a number "
                "or latest), so this one is left out of the extension; move or remove it",
                file=item.path,
            )
            continue
        if item.kind is not Kind.MISC:
            continue
        extension = zet_extension(item.name)
        shown = quote(extension) if extension else "no extension"
        lowered = extension.lower()
        hint = (
            f"rename it to {quote(item.name[: len(item.name) - len(extension)] + lowered)}"
            if lowered != extension and lowered in EXTENSIONS and lowered != ".dre"
            else "convert or remove it"
        )
        yield Hit(
            "",
            f"file has {shown}, a format Zoho does not pack, so it is left out of the "
            f"extension; {hint} (packed: {ALLOWED})",
            file=item.path,
        )


RULES: tuple[Rule, ...] = (
    app_folder,
    app_folder_name,
    app_file_name,
    app_file_size,
    app_file_count,
    app_file_extension,
)
