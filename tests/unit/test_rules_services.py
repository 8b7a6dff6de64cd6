"""The rules of the services other than Desk: Projects, SDP, Creator, Catalyst, Bigin, Mail, and
the shared rules opened to every service (app/ files with CRM's limit, cspDomains, domains)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from rules_support import TREE, check, found

from checker.extension import FileTree
from checker.findings import Finding, Severity

PROJECTS: dict[str, Any] = {
    "locale": ["en"],
    "service": "PROJECTS",
    "storage": False,
    "type": "personal",
    "whiteListedDomains": [],
    "modules": {"widgets": [{"location": "task_tab", "url": "/app/widget.html", "name": "Tasks"}]},
    "cspDomains": {"connect-src": []},
    "connectors": [],
    "config": [],
}
CONNECTOR = {
    "connectionName": "crm",
    "connectionLinkName": "crm_link",
    "serviceName": "zohocrm",
    "userAccess": True,
    "isUserDefinedService": False,
}
OPTION = {"name": "apiKey", "type": "text", "is_mandatory": True, "is_secure": True}
SDP: dict[str, Any] = {
    "service": "SDP",
    "type": "personal",
    "widgets": [
        {
            "name": "Stats",
            "description": "Ticket stats",
            "path_url": "/app/widget.html",
            "locations": ["dashboard"],
        }
    ],
}
CREATOR: dict[str, Any] = {
    "service": "CREATOR",
    "cspDomains": {"connect-src": []},
    "config": [{"name": "report", "type": "Report"}],
}
CATALYST: dict[str, Any] = {
    "service": "CATALYST",
    "client": {
        "id": "1000.ABC",
        "scope": "ZohoCatalyst.tables.rows.READ",
        "accounts-url": "https://accounts.zoho.com",
    },
    "file_location": "/app/widget.html",
}
MAIL: dict[str, Any] = {
    "locale": ["en"],
    "defaultLocale": "en",
    "service": "MAIL",
    "storage": False,
    "whiteListedDomains": [],
    "modules": {
        "widgets": [
            {
                "location": "zoho.mail.preview.rightpanel",
                "name": "Viewer",
                "url": "/app/widget.html",
            }
        ]
    },
    "connectors": [],
    "config": [],
}


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    value = copy.deepcopy(base)
    value.update(copy.deepcopy(changes))
    return value


def errors(value: Any, tree: FileTree | None = TREE) -> list[Finding]:
    return [f for f in check(value, tree) if f.severity is Severity.ERROR]


def error_rules(value: Any, tree: FileTree | None = TREE) -> set[str]:
    return {f.rule for f in errors(value, tree)}


@pytest.mark.parametrize("base", [PROJECTS, SDP, CREATOR, CATALYST, MAIL])
def test_valid_manifests_have_no_errors(base: dict[str, Any]) -> None:
    assert errors(base) == []


# --- PROJECTS ------------------------------------------------------------------------------------


def projects_widgets(*widgets: dict[str, Any]) -> dict[str, Any]:
    return with_(PROJECTS, modules={"widgets": list(widgets)})


W = PROJECTS["modules"]["widgets"][0]


def test_projects_locale_files_have_no_code_list() -> None:
    tree = FileTree({**TREE.files, "app/translations/xx.json": 2}, TREE.dirs)
    assert found(with_(PROJECTS, locale=["xx"]), "projects-locale-file", tree) == []
    assert found(with_(PROJECTS, locale=["xx"]), "locale-code", tree) == []
    [missing] = found(with_(PROJECTS, locale=["en", "fr"]), "projects-locale-file")
    assert missing.location.pointer == "/locale/1"
    assert "app/translations/fr.json" in missing.message


def test_projects_locale_may_not_lead_out_of_the_translations_folder() -> None:
    tree = FileTree({**TREE.files, "app/x.json": 2}, TREE.dirs)
    [finding] = found(with_(PROJECTS, locale=["../x"]), "projects-locale-file", tree)
    assert "leads out of app/translations" in finding.message


def test_projects_file_checks_skip_without_the_folder() -> None:
    value = with_(PROJECTS, locale=["fr"])
    value["modules"]["widgets"][0]["url"] = "/app/missing.html"
    assert error_rules(value, tree=None) == set()


def test_projects_widget_names_need_not_be_unique() -> None:
    value = projects_widgets(W, {**W, "location": "issue_tab"})
    assert error_rules(value) == set()
    [bad] = found(projects_widgets({**W, "name": "1st"}), "projects-widget-name")
    assert bad.location.pointer == "/modules/widgets/0/name"


def test_projects_locations_are_unique() -> None:
    [finding] = found(projects_widgets(W, {**W, "name": "Other"}), "projects-widget-location")
    assert finding.location.pointer == "/modules/widgets/1/location"
    assert finding.related[0].pointer == "/modules/widgets/0/location"


@pytest.mark.parametrize(
    ("url", "rejected"),
    [
        ("/app/widget.html", False),
        ("https://widgets.example.com/w", False),
        ("wss://widgets.example.com/w", False),
        ("/app/missing.html", True),
        ("/app", True),  # a folder: the toolkit accepts it, this tool does not
        ("/../outside.html", True),
        ("app/widget.html", True),
        ("{{base}}/app/widget.html", True),  # no placeholder exemption for Projects
        ("ftp://example.com/w", True),
        ("", True),
    ],
)
def test_projects_widget_urls(url: str, rejected: bool) -> None:
    hits = found(projects_widgets({**W, "url": url}), "projects-widget-url")
    assert bool(hits) is rejected


@pytest.mark.parametrize(
    ("widget", "rejected"),
    [
        ({**W, "location": "attachment_picker", "icon": "/app/img/icon.png"}, False),
        ({**W, "location": "attachment_picker", "icon": "https://cdn.example.com/i.png"}, False),
        ({**W, "location": "projectdetails_rightpanel", "icon": " "}, True),
        ({**W, "location": "attachment_picker", "icon": "/app/img/none.png"}, True),
        ({**W, "location": "attachment_picker", "icon": "img/icon.png"}, True),
        ({**W, "icon": "img/icon.png"}, False),  # other locations: icons are not checked
    ],
)
def test_projects_widget_icons(widget: dict[str, Any], rejected: bool) -> None:
    assert bool(found(projects_widgets(widget), "projects-widget-icon")) is rejected


def test_projects_icon_is_required_at_two_locations_by_the_schema() -> None:
    value = projects_widgets({**W, "location": "attachment_picker"})
    [finding] = found(value, "manifest-schema")
    assert finding.location.pointer == "/modules/widgets/0/icon"


def test_projects_link_name_is_compared_with_earlier_connection_names() -> None:
    """The toolkit's bug, kept: link "crm" clashes with the connectionName "crm" before it."""
    second = {**CONNECTOR, "connectionName": "books", "connectionLinkName": "crm"}
    [finding] = found(with_(PROJECTS, connectors=[CONNECTOR, second]), "projects-connector")
    assert finding.location.pointer == "/connectors/1/connectionLinkName"
    assert finding.related[0].pointer == "/connectors/0/connectionName"
    # ... and repeated link names, which the toolkit lets through, fail another rule
    twin = {**CONNECTOR, "connectionName": "books"}
    rules = error_rules(with_(PROJECTS, connectors=[CONNECTOR, twin]))
    assert rules == {"connection-link-name"}


