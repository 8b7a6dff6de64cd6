"""Pages and files a manifest points at: an absolute URL, or a bundled file as Zoho looks it up."""

from __future__ import annotations

from checker.extension import FileTree
from checker.rules.urls import is_valid_url
from checker.rules.values import is_blank
from checker.rules.widgets import relative_path


def bundled_file_problem(tree: FileTree | None, path: str) -> str | None:
    """Why ``path`` (starting with ``/``) names no file of the extension, or None.

    Zoho's toolkit joins the value to the extension folder (``path.join``) and asks whether
    anything exists there. This tool wants a file inside the folder: a folder, or a path
    that climbs out with ``..``, is not a page the package can serve. Without the folder
    (a manifest read from git alone) nothing can be said, and None is returned.
    """
    if tree is None:
        return None
    relative = relative_path(path)
    if relative is None:
        return "does not name a file inside the extension folder; fix the path"
    if tree.exists(relative):
        return None
    return f"names {relative}, which the extension does not have; add the file or fix the path"


def page_problem(
    tree: FileTree | None, value: str, example: str = "/app/widget.html"
) -> str | None:
    """Why a page value is not acceptable, or None.

    Acceptable: an absolute ``http``, ``https`` or ``wss`` URL (the toolkit's isValidURL), or
    a path starting with ``/`` to a file of the extension. The problem is a clause that
    completes "<what> <value> ..."; ``example`` is the path its fix suggests.
    """
    hint = f'a path from the extension folder such as "{example}", or an https:// URL'
    if is_valid_url(value):
        return None
    if value.startswith("/"):
        return bundled_file_problem(tree, value)
    if is_blank(value):
        return f"is empty; use {hint}"
    return f"is neither an absolute http(s) URL nor a path starting with /; use {hint}"
