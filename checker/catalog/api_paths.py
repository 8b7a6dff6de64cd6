"""The shipped table of Zoho API paths and methods to the OAuth scopes that serve them."""

from __future__ import annotations

import fnmatch
import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from checker.package_data import read_text

DC = "{dc}"


@dataclass(frozen=True, slots=True)
class Api:
    """A Zoho REST API: its hosts (``{dc}`` for a data-centre suffix) and base paths."""

    id: str
    name: str
    hosts: tuple[str, ...]
    bases: tuple[re.Pattern[str], ...]
    operations: dict[str, str]


@dataclass(frozen=True, slots=True)
class PathRule:
    """One row: a path template under an API's base, the methods it covers (all when
    empty), an operation that replaces the method's, and what it needs: every requirement
    of ``needs``, each satisfied by any one of its scopes."""

    api: str
    path: str
    segments: tuple[str, ...]
    methods: frozenset[str]
    op: str | None
    needs: tuple[tuple[str, ...], ...]
    source: str

    @property
    def specificity(self) -> tuple[int, int, int]:
        """Sort key: more literal segments first, a trailing ``**`` last."""
        literal = sum(1 for s in self.segments if not s.startswith("{") and s != "**")
        return (-literal, int(self.segments[-1:] == ("**",)), -len(self.segments))


@dataclass(frozen=True, slots=True)
class Needs:
    """What one request needs: requirements (each a tuple of alternative scopes), or None
    with the reason when the table cannot say."""

    api: Api | None
    requirements: tuple[tuple[str, ...], ...] | None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The loaded table."""

    data_centres: tuple[str, ...]
    apis: tuple[Api, ...]
    rules: tuple[PathRule, ...]

    def apis_for_host(self, host: str) -> tuple[Api, ...]:
        """The APIs served by a host (``desk.zoho.eu``, or a switch ``desk.zoho.{dc}``)."""
        return tuple(api for api in self.apis if any(self._host(t, host) for t in api.hosts))

    def _host(self, template: str, host: str) -> bool:
        if template == host:
            return True
        if DC not in template:
            return False
        stem = template[: template.index(DC)]
        return host.startswith(stem) and host[len(stem) :] in self.data_centres

    def is_zoho_api_host(self, host: str) -> bool:
        """Whether the host serves one of the catalogued Zoho APIs."""
        return bool(self.apis_for_host(host))

    def needs(self, host: str, path: str, method: str | None) -> Needs:
        """The scopes a request needs; ``path`` holds ``*`` for unknown parts."""
        candidates = self.apis_for_host(host)
        if not candidates:
            return Needs(None, None, "not a catalogued Zoho API host")
        for api in candidates:
            for base in api.bases:
                match = base.match(path)
                if match is None:
                    continue
                rest = path[match.end() :]
                if rest and not rest.startswith("/"):
                    continue
                return self._needs(api, rest, method)
        return Needs(candidates[0], None, f"the path {path or '/'} is not under a known API base")

    def _needs(self, api: Api, rest: str, method: str | None) -> Needs:
        segments = tuple(s for s in rest.split("/") if s)
        if method is None:
            return Needs(api, None, "the HTTP method is not known")
        for rule in self.rules:
            if rule.api != api.id or (rule.methods and method not in rule.methods):
                continue
            captures = _match(rule.segments, segments)
            if captures is None:
                continue
            op = rule.op or api.operations.get(method)
            if op is None:
                return Needs(api, None, f"no operation is known for {method}")
            captures["op"] = op
            needs = tuple(
                tuple(dict.fromkeys(_fill(scope, captures) for scope in requirement))
                for requirement in rule.needs
            )
            return Needs(api, needs)
        shown = "/" + "/".join(segments)
        return Needs(api, None, f"no scope is catalogued for {method} {api.name} {shown}")


def _match(template: tuple[str, ...], segments: tuple[str, ...]) -> dict[str, str] | None:
    """Captures when ``segments`` (``*`` marks unknown text) fit the template, else None.

    An unknown part is taken for one segment (an id), as in every observed extension; a
    literal segment of the template never matches unknown text.
    """
    captures: dict[str, str] = {}
    for index, part in enumerate(template):
        if part == "**":
            return captures
        if index >= len(segments):
            return None
        segment = segments[index]
        if part == "{id}":
            continue
        if part.startswith("{"):
            if "*" in segment:
                return None
            name = part[1:-1]
            if name[0].isupper() and not segment[:1].isupper():
                return None
            captures[name.lower()] = segment.lower()
            continue
        if "*" in part:
            prefix = segment.split("*", 1)[0]
            if "*" in segment:
                if not prefix.startswith(part.split("*", 1)[0]):
                    return None
            elif not fnmatch.fnmatchcase(segment, part):
                return None
            continue
        if segment != part:
            return None
    return captures if len(segments) == len(template) else None


def _fill(scope: str, captures: dict[str, str]) -> str:
    return re.sub(r"\{([a-z]+)\}", lambda m: captures.get(m.group(1), m.group(0)), scope)


def _base(text: str) -> re.Pattern[str]:
    return re.compile(re.escape(text).replace(r"\{n\}", r"[0-9]+"))


def load_data(data: dict[str, Any]) -> Catalogue:
    """Build the catalogue from the file's parsed JSON (validated by the tests' schema)."""
    apis = tuple(
        Api(
            entry["id"],
            entry["name"],
            tuple(entry["hosts"]),
            tuple(_base(b) for b in entry["bases"]),
            dict(entry["operations"]),
        )
        for entry in data["apis"]
    )
    rules = tuple(
        PathRule(
            entry["api"],
            entry["path"],
            tuple(s for s in entry["path"].split("/") if s),
            frozenset(entry.get("methods", ())),
            entry.get("op"),
            tuple(tuple(r) for r in entry["needs"]),
            entry["source"],
        )
        for entry in data["paths"]
    )
    ordered = tuple(sorted(rules, key=lambda r: r.specificity))
    return Catalogue(tuple(data["dataCentres"]), apis, ordered)


@functools.cache
def catalogue() -> Catalogue:
    """The shipped catalogue, loaded once."""
    text = read_text("catalog/api_paths.json")
    return load_data(json.loads(text))