def test_projects_connectors_need_userAccess_and_isUserDefinedService() -> None:
    bare = {k: v for k, v in CONNECTOR.items() if k != "userAccess"}
    [finding] = found(with_(PROJECTS, connectors=[bare]), "manifest-schema")
    assert finding.location.pointer == "/connectors/0/userAccess"
    six = [{**CONNECTOR, "connectionLinkName": f"l{i}"} for i in range(6)]
    [limit] = found(with_(PROJECTS, connectors=six), "manifest-schema")
    assert "at most 5" in limit.message


@pytest.mark.parametrize(
    ("option", "severity"),
    [
        ({"type": "number", "default": "12"}, None),
        ({"type": "number", "default": " 0x1F "}, None),
        ({"type": "number", "default": "-0x1F"}, Severity.ERROR),  # NaN in JavaScript
        ({"type": "number", "default": "12px"}, Severity.ERROR),
        ({"type": "checkbox", "default": "true"}, Severity.ERROR),
        ({"type": "checkbox"}, None),
        ({"type": "url", "default": "https://example.com"}, Severity.ERROR),
        ({"type": "selectbox", "options": ["a", "b"], "default": "a"}, Severity.ERROR),
        ({"type": "selectbox", "options": ["a", "b"], "default": "c"}, Severity.WARNING),
        ({"type": "text", "default": "anything"}, None),
    ],
)
def test_projects_config_defaults(option: dict[str, Any], severity: Severity | None) -> None:
    value = with_(PROJECTS, config=[{**OPTION, **option}])
    hits = found(value, "projects-config-default")
    assert [h.severity for h in hits] == ([severity] if severity else [])


