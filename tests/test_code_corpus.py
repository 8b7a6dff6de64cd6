"""The code reader over real extensions (../shared/corpus/code): what it reports for each.

Each expectation was checked by reading the repository's code; the reasons are in the
comments. Skipped, with the reason printed, when the corpus is absent.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from checker.calls.rules import CODE_RULES
from checker.changes import USAGE_KINDS
from checker.compare import ManifestPair, analyse
from checker.extension import ExtensionInput
from checker.policy import DEFAULT_POLICY
from checker.validate import CRASH_RULE, check_extension
from checker.workspace import read_extension

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ZMG_SHARED", ROOT.parent / "shared"))
CODE = SHARED / "corpus" / "code"
IDS = {info.id for info in CODE_RULES}
CONNECTION_MEMBERS = ("zohoAuthorisation", "connectors", "usedConnections")

EXPECTED: dict[str, list[str]] = {
    "7heDimas__zoho-widget": [],
    "Ashok-Kumar-E__DCLExtension": [
        "code-not-analysed app/widget.html:1139",
        "code-not-analysed app/widget.html:1262",
        "code-not-analysed app/widget.html:1301",
        "code-not-analysed app/widget.html:1437",
        "code-not-analysed app/widget.html:1447",
        "code-not-analysed app/widget.html:1478",
        "code-not-analysed app/widget.html:1783",
        "code-not-analysed app/widget.html:1792",
        "code-not-analysed app/widget.html:1818",
    ],
    "Bramose__ZohoDeskWidgetVue": [],
    "Kiruthika2820__zoho-sign-backend": [
        "connection-unused plugin-manifest.json:31",
        "domain-unused plugin-manifest.json:7",
    ],
    "Rich-Ascent__Springboard-Desk-Extension": [
        "domain-unused plugin-manifest.json:12",
        "scope-unused plugin-manifest.json:51",
        "scope-unused plugin-manifest.json:52",
    ],
    "TimHill83__zoho-desk-extension-react-ts-tailwind": [],
    "VickyUpwise__twilioSmsExtension": [],
    "YashP97__Zoho-Mail-Extension": [
        "code-not-analysed app/js/newsoapapis.js:171",
        "code-not-analysed app/js/newsoapapis.js:195",
        "code-not-analysed app/js/newsoapapis.js:215",
        "code-not-analysed app/js/newsoapapis.js:244",
        "code-not-analysed app/js/newsoapapis.js:272",
        "code-not-analysed app/js/newsoapapis.js:290",
        "code-not-analysed app/js/newsoapapis.js:40",
        "code-not-analysed app/js/newsoapapis.js:73",
        "code-not-analysed app/js/soapapis.js:107",
        "code-not-analysed app/js/soapapis.js:127",
        "code-not-analysed app/js/soapapis.js:156",
        "code-not-analysed app/js/soapapis.js:84",
    ],
    "giovanafurlan__VTEX-ZohoDesk": [
        "domain-unused plugin-manifest.json:9",
        "fetch-host-not-allowed app/widget.html:180",
    ],
    "joshuamargareten__Zoho_Desk_Extension_Embedded_Kazoo": [
        "code-not-analysed app/js/functions.js:23"
    ],
    "krunalpatel292002__ZOHO-Books-Extension-Widgets": [
        "scope-broader plugin-manifest.json:32",
        "scope-broader plugin-manifest.json:33",
        "scope-broader plugin-manifest.json:34",
    ],
    "psmaiiecl__mesa-de-ayuda-extension": [
        "domain-unused plugin-manifest.json:36",
        "domain-unused plugin-manifest.json:8",
    ],
    "sowmiah97__handwrytten": [
        "request-host-not-whitelisted app/js/getUid.js:19",
        "request-host-not-whitelisted app/js/handwrytten.js:16",
        "request-host-not-whitelisted app/js/handwrytten.js:211",
        "request-host-not-whitelisted app/js/handwrytten.js:248",
        "request-host-not-whitelisted app/js/handwrytten.js:293",
        "request-host-not-whitelisted app/js/handwrytten.js:371",
        "request-host-not-whitelisted app/js/handwrytten.js:443",
        "request-host-not-whitelisted app/js/handwrytten.js:593",
        "request-host-not-whitelisted app/js/handwrytten.js:64",
        "request-host-not-whitelisted app/js/handwrytten.js:99",
        "scope-broader plugin-manifest.json:28",
    ],
    "webpeakbrazil__pedidos-hurb": ["scope-broader plugin-manifest.json:34"],
    "zoho__zohofinance-Bitly-Invoice-Link": ["code-not-analysed app/js/extension.js:299"],
    "zohodesk-developers__extension-samples/creator-form-in-desk": [],
    "zohodesk-developers__extension-samples/customer-insights": [
        "scope-unused plugin-manifest.json:31"
    ],
    "zohodesk-developers__extension-samples/multidc-desk-extension": [
        "domain-unused plugin-manifest.json:12"
    ],
}


def _reported(manifest: Path) -> list[str]:
    source = read_extension(manifest, 5_000_000, CODE, code=True)
    findings = check_extension(source).report.findings
    assert not [f for f in findings if f.rule == CRASH_RULE], [f.message for f in findings]
    return sorted(
        {
            f"{f.rule} {os.path.relpath(f.location.file, manifest.parent)}:"
            f"{f.location.span.line if f.location.span else 0}"
            for f in findings
            if f.rule in IDS
        }
    )


def _roots() -> list[Path]:
    if not CODE.is_dir():
        return []
    return sorted(CODE.rglob("plugin-manifest.json"))


@pytest.mark.skipif(not CODE.is_dir(), reason=f"no code corpus at {CODE}")
def test_every_corpus_extension_is_expected() -> None:
    found = {m.parent.relative_to(CODE).as_posix() for m in _roots()}
    assert found == set(EXPECTED), sorted(found ^ set(EXPECTED))


@pytest.mark.skipif(not CODE.is_dir(), reason=f"no code corpus at {CODE}")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_extension_reports(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = CODE / name / "plugin-manifest.json"
    if not manifest.exists():
        pytest.skip(f"{name} is not in this corpus")
    monkeypatch.chdir(CODE)
    assert _reported(Path(name) / "plugin-manifest.json") == EXPECTED[name]


# ``diff`` against the same manifest without its connections (every connection and scope is
# new): ``used_by_code`` of each escalation, by "kind after" (T true, F false, - null). Read
# against the code: Kiruthika's "sign" is named by no ZFAPPS.request (the widget reaches a
# Vercel backend by fetch); Springboard reads tickets and accounts only (no Desk.basic or
# Desk.settings call); customer-insights reads contacts and their statistics (no search);
# Kazoo's deskGet(url) takes its URL as a parameter, and Bitly calls Books'
# /share/paymentlink, whose scopes the API table does not know, so their other scopes are not
# known; the Mail extension's connector has no link name.
EXPECTED_USAGE: dict[str, str] = {
    "Ashok-Kumar-E__DCLExtension": "connection-added:zohobookscontacxmatrix=T",
    "Kiruthika2820__zoho-sign-backend": "connection-added:books=T connection-added:sign=F",
    "Rich-Ascent__Springboard-Desk-Extension": (
        "connection-added:sbde_zoho_desk=T scope-added:Desk.contacts.READ=T "
        "scope-added:Desk.tickets.READ=T scope-added:Desk.basic.READ=F "
        "scope-added:Desk.settings.READ=F connection-added:sbde_zoho_crm=T "
        "scope-added:ZohoCRM.modules.accounts.READ=T scope-added:ZohoCRM.modules.contacts.READ=T"
    ),
    "YashP97__Zoho-Mail-Extension": "connection-added:connectors[0]=-",
    "joshuamargareten__Zoho_Desk_Extension_Embedded_Kazoo": (
        "zoho-authorisation-added:zohodesk2=T scope-added:Desk.extensions.ALL=- "
        "scope-added:Desk.tickets.ALL=- scope-added:Desk.contacts.ALL=T "
        "scope-added:Desk.search.READ=- scope-added:Desk.settings.READ=T "
        "scope-added:Desk.custommodule.ALL=-"
    ),
    "krunalpatel292002__ZOHO-Books-Extension-Widgets": (
        "connection-added:books=T scope-added:ZohoBooks.custommodules.ALL=T "
        "scope-added:ZohoBooks.custommodules.All=T scope-added:ZohoBooks.fullaccess.all=T"
    ),
    "sowmiah97__handwrytten": (
        "connection-added:zohobooks=T scope-added:ZohoBooks.fullaccess.all=T"
    ),
    "webpeakbrazil__pedidos-hurb": (
        "zoho-authorisation-added:zohodesk=T scope-added:Desk.contacts.ALL=T"
    ),
    "zoho__zohofinance-Bitly-Invoice-Link": (
        "connection-added:zohobooksbitly=T scope-added:ZohoBooks.invoices.UPDATE=T "
        "scope-added:ZohoBooks.settings.All=- connection-added:zbbitly=T"
    ),
    "zohodesk-developers__extension-samples/customer-insights": (
        "connection-added:<Connection Link Name>=T scope-added:Desk.contacts.READ=T "
        "scope-added:Desk.search.READ=F"
    ),
    "zohodesk-developers__extension-samples/multidc-desk-extension": (
        "zoho-authorisation-added:deskconnection=T scope-added:Desk.tickets.READ=T"
    ),
}
_MARK = {True: "T", False: "F", None: "-"}
# Why each null above is null (``used_by_code_note``), checked against the code the same way.
KAZOO_CALL = "1 call of the connection was not analysed"  # deskGet(url): URL a parameter
EXPECTED_NOTES: dict[str, dict[str, str]] = {
    "YashP97__Zoho-Mail-Extension": {
        "connection-added:connectors[0]": "the connection has no link name for the code to name"
    },
    "joshuamargareten__Zoho_Desk_Extension_Embedded_Kazoo": {
        "scope-added:Desk.extensions.ALL": KAZOO_CALL,
        "scope-added:Desk.tickets.ALL": KAZOO_CALL,
        "scope-added:Desk.search.READ": KAZOO_CALL,
        "scope-added:Desk.custommodule.ALL": KAZOO_CALL,
    },
    "zoho__zohofinance-Bitly-Invoice-Link": {  # GET /share/paymentlink is not in the table
        "scope-added:ZohoBooks.settings.All": (
            "the API table does not know the scopes of 1 call of the connection"
        )
    },
}


@pytest.mark.skipif(not CODE.is_dir(), reason=f"no code corpus at {CODE}")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_extension_used_by_code(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = CODE / name / "plugin-manifest.json"
    if not manifest.exists():
        pytest.skip(f"{name} is not in this corpus")
    monkeypatch.chdir(CODE)
    head = read_extension(Path(name) / "plugin-manifest.json", 5_000_000, CODE, code=True)
    assert head.manifest is not None
    value = json.loads(head.manifest)
    stripped = {k: v for k, v in value.items() if k not in CONNECTION_MEMBERS}
    base = ExtensionInput(head.manifest_path, json.dumps(stripped).encode(), root=head.root)
    report = analyse([ManifestPair(head.manifest_path, base, head)], DEFAULT_POLICY)
    shown = " ".join(
        f"{c.kind.value}:{c.after}={_MARK[c.used_by_code]}"
        for c in report.manifests[0].changes
        if c.kind in USAGE_KINDS
    )
    assert shown == EXPECTED_USAGE.get(name, "")
    # the code was read: each answer that is not there says why, and only those
    notes = {
        f"{c.kind.value}:{c.after}": c.usage_note
        for c in report.manifests[0].changes
        if c.kind in USAGE_KINDS and c.usage_note is not None
    }
    assert notes == EXPECTED_NOTES.get(name, {})
    # without the code nothing is known
    blind = analyse(
        [ManifestPair(head.manifest_path, base, replace(head, code=None))], DEFAULT_POLICY
    )
    assert all(c.used_by_code is None for c in blind.manifests[0].changes)
