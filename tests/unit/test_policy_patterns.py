"""Properties of allow and deny patterns on Zoho scopes: a family pattern matches the whole
family, with or without an operation; deny is never narrower than a glob; allow never reaches
beyond what its pattern spells."""

from __future__ import annotations

import fnmatch

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.changes import Change, ChangeKind, Risk
from checker.findings import Location
from checker.policy import matching_pattern
from checker.scopes import KNOWN_SERVICES, OPERATIONS, ascii_lower, parse_zoho_scope

# Every Zoho service prefix, as documented and in other letter cases (patterns ignore case)
SERVICES = st.sampled_from(
    sorted(
        {form for name in KNOWN_SERVICES.values() for form in (name, name.upper(), name.lower())}
    )
)
SEGMENTS = st.sampled_from(
    [
        "settings",
        "SETTINGS",
        "settingsx",
        "setting",
        "tickets",
        "extension",
        "modules",
        "leads",
        "salesorders",
        "forms",
    ]
)
OPERATION = st.one_of(st.none(), st.sampled_from(OPERATIONS), st.sampled_from(["all", "Read"]))
WILDCARDS = st.sampled_from(["*", "?", "[st]*"])


@st.composite
def families(draw: st.DrawFn) -> str:
    """A scope family without an operation: Service.resource[.sub]."""
    return ".".join([draw(SERVICES), *draw(st.lists(SEGMENTS, min_size=1, max_size=2))])


@st.composite
def scopes(draw: st.DrawFn) -> str:
    """A Zoho scope: Service.resource[.sub...][.OPERATION], fullaccess now and then."""
    if draw(st.integers(0, 9)) == 0:
        return f"{draw(SERVICES)}.fullaccess" + draw(st.sampled_from(["", ".all", ".READ"]))
    parts = [draw(families())]
    operation = draw(OPERATION)
    if operation is not None:
        parts.append(operation)
    return ".".join(parts)


@st.composite
def members(draw: st.DrawFn, family: str) -> str:
    """A scope of ``family``: its resource or below, any operation or none, any case."""
    parts = [family, *draw(st.lists(SEGMENTS, max_size=2))]
    operation = draw(OPERATION)
    if operation is not None:
        parts.append(operation)
    text = ".".join(parts)
    return draw(st.sampled_from([text, text.lower(), text.upper()]))


@st.composite
def patterns(draw: st.DrawFn) -> str:
    """Patterns as policies write them: families, exact scopes, globs with wildcards."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(families()) + ".*"
    if kind == 1:
        return draw(scopes())
    parts = draw(scopes()).split(".")
    index = draw(st.integers(0, len(parts) - 1))
    parts[index] = draw(WILDCARDS)
    return ".".join(parts)


def _change(scope: str) -> Change:
    kind = ChangeKind.SCOPE_ADDED
    return Change(kind, "c", "d", True, Risk.HIGH, Location("m.json", ""), subject=scope)


def deny(pattern: str, scope: str) -> bool:
    return matching_pattern([pattern], _change(scope), covering=True) is not None


def allow(pattern: str, scope: str) -> bool:
    return matching_pattern([pattern], _change(scope), covering=False) is not None


def _glob(pattern: str, scope: str) -> bool:
    return fnmatch.fnmatchcase(ascii_lower(scope), ascii_lower(pattern))


PROPERTY = settings(max_examples=400, deadline=None)


@PROPERTY
@given(family=families(), data=st.data())
def test_a_family_pattern_matches_every_scope_of_its_family(family: str, data: st.DataObject):
    scope = data.draw(members(family))
    assert deny(f"{family}.*", scope)
    assert allow(f"{family}.*", scope)
    assert deny(family, scope)  # an operation-less deny pattern names the family too


@PROPERTY
@given(pattern=patterns(), scope=scopes())
def test_deny_is_never_narrower_than_allow_or_the_glob(pattern: str, scope: str):
    if _glob(pattern, scope) or allow(pattern, scope):
        assert deny(pattern, scope)


@PROPERTY
@given(pattern=patterns(), scope=scopes())
def test_allow_reaches_only_what_the_pattern_spells(pattern: str, scope: str):
    if not allow(pattern, scope):
        return
    if _glob(pattern, scope):
        return
    # the one addition: an operation-less scope is in the family of `stem.*`
    assert pattern.endswith(".*")
    parsed = parse_zoho_scope(scope)
    assert parsed is not None
    assert parsed.operation is None
    assert _glob(pattern[:-2], scope)


@PROPERTY
@given(family=families(), scope=scopes())
def test_a_family_deny_never_reaches_a_sibling_or_another_service(family: str, scope: str):
    if not (deny(f"{family}.*", scope) or deny(family, scope)):
        return
    named = parse_zoho_scope(family)
    found = parse_zoho_scope(scope)
    assert named is not None
    assert found is not None
    assert ascii_lower(found.service) == ascii_lower(named.service)
    if found.is_full_access:
        return  # covers the whole service
    path, found_path = named.key[1], found.key[1]
    shorter = min(len(path), len(found_path))
    # in the family, or a parent of it (whose grant reaches down into the family)
    assert path[:shorter] == found_path[:shorter], (family, scope)


@PROPERTY
@given(scope=scopes(), data=st.data())
def test_an_exact_allow_pattern_allows_that_scope_alone(scope: str, data: st.DataObject):
    other = data.draw(scopes())
    if allow(scope, other):
        assert ascii_lower(other) == ascii_lower(scope)