def test_projects_config_schema_and_names() -> None:
    value = with_(PROJECTS, config=[{**OPTION, "type": "selectbox"}])
    [missing] = found(value, "manifest-schema")
    assert missing.location.pointer == "/config/0/options"
    eleven = [{**OPTION, "name": f"o{i}"} for i in range(11)]
    assert found(with_(PROJECTS, config=eleven), "manifest-schema")
    twins = with_(PROJECTS, config=[OPTION, {**OPTION, "name": " apiKey"}])
    assert [f.location.pointer for f in found(twins, "projects-config-name")] == ["/config/1/name"]


def test_projects_gets_the_desk_domain_and_csp_rules_but_not_the_desk_ones() -> None:
    value = with_(
        PROJECTS, whiteListedDomains=["example.com"], cspDomains={"connect-src": ["'self'"]}
    )
    assert error_rules(value) == {"whitelisted-domain", "csp-connect-src"}
    # Desk's locale codes and widget locations are not Projects' rules
    assert error_rules(with_(PROJECTS, locale=["en"])) == set()


# --- SDP -----------------------------------------------------------------------------------------


def sdp_widgets(*widgets: dict[str, Any]) -> dict[str, Any]:
    return with_(SDP, widgets=list(widgets))


SW = SDP["widgets"][0]


def test_sdp_names_are_unique_case_sensitively() -> None:
    assert found(sdp_widgets(SW, {**SW, "name": "stats"}), "sdp-widget-name") == []
    [twin] = found(sdp_widgets(SW, {**SW, "name": "Stats "}), "sdp-widget-name")
    assert twin.location.pointer == "/widgets/1/name"


@pytest.mark.parametrize(
    ("path", "rejected"),
    [
        ("/app/widget.html", False),
        ("https://sdp.example.com/w", False),
        ("/widget.html", True),
        ("/app", True),
        ("app/widget.html", True),
    ],
)
def test_sdp_path_url(path: str, rejected: bool) -> None:
    assert bool(found(sdp_widgets({**SW, "path_url": path}), "sdp-widget-path-url")) is rejected


def test_sdp_type_is_personal_only() -> None:
    [finding] = found(with_(SDP, type="org"), "manifest-schema")
    assert "its check accepts only" in finding.message


def test_sdp_locations_and_shape_come_from_the_schema() -> None:
    value = sdp_widgets({**SW, "locations": ["Dashboard"], "show_widget_header_in_dashboard": 1})
    pointers = {f.location.pointer for f in found(value, "manifest-schema")}
    assert pointers == {"/widgets/0/locations/0", "/widgets/0/show_widget_header_in_dashboard"}
    assert found(with_(SDP, widgets=[None]), "manifest-schema")


def test_sdp_ignores_what_the_toolkit_ignores_for_it() -> None:
    value = with_(SDP, cspDomains="x", connectors=5, config={"a": 1})
    assert errors(value) == []


