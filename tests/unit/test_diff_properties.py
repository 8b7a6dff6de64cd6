"""Properties of the diff: reductions never escalate, an uncovered new scope always does."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_diff import connector, manifest, run, zoho

from checker.scopes import OPERATIONS, WRITE_COVERS, zoho_covers

SERVICES = st.sampled_from(["Desk", "ZohoCRM", "ZohoBooks", "desk", "ZOHOCRM"])
SEGMENTS = st.sampled_from(["tickets", "contacts", "settings", "modules", "leads", "fullaccess"])
OPERATION = st.one_of(st.none(), st.sampled_from(OPERATIONS), st.sampled_from(["all", "Read"]))


@st.composite
def zoho_scopes(draw: st.DrawFn) -> str:
    """A Zoho scope: Service.resource[.sub][.OPERATION], in assorted letter cases."""
    parts = [draw(SERVICES), *draw(st.lists(SEGMENTS, min_size=1, max_size=3))]
    operation = draw(OPERATION)
    if operation is not None:
        parts.append(operation)
    return ".".join(parts)


THIRD_PARTY = st.text(alphabet="abcdefghijklmnopqrstuvwxyz:_*ABC", min_size=1, max_size=12)


def _narrower(draw: st.DrawFn, scope: str) -> str:
    """A scope that ``scope`` covers: a narrower operation and/or a deeper resource."""
    parts = scope.split(".")
    operation = parts[-1].upper() if len(parts) > 2 and parts[-1].upper() in OPERATIONS else None
    if operation is None:
        return scope
    resource = parts[:-1]
    if draw(st.booleans()):
        resource = [*resource, draw(SEGMENTS)]
    if operation == "ALL":
        operation = draw(st.sampled_from(OPERATIONS))
    elif operation == "WRITE":
        operation = draw(st.sampled_from(sorted(WRITE_COVERS)))
    return ".".join([*resource, operation])


def _escalations(base: list[str], head: list[str]) -> list[str]:
    changes = run(manifest(zohoAuthorisation=zoho(*base)), manifest(zohoAuthorisation=zoho(*head)))
    return [c.kind.value for c in changes if c.escalation]


@settings(max_examples=150, deadline=None)
@given(st.lists(zoho_scopes(), min_size=1, max_size=6, unique=True), st.data())
def test_removing_scopes_never_escalates(base, data):
    head = data.draw(st.lists(st.sampled_from(base), unique=True, max_size=len(base)))
    assert _escalations(base, head) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(zoho_scopes(), min_size=1, max_size=5, unique=True), st.data())
def test_narrowing_scopes_never_escalates(base, data):
    kept = data.draw(st.lists(st.sampled_from(base), unique=True, min_size=1))
    head = [_narrower(data.draw, scope) for scope in kept]
    assert all(any(zoho_covers(b, h) for b in base) for h in head)
    assert _escalations(base, list(dict.fromkeys(head))) == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(zoho_scopes(), max_size=5, unique=True),
    zoho_scopes(),
    st.booleans(),
)
def test_a_scope_no_base_scope_covers_always_escalates(base, new, keep_base):
    assume(not any(zoho_covers(b, new) for b in base))
    head = [*base, new] if keep_base else [new]
    changes = run(manifest(zohoAuthorisation=zoho(*base)), manifest(zohoAuthorisation=zoho(*head)))
    flagged = [c for c in changes if c.escalation and c.subject == new]
    assert len(flagged) == 1
    assert flagged[0].kind.value in ("scope-added", "scope-broadened")


@settings(max_examples=100, deadline=None)
@given(st.lists(zoho_scopes(), min_size=1, max_size=5, unique=True), st.data())
def test_case_and_space_variants_never_escalate(base, data):
    def vary(scope: str) -> str:
        cased = "".join(
            c.swapcase() if c.isascii() and data.draw(st.booleans()) else c for c in scope
        )
        return f" {cased} " if data.draw(st.booleans()) else cased

    assert _escalations(base, [vary(s) for s in base]) == []


@settings(max_examples=100, deadline=None)
@given(st.lists(THIRD_PARTY, max_size=5, unique=True), THIRD_PARTY)
def test_a_new_third_party_scope_always_escalates(base, new):
    assume(new not in base and new.strip())
    changes = run(
        manifest(connectors=[connector("svc", "github", *base)]),
        manifest(connectors=[connector("svc", "github", *base, new)]),
    )
    assert [c.subject for c in changes if c.escalation] == [new]


@settings(max_examples=100, deadline=None)
@given(st.lists(THIRD_PARTY, min_size=1, max_size=5, unique=True), st.data())
def test_removing_third_party_scopes_never_escalates(base, data):
    head = data.draw(st.lists(st.sampled_from(base), unique=True))
    changes = run(
        manifest(connectors=[connector("svc", "github", *base)]),
        manifest(connectors=[connector("svc", "github", *head)]),
    )
    assert [c for c in changes if c.escalation] == []
