"""The Zoho scope grammar (reference a.3) and how scopes are normalised for comparison."""

from __future__ import annotations

import pytest

from checker.scopes import normalise, operation_covers, parse_zoho_scope, scope_problems


@pytest.mark.parametrize(
    ("raw", "service", "resource", "operation"),
    [
        ("Desk.tickets.READ", "Desk", ("tickets",), "READ"),
        ("Desk.tickets.read", "Desk", ("tickets",), "READ"),
        ("ZohoCRM.modules.leads.ALL", "ZohoCRM", ("modules", "leads"), "ALL"),
        ("Desk.imports", "Desk", ("imports",), None),
        ("Desk.settings.extension", "Desk", ("settings", "extension"), None),
        ("  Desk.tickets.READ ", "Desk", ("tickets",), "READ"),
    ],
)
def test_parse(raw, service, resource, operation):
    scope = parse_zoho_scope(raw)
    assert scope is not None
    assert (scope.service, scope.resource, scope.operation) == (service, resource, operation)


@pytest.mark.parametrize(
    "raw", ["", "email", "Desk..READ", "1Desk.tickets.READ", "Desk.tick\u0435ts.READ", "a,b.c"]
)
def test_unparseable(raw):
    assert parse_zoho_scope(raw) is None


@pytest.mark.parametrize(
    ("raw", "fragment", "error"),
    [
        ("", "is empty", True),
        (" Desk.tickets.READ", "spaces around it", True),
        ("Desk.tickets.READ,Desk.contacts.READ", "comma", True),
        ("Desk.tick\u0435ts.READ", "U+0435", True),
        ("Desk..READ", "empty segment", True),
        ("tickets", "no dots", True),
        ("Desk.tickets.REED", "did you mean READ", False),
        ("desk.tickets.read", "canonical case; write Desk.tickets.READ", False),
    ],
)
def test_scope_problems(raw, fragment, error):
    problems = scope_problems(raw)
    assert any(fragment in p.message and p.error is error for p in problems), problems


def test_well_written_scopes_have_no_problems():
    assert scope_problems("Desk.tickets.READ") == ()
    assert scope_problems("email") == ()


def test_normalise_folds_ascii_only():
    assert normalise("  Desk.Tickets.Read\t") == "desk.tickets.read"
    # U+212A KELVIN SIGN folds to "k" with str.casefold; it must stay different here
    assert normalise("Des\u212a.tickets.READ") != normalise("Desk.tickets.READ")


@pytest.mark.parametrize(
    ("held", "wanted", "expected"),
    [
        ("ALL", "CUSTOM", True),
        ("WRITE", "DELETE", True),
        ("WRITE", "READ", False),
        ("READ", "READ", True),
        ("UPDATE", "CREATE", False),
    ],
)
def test_operation_covers(held, wanted, expected):
    assert operation_covers(held, wanted) is expected