# --- CREATOR -------------------------------------------------------------------------------------


def creator_config(*options: dict[str, Any]) -> dict[str, Any]:
    return with_(CREATOR, config=list(options))


def test_creator_config_keys() -> None:
    [finding] = found(
        creator_config({"name": "a", "type": "Form", "defualtValue": "x"}), "creator-config-key"
    )
    assert 'did you mean "defaultValue"' in finding.message
    assert finding.location.key


def test_creator_names_ignore_letter_case() -> None:
    hits = found(
        creator_config({"name": "Report", "type": "Form"}, {"name": "report ", "type": "Form"}),
        "creator-config-name",
    )
    assert [h.location.pointer for h in hits] == ["/config/1/name"]


def test_creator_names_are_lower_cased_before_the_regex() -> None:
    # KELVIN SIGN lower-cases to an ASCII k, as in JavaScript, so the toolkit accepts it
    assert (
        found(creator_config({"name": "\u212aelvin", "type": "Form"}), "creator-config-name") == []
    )
    assert found(creator_config({"name": "r" * 50, "type": "Form"}), "creator-config-name") == []
    assert found(creator_config({"name": "r" * 51, "type": "Form"}), "creator-config-name")


def test_creator_lengths_count_utf16_code_units() -> None:
    assert (
        found(
            creator_config({"name": "a", "type": "Form", "help": "\U0001f600" * 70}),
            "creator-config-length",
        )
        == []
    )
    [long] = found(
        creator_config({"name": "a", "type": "Form", "help": "\U0001f600" * 71}),
        "creator-config-length",
    )
    assert "142 characters" in long.message


def test_creator_crashes_of_the_toolkit_are_schema_errors() -> None:
    for option in (None, {"type": "Form"}, {"name": 5, "type": "Form"}):
        assert found(creator_config(option), "manifest-schema"), option  # type: ignore[arg-type]


def test_creator_csp_entries_are_checked() -> None:
    value = with_(CREATOR, cspDomains={"connect-src": ["ksportusa.com"]})
    assert error_rules(value) == {"csp-connect-src"}


# --- CATALYST ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "rejected"),
    [
        ("/app/widget.html", False),
        ("/app/missing.html", True),
        ("app/widget.html", True),  # the toolkit crashes (exit 0): an error here
        (" ", True),
        ("/app", True),
    ],
)
def test_catalyst_file_location(location: str, rejected: bool) -> None:
    hits = found(with_(CATALYST, file_location=location), "catalyst-file-location")
    assert bool(hits) is rejected


def test_catalyst_client() -> None:
    blank = with_(CATALYST, client={**CATALYST["client"], "id": " ", "scope": ""})
    pointers = [f.location.pointer for f in found(blank, "catalyst-client")]
    assert pointers == ["/client/id", "/client/scope"]
    bad_url = with_(
        CATALYST, client={**CATALYST["client"], "accounts-url": "https://accounts.zoho.com/"}
    )
    assert error_rules(bad_url) == {"manifest-schema"}
    assert error_rules(with_(CATALYST, client=None)) == {"manifest-schema"}


# --- BIGIN ---------------------------------------------------------------------------------------


def test_bigin_checks_only_csp() -> None:
    assert errors({"service": "BIGIN", "modules": None, "config": 5}) == []
    assert error_rules({"service": "BIGIN", "cspDomains": {}}) == {"manifest-schema"}
    assert error_rules({"service": "BIGIN", "cspDomains": {"connect-src": ["x"]}}) == {
        "csp-connect-src"
    }


# --- services the toolkit does not check ---------------------------------------------------------


@pytest.mark.parametrize("service", ["CRM", "FINANCE", "INVENTORY", "PEOPLE", "QNTRL"])
def test_unchecked_services_pass_what_the_toolkit_passes(service: str) -> None:
    value = {
        "service": service,
        "modules": None,
        "config": 5,
        "cspDomains": "bad",
        "usedConnections": "x",
        "storage": "no",
        "whiteListedDomains": ["not a url"],
        "locale": ["xx"],
    }
    assert errors(value) == []
    [notice] = found(value, "generic-checks-only")
    assert notice.severity is Severity.NOTICE


