"""Data files shipped inside the checker package, read through the package's own loader."""

from __future__ import annotations

import checker


def read_text(relative: str) -> str:
    """The UTF-8 text of a file shipped in the package (``schemas/x.json``, POSIX path).

    What ``pkgutil.get_data`` does: the loader that imported :mod:`checker` reads it, from
    the installed folder or a zip archive. ``importlib.resources.files`` would do the same,
    but imports zipfile, tempfile and more for it: about 8 ms of every cold start, which the
    one-extension ``check`` of the benchmark holds against Zoho's ``zet validate``.
    """
    spec = checker.__spec__
    loader = spec.loader if spec is not None else None
    folders = spec.submodule_search_locations if spec is not None else None
    get_data = getattr(loader, "get_data", None)
    if get_data is None or not folders:  # an unusual loader: the standard way
        from importlib import resources

        return resources.files("checker").joinpath(relative).read_text(encoding="utf-8")
    data: bytes = get_data(f"{next(iter(folders))}/{relative}")
    return data.decode("utf-8")
