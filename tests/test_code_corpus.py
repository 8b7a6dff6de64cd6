"""The code reader over real extensions (../shared/corpus/code): what it reports for each.

Each expectation was checked by reading the repository's code; the reasons are in the
comments. Skipped, with the reason printed, when the corpus is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.calls.rules import CODE_RULES
from checker.validate import CRASH_RULE, check_extension
from checker.workspace import read_extension

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ZMG_SHARED", ROOT.parent / "shared"))
CODE = SHARED / "corpus" / "code"
IDS = {info.id for info in CODE_RULES}

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
