"""Seeded generator of realistic, varied Zoho Desk extensions for the benchmark."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)
UUID = "2df92c1a-973a-48f5-95b7-5792c68b9c36"
LOCALES = ("en", "fr", "de", "es", "ja", "it", "pt", "nl", "zh", "ru", "pl", "sv", "ar")
LOCATIONS = (
    "desk.ticket.detail.rightpanel",
    "desk.ticket.detail.subtab",
    "desk.contact.detail.rightpanel",
    "desk.contact.detail.subtab",
    "desk.account.detail.rightpanel",
    "desk.ticket.detail.lefttab",
    "desk.ticket.detail.moreaction",
    "desk.ticket.form.rightpanel",
    "desk.bottomband",
    "desk.topband",
    "helpcenter.ticket.detail",
    "desk.kb.article.detail.subtab",
)
SINGLE_LOCATIONS = ("desk.background", "desk.extension.preference")
DESK_SCOPES = (
    "Desk.tickets.READ",
    "Desk.tickets.UPDATE",
    "Desk.tickets.CREATE",
    "Desk.tickets.ALL",
    "Desk.contacts.READ",
    "Desk.contacts.UPDATE",
    "Desk.contacts.WRITE",
    "Desk.basic.READ",
    "Desk.search.READ",
    "Desk.settings.READ",
    "Desk.tasks.ALL",
    "Desk.articles.READ",
    "Desk.products.READ",
    "Desk.calls.READ",
    "ZohoCRM.modules.leads.READ",
    "ZohoCRM.modules.ALL",
    "ZohoCRM.users.READ",
)
# (serviceName, scopes it may ask for): third-party services a Desk extension connects to.
SERVICES = (
    ("github", ("repo", "read:org", "user:email", "workflow")),
    ("slack", ("chat:write", "channels:read", "users:read")),
    ("typeform", ("forms:read", "responses:read", "webhooks:write")),
    ("jira", ("read:jira-work", "write:jira-work")),
    ("shopify_api", ("read_orders", "read_customers", "write_orders")),
    ("stripe_connect", ("read_only", "read_write")),
    ("hubspot", ("crm.objects.contacts.read", "crm.objects.deals.read")),
    ("mailchimp", ("read",)),
)
WORDS = (
    "order",
    "ticket",
    "customer",
    "invoice",
    "sync",
    "insight",
    "sla",
    "survey",
    "chat",
    "billing",
    "lookup",
    "panel",
    "status",
    "tracker",
    "notes",
)
HTML = (
    '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
    '<link rel="stylesheet" href="css/{name}.css">\n</head>\n<body>\n<div id="root"></div>\n'
    '<script src="https://js.zohostatic.com/support/developer_sdk/v1/js/ZohoDeskClientSDK.min.js">'
    '</script>\n<script src="js/{name}.js"></script>\n</body>\n</html>\n'
)


@dataclass
class Spec:
    """One extension: manifest and resources values, its files, and raw-text edits."""

    name: str
    manifest: dict[str, Any]
    resources: dict[str, Any] | None
    files: dict[str, bytes] = field(default_factory=dict)
    defect: str = ""
    text_edits: list[Callable[[str], str]] = field(default_factory=list)

    def manifest_text(self) -> str:
        text = json.dumps(self.manifest, indent=2, ensure_ascii=False) + "\n"
        for edit in self.text_edits:
            text = edit(text)
        return text

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "plugin-manifest.json").write_text(self.manifest_text(), encoding="utf-8")
        if self.resources is not None:
            text = json.dumps(self.resources, indent=2) + "\n"
            (folder / "resources.json").write_text(text, encoding="utf-8")
        for relative, data in self.files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def _words(rng: random.Random, count: int) -> list[str]:
    return rng.sample(WORDS, count)


def _camel(words: list[str]) -> str:
    return words[0] + "".join(w.title() for w in words[1:])


def valid_spec(rng: random.Random, number: int) -> Spec:
    """A clean Desk extension (no findings), varied in size and in what it uses."""
    title_words = _words(rng, 2)
    name = f"{'-'.join(title_words)}-{number:05d}"
    title = " ".join(w.title() for w in title_words)
    link = "_".join(title_words) + f"_{number}"
    host = f"api.{title_words[0]}{number % 97}.example.com"
    locales = ["en", *rng.sample(LOCALES[1:], rng.randint(0, 5))]
    files: dict[str, bytes] = {
        "app/img/logo.png": PNG,
        "app/img/icon.png": PNG,
        "app/js/sdk-helpers.js": b"export const ready = () => ZOHODESK.extension.onload();\n",
    }
    widgets = []
    locations = rng.sample(LOCATIONS, rng.randint(1, 4))
    if rng.random() < 0.2:
        locations.append(rng.choice(SINGLE_LOCATIONS))
    for index, location in enumerate(locations):
        page = f"widget{index + 1}"
        files[f"app/{page}.html"] = HTML.format(title=title, name=page).encode()
        files[f"app/js/{page}.js"] = (
            f"ZOHODESK.extension.onload().then((App) => {{ /* {location} */ }});\n"
        ).encode() * rng.randint(1, 40)
        files[f"app/css/{page}.css"] = b"body { margin: 0; font: 14px sans-serif; }\n"
        widgets.append(
            {
                "location": location,
                "url": f"/app/{page}.html",
                "name": f"{title} {index + 1}",
                "logo": "/app/img/logo.png",
                "icon": "/app/img/icon.png",
            }
        )
    for locale in locales:
        strings = {f"{w}.label": f"{w.title()} ({locale})" for w in WORDS[: rng.randint(3, 15)]}
        files[f"app/translations/{locale}.json"] = (json.dumps(strings, indent=2) + "\n").encode()
    for extra in range(rng.randint(0, 6)):
        files[f"app/img/asset{extra}.svg"] = b'<svg xmlns="http://www.w3.org/2000/svg"/>\n'
    scopes = sorted(rng.sample(DESK_SCOPES, rng.randint(1, 6)), key=DESK_SCOPES.index)
    manifest: dict[str, Any] = {
        "locale": locales,
        "service": "DESK",
        "storage": rng.random() < 0.7,
        "type": rng.choice(("org", "org", "personal")),
        "whiteListedDomains": [f"https://{host}"],
        "modules": {"widgets": widgets},
        "zohoAuthorisation": {
            "type": "connectors",
            "connectionLinkName": f"{link}_desk",
            "connectionName": f"{link}_desk",
            "serviceName": "zlabs_integration",
            "userAccess": True,
            "isUserDefinedService": False,
            "sharedBy": str(20081234567 + number),
            "scope": scopes,
        },
        "connectors": [],
        "config": [],
        "cspDomains": {"connect-src": [f"https://{host}"]},
    }
    for service, service_scopes in rng.sample(SERVICES, rng.randint(0, 3)):
        manifest["connectors"].append(
            {
                "connectionLinkName": f"{link}_{service}",
                "connectionName": f"{link}_{service}",
                "serviceName": service,
                "userAccess": True,
                "isUserDefinedService": service.endswith(("_api", "_connect")),
                "sharedBy": str(20081234567 + number),
                "scope": rng.sample(service_scopes, rng.randint(1, len(service_scopes))),
            }
        )
    for index in range(rng.randint(0, 5)):
        kind = rng.choice(("text", "number", "picklist", "checkbox", "switch"))
        item: dict[str, Any] = {
            "name": f"setting{index}",
            "displayName": f"Setting {index}",
            "type": kind,
            "userdefined": True,
            "mandatory": rng.random() < 0.5,
            "secure": index == 0,
        }
        if kind == "picklist":
            item["options"] = ["eu", "us", "in"]
        manifest["config"].append(item)
    if rng.random() < 0.15:
        manifest["secret"] = "<your secret>"
        manifest["callbackListener"] = {
            "onDeskAuthorise": f"https://hooks.{host}/authorise",
            "onUninstall": f"https://hooks.{host}/uninstall",
        }
        manifest["whiteListedDomains"].append(f"https://hooks.{host}")
    resources: dict[str, Any] = {}
    if rng.random() < 0.7:
        resources["permissions"] = [
            {
                "apiName": f"{_camel(title_words)}{index}",
                "displayName": f"{title} permission {index}",
                "description": f"Lets an agent use the {title} panel ({index}).",
                "defaultState": index == 0,
            }
            for index in range(rng.randint(1, 3))
        ]
    if rng.random() < 0.3:
        resources["fields"] = [
            {"resourceName": f"{title_words[0]}Field{i}", "displayLabel": f"{title} {i}"}
            for i in range(rng.randint(1, 3))
        ]
    if manifest["type"] == "org" and rng.random() < 0.3:
        resources["webhook"] = {
            "resourceName": f"{title_words[0]}Hook",
            "url": f"https://hooks.{host}/desk",
            "name": f"{title} events",
            "subscriptions": {"Ticket_Add": None, "Ticket_Update": {"includePrevState": True}},
            "ignoreSourceId": UUID,
        }
        if "Desk.events.ALL" not in scopes:
            scopes.append("Desk.events.ALL")
    return Spec(name, manifest, resources, files)


def _mutate(rng: random.Random, spec: Spec) -> Spec:
    """One realistic mistake, so that some extensions have findings."""
    manifest = spec.manifest
    widgets = manifest["modules"]["widgets"]
    choice = rng.randrange(12)
    if choice == 0:  # a widget page that is not in app/
        widgets[0]["url"] = "/app/missing-page.html"
        spec.defect = "widget-url"
    elif choice == 1:  # a scope with a typo and a stray space
        manifest["zohoAuthorisation"]["scope"].append("Desk.tickets.REED ")
        spec.defect = "scope-grammar"
    elif choice == 2:  # wrong JSON type (schema)
        manifest["storage"] = "yes"
        spec.defect = "manifest-schema"
    elif choice == 3:  # missing required member (schema)
        del manifest["config"]
        spec.defect = "manifest-schema"
    elif choice == 4:  # plain http and localhost
        manifest["whiteListedDomains"].append("http://localhost:8080")
        spec.defect = "insecure-http"
    elif choice == 5:  # a translation file missing
        manifest["locale"].append("it" if "it" not in manifest["locale"] else "de")
        spec.files = {
            k: v for k, v in spec.files.items() if not k.endswith(("/it.json", "/de.json"))
        }
        spec.defect = "locale-translation-file"
    elif choice == 6:  # unknown location, close to a real one
        widgets[-1]["location"] = "desk.ticket.detail.rigthpanel"
        spec.defect = "widget-location"
    elif choice == 7:  # a duplicated member in the raw text
        spec.text_edits.append(
            lambda text: text.replace('"storage"', '"type": "org",\n  "storage"', 1)
        )
        spec.defect = "json-duplicate-key"
    elif choice == 8:  # resources.json forgotten
        spec.resources = None
        spec.defect = "resources-missing"
    elif choice == 9:  # a committed credential
        manifest["secret"] = "9f8c2e7d41b3a6f0c2d4e6f8a0b2c4d6"
        manifest.setdefault("callbackListener", {"onUpdate": "https://hooks.example.com/u"})
        spec.defect = "plain-text-secret"
    elif choice == 10:  # a file Zoho does not pack, a bad folder name
        spec.files["app/my images/logo.PNG"] = PNG
        spec.defect = "app-folder-name"
    else:  # a trailing comma: the manifest does not parse
        spec.text_edits.append(lambda text: text.replace("\n  ]", ",\n  ]", 1))
        spec.defect = "json-syntax"
    return spec


def spec(seed: int, number: int, defect_rate: float = 0.15) -> Spec:
    """Extension ``number`` of the seeded set: the same seed and number give the same files."""
    rng = random.Random(seed * 1_000_003 + number)
    made = valid_spec(rng, number)
    if rng.random() < defect_rate:
        made = _mutate(rng, made)
    return made


def generate(
    root: Path, count: int, *, seed: int = 1, start: int = 0, per_group: int = 0
) -> list[Path]:
    """Write ``count`` extensions under ``root``; returns their manifest paths (sorted).

    With ``per_group`` the folders are grouped (``g000/``, ``g001/``...) as in a monorepo.
    """
    manifests = []
    for number in range(start, start + count):
        made = spec(seed, number)
        folder = root / made.name
        if per_group:
            folder = root / f"g{(number - start) // per_group:03d}" / made.name
        made.write(folder)
        manifests.append(folder / "plugin-manifest.json")
    return sorted(manifests)


def scope_change(rng: random.Random, manifest: dict[str, Any]) -> str:
    """Change a manifest the way a pull request would; returns what changed."""
    auth = manifest["zohoAuthorisation"]
    choice = rng.randrange(6)
    if choice == 0:
        new = [s for s in DESK_SCOPES if s not in auth["scope"]]
        auth["scope"].append(rng.choice(new))
        return "scope added"
    if choice == 1 and len(auth["scope"]) > 1:
        auth["scope"].pop()
        return "scope removed"
    if choice == 2:
        service, scopes = rng.choice(SERVICES)
        if all(c["serviceName"] != service for c in manifest["connectors"]):
            manifest["connectors"].append(
                {
                    "connectionLinkName": f"new_{service}",
                    "connectionName": f"new_{service}",
                    "serviceName": service,
                    "userAccess": True,
                    "isUserDefinedService": False,
                    "sharedBy": "20081234567",
                    "scope": list(scopes),
                }
            )
            return "connector added"
    if choice == 3:
        manifest["whiteListedDomains"].append("https://cdn.partner.example.net")
        return "domain added"
    if choice == 4:
        manifest["modules"]["widgets"][0]["name"] += " (beta)"
        return "widget renamed"
    manifest["storage"] = not manifest["storage"]
    return "storage toggled"