def test_crm_allows_file_names_of_250_characters() -> None:
    long_name = "app/" + "a" * 247 + ".js"  # 250 characters
    tree = FileTree({**TREE.files, long_name: 3}, TREE.dirs)
    assert found({"service": "CRM"}, "app-file-name", tree) == []
    [finding] = found({"service": "FINANCE"}, "app-file-name", tree)
    assert "at most 50" in finding.message
    longer = FileTree({**TREE.files, "app/" + "a" * 248 + ".js": 3}, TREE.dirs)
    [crm] = found({"service": "CRM"}, "app-file-name", longer)
    assert "at most 250 for CRM" in crm.message


@pytest.mark.parametrize("service", ["SDP", "CATALYST", "FINANCE", "RECRUIT", "MAIL", "DESK"])
def test_app_folder_rules_run_for_every_service(service: str) -> None:
    tree = FileTree({"plugin-manifest.json": 10}, frozenset())
    assert found({"service": service}, "app-folder", tree)


# --- MAIL ----------------------------------------------------------------------------------------


def test_mail_gets_a_notice_and_no_parity_claim() -> None:
    [notice] = found(MAIL, "mail-validated-online")
    assert notice.severity is Severity.NOTICE
    assert found(MAIL, "generic-checks-only") == []


def test_mail_manifest() -> None:
    value = {k: v for k, v in MAIL.items() if k not in ("whiteListedDomains", "defaultLocale")}
    value["storage"] = "no"
    value["cspDomains"] = {"connect-src": [5]}
    pointers = sorted(f.location.pointer for f in found(value, "mail-manifest"))
    assert pointers == ["", "/cspDomains/connect-src/0", "/locale", "/storage"]
    assert found(with_(MAIL, modules={"widgets": []}), "mail-manifest")


def test_mail_widgets() -> None:
    remote = {
        "location": "zoho.mail.preview.rightpanel",
        "name": "Viewer",
        "url": "https://example.com/w",
    }
    [host] = found(with_(MAIL, modules={"widgets": [remote]}), "mail-widget")
    assert host.severity is Severity.WARNING
    zoho = {**remote, "url": "https://mail.zoho.com/w"}
    assert found(with_(MAIL, modules={"widgets": [zoho]}), "mail-widget") == []
    odd = {**remote, "url": "/app/widget.html", "location": "zoho.mail.panel"}
    [location] = found(with_(MAIL, modules={"widgets": [odd]}), "mail-widget")
    assert location.severity is Severity.WARNING
    broken = [
        None,
        {
            "name": 5,
            "url": "/app/x.html",
            "location": "zoho.mail.preview.rightpanel",
            "logo": "img/l.bmp",
        },
    ]
    hits = found(with_(MAIL, modules={"widgets": broken}), "mail-widget")
    assert {h.severity for h in hits} == {Severity.ERROR}
    assert len(hits) == 5  # null widget, name type, url file, logo extension, logo slash


def test_mail_connectors_and_config() -> None:
    value = with_(MAIL, connectors=[{}, {"serviceName": "docs"}, 3])
    assert [f.location.pointer for f in found(value, "mail-connector")] == [
        "/connectors/0",
        "/connectors/2",
    ]
    options = [
        {"name": "a", "inputType": "password", "mandatory": True, "secure": True},
        {"name": "b", "mandatory": True},
        {"name": "a", "inputType": "text", "mandatory": "yes", "secure": False},
    ]
    hits = found(with_(MAIL, config=options), "mail-config")
    assert [(h.location.pointer, h.severity) for h in hits] == [
        ("/config/0/inputType", Severity.WARNING),
        ("/config/1", Severity.ERROR),
        ("/config/2/name", Severity.ERROR),
        ("/config/2/mandatory", Severity.ERROR),
    ]
