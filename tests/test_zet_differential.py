"""Differential test against Zoho's toolkit: every extension ``zet validate`` rejects, we reject.

Zoho's toolkit (npm ``zoho-extension-toolkit``, command ``zet``, v1.0.24) is installed by
``.ci/run`` into ``.ci/zet`` (or wherever ``ZMG_ZET_DIR`` points); tests never download it.
Without it, or without Node, the test is skipped and says how to install it.

Each generated extension is a valid template folder with one or two mutations: the situations
of manifest-facts section 5 plus a seeded random mutator over the manifest, resources.json and
the file tree. ``zet validate`` runs offline in the folder (it needs it as the current folder);
it exits 0 when it crashes, so its output is read too: a crash counts as a rejection. Cases we
reject and the toolkit accepts are printed grouped by rule (``pytest -s`` shows them): that is
where ``docs/rules.md`` says we are stricter on purpose.
"""

from __future__ import annotations

import copy
import io
import json
import os
import random
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
ZET_VERSION = "1.0.24"
INSTALL = f"npm install --prefix .ci/zet zoho-extension-toolkit@{ZET_VERSION}"
ZET_CRASH = "Error in parsing CLI command"
ZET_PASS = "Validation Rules passed successfully."
RANDOM_CASES = 40
SEED = 20240601
WORKERS = 3
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)

pytestmark = pytest.mark.slow


def _zet_entry() -> Path:
    """The toolkit's index.js, or a skip that says how to install it."""
    if shutil.which("node") is None:
        pytest.skip(f"Node.js is not installed; install Node and npm, then run: {INSTALL}")
    base = Path(os.environ.get("ZMG_ZET_DIR") or ROOT / ".ci" / "zet")
    package = base / "node_modules" / "zoho-extension-toolkit"
    entry = package / "index.js"
    if not entry.exists():
        pytest.skip(f"Zoho's toolkit is not installed in {base}; run: {INSTALL}")
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    if version != ZET_VERSION:
        pytest.skip(f"{base} holds zet {version}, not {ZET_VERSION}; run: {INSTALL}")
    return entry


# --- the template extension -------------------------------------------------------------

UUID = "2df92c1a-973a-48f5-95b7-5792c68b9c36"


def _template_manifest() -> dict[str, Any]:
    return {
        "locale": ["en", "fr"],
        "service": "DESK",
        "storage": True,
        "type": "org",
        "whiteListedDomains": ["https://api.example.com"],
        "modules": {
            "widgets": [
                {
                    "location": "desk.ticket.detail.rightpanel",
                    "url": "/app/widget.html",
                    "name": "Ticket Panel",
                    "logo": "/app/img/logo.png",
                    "icon": "/app/img/icon.png",
                },
                {
                    "location": "desk.contact.detail.rightpanel",
                    "url": "/app/widget.html",
                    "name": "Contact Panel",
                    "logo": "/app/img/logo.png",
                    "icon": "/app/img/icon.png",
                },
            ]
        },
        "zohoAuthorisation": {
            "type": "connectors",
            "connectionLinkName": "desk_access",
            "connectionName": "desk_access",
            "serviceName": "zlabs_integration",
            "userAccess": True,
            "isUserDefinedService": False,
            "sharedBy": "20081234567",
            "scope": ["Desk.tickets.READ", "Desk.basic.READ", "Desk.events.ALL"],
        },
        "connectors": [
            {
                "connectionLinkName": "orders_api",
                "connectionName": "orders_api",
                "serviceName": "orders",
                "userAccess": True,
                "isUserDefinedService": True,
                "sharedBy": "20081234567",
                "scope": ["read"],
            }
        ],
        "config": [
            {
                "name": "apiKey",
                "displayName": "API key",
                "type": "text",
                "userdefined": True,
                "mandatory": True,
                "secure": True,
            }
        ],
        "cspDomains": {"connect-src": ["https://api.example.com"]},
    }


def _template_resources() -> dict[str, Any]:
    return {
        "permissions": [
            {
                "apiName": "viewOrders",
                "displayName": "View orders",
                "description": "See the orders panel",
                "defaultState": True,
            }
        ],
        "fields": [{"resourceName": "orderIdField", "displayLabel": "Order ID"}],
        "webhook": {
            "resourceName": "ticketHook",
            "url": "https://hooks.example.com/desk",
            "name": "Ticket events",
            "subscriptions": {"Ticket_Add": None},
            "ignoreSourceId": UUID,
        },
        "customActions": [
            {
                "resourceName": "createOrder",
                "customActionName": "Create order",
                "targetId": "orderTarget",
                "inputFields": [{"displayName": "Amount", "type": "DECIMAL"}],
            }
        ],
        "targets": [
            {
                "resourceName": "orderTarget",
                "targetName": "Orders API",
                "url": "https://api.example.com/orders",
                "httpMethod": "POST",
            }
        ],
        "channel": {"channelLogoPath": "/app/img/logo.png", "contentTypes": ["text/plain"]},
    }


def _template_files() -> dict[str, bytes]:
    html = b'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>\n'
    return {
        "app/widget.html": html,
        "app/js/main.js": b"console.log('ready');\n",
        "app/css/main.css": b"body { margin: 0; }\n",
        "app/img/logo.png": PNG,
        "app/img/icon.png": PNG,
        "app/translations/en.json": b'{"title": "Orders"}\n',
        "app/translations/fr.json": b'{"title": "Commandes"}\n',
    }


MISSING = object()


@dataclass
class Spec:
    """One generated extension: manifest and resources values, files, and raw-text edits."""

    label: str
    manifest: Any = field(default_factory=_template_manifest)
    resources: Any = field(default_factory=_template_resources)
    files: dict[str, bytes] = field(default_factory=_template_files)
    dirs: set[str] = field(default_factory=set)
    text_edits: list[Callable[[str], str]] = field(default_factory=list)
    duplicate: tuple[list[str | int], Any] | None = None

    def manifest_text(self) -> str:
        text = _dump(self.manifest, self.duplicate)
        for edit in self.text_edits:
            text = edit(text)
        return text

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True)
        (folder / "plugin-manifest.json").write_text(self.manifest_text(), encoding="utf-8")
        if self.resources is not MISSING:
            (folder / "resources.json").write_text(_dump(self.resources), encoding="utf-8")
        for relative in sorted(self.dirs):
            (folder / relative).mkdir(parents=True, exist_ok=True)
        for relative, data in self.files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def _dump(value: Any, duplicate: tuple[list[str | int], Any] | None = None) -> str:
    """JSON text; ``duplicate`` = (path of a member, earlier value) writes that member twice."""
    out = io.StringIO()

    def emit(node: Any, path: list[str | int], indent: str) -> None:
        inner = indent + "  "
        if isinstance(node, dict):
            members = []
            for key, item in node.items():
                if duplicate is not None and duplicate[0] == [*path, key]:
                    members.append((key, duplicate[1]))
                members.append((key, item))
            if not members:
                out.write("{}")
                return
            out.write("{\n")
            for number, (key, item) in enumerate(members):
                out.write(f"{inner}{json.dumps(key)}: ")
                emit(item, [*path, key], inner)
                out.write(",\n" if number < len(members) - 1 else "\n")
            out.write(indent + "}")
        elif isinstance(node, list):
            if not node:
                out.write("[]")
                return
            out.write("[\n")
            for index, item in enumerate(node):
                out.write(inner)
                emit(item, [*path, index], inner)
                out.write(",\n" if index < len(node) - 1 else "\n")
            out.write(indent + "]")
        else:
            out.write(json.dumps(node))

    emit(value, [], "")
    return out.getvalue() + "\n"


# --- mutations --------------------------------------------------------------------------

Path_ = list[str | int]


def _parent(value: Any, path: Path_) -> Any:
    for token in path[:-1]:
        value = value[token]
    return value


def _set(value: Any, path: Path_, new: Any) -> None:
    _parent(value, path)[path[-1]] = copy.deepcopy(new)


def _delete(value: Any, path: Path_) -> None:
    del _parent(value, path)[path[-1]]


def set_(path: Path_, new: Any) -> Callable[[Spec], None]:
    return lambda spec: _set(spec.manifest, path, new)


def drop(*paths: Path_) -> Callable[[Spec], None]:
    def apply(spec: Spec) -> None:
        for path in paths:
            _delete(spec.manifest, path)

    return apply


def res(path: Path_, new: Any = MISSING) -> Callable[[Spec], None]:
    def apply(spec: Spec) -> None:
        if new is MISSING:
            _delete(spec.resources, path)
        else:
            _set(spec.resources, path, new)

    return apply


def add_file(relative: str, data: bytes = b"x\n") -> Callable[[Spec], None]:
    return lambda spec: spec.files.__setitem__(relative, data)


def drop_file(prefix: str) -> Callable[[Spec], None]:
    def apply(spec: Spec) -> None:
        for relative in [p for p in spec.files if p == prefix or p.startswith(prefix + "/")]:
            del spec.files[relative]

    return apply


def text(edit: Callable[[str], str]) -> Callable[[Spec], None]:
    return lambda spec: spec.text_edits.append(edit)


def both(*steps: Callable[[Spec], None]) -> Callable[[Spec], None]:
    def apply(spec: Spec) -> None:
        for step in steps:
            step(spec)

    return apply


W0 = ["modules", "widgets", 0]
C0 = ["connectors", 0]
Z = ["zohoAuthorisation"]
CFG0 = ["config", 0]
BAD_CONNECTOR = {"connectionName": "crm", "serviceName": "crm", "connectionLinkName": "crm"}
TPA = {
    "name": "github",
    "clientId": "id",
    "clientSecret": "s",
    "authoriseUrl": "https://github.com/login/oauth/authorize",
    "tokenUrl": "https://github.com/login/oauth/access_token",
}

# Situations from manifest-facts section 5 (and 1.4, 2.x), one or two mutations each.
CURATED: list[tuple[str, Callable[[Spec], None]]] = [
    ("baseline", lambda spec: None),
    ("drop locale, connectors, config", drop(["locale"], ["connectors"], ["config"])),
    ("drop storage and type team", both(drop(["storage"]), set_(["type"], "team"))),
    ("drop service", drop(["service"])),
    ("service desk lower-case", set_(["service"], "desk")),
    ("drop modules", drop(["modules"])),
    ("drop whiteListedDomains", drop(["whiteListedDomains"])),
    ("trailing comma", text(lambda t: t.rstrip()[:-1].rstrip() + ",\n}\n")),
    ("duplicate storage key", lambda spec: setattr(spec, "duplicate", (["storage"], "yes"))),
    (
        "duplicate scope key hides a scope",
        lambda spec: setattr(spec, "duplicate", ([*Z, "scope"], ["Desk.basic.READ"])),
    ),
    ("BOM", text(lambda t: "\ufeff" + t)),
    ("widget location unknown", set_([*W0, "location"], "desk.nonexistent.place")),
    ("widget location dropped", drop([*W0, "location"])),
    (
        "two widgets at desk.background",
        both(
            set_([*W0, "location"], "desk.background"),
            set_(["modules", "widgets", 1, "location"], "desk.background"),
        ),
    ),
    ("modules empty object", set_(["modules"], {})),
    ("widgets empty", set_(["modules", "widgets"], [])),
    ("widgets object", set_(["modules", "widgets"], {})),
    ("modules string", set_(["modules"], "x")),
    ("modules null", set_(["modules"], None)),
    ("widget null", set_(W0, None)),
    ("widget duplicate name", set_(["modules", "widgets", 1, "name"], "Ticket Panel")),
    ("widget name bad characters", set_([*W0, "name"], "Ticket/Panel!")),
    ("widget name blank", set_([*W0, "name"], "")),
    ("widget name missing", drop([*W0, "name"])),
    ("widget url without slash", set_([*W0, "url"], "app/widget.html")),
    ("widget url missing file", set_([*W0, "url"], "/app/missing.html")),
    ("widget url number", set_([*W0, "url"], 5)),
    ("widget url ftp", set_([*W0, "url"], "ftp://example.com/w.html")),
    ("widget url missing", drop([*W0, "url"])),
    ("widget logo bmp", set_([*W0, "logo"], "/app/img/logo.bmp")),
    ("widget logo upper-case PNG", set_([*W0, "logo"], "/app/img/logo.PNG")),
    ("widget icon without slash", set_([*W0, "icon"], "app/img/icon.png")),
    ("widget icon null", set_([*W0, "icon"], None)),
    ("widget logo number", set_([*W0, "logo"], 7)),
    ("locale bad codes", set_(["locale"], ["xx", "fr", "yy"])),
    ("locale upper-case EN", set_(["locale"], ["en", "EN"])),
    ("locale string", set_(["locale"], "en")),
    ("locale empty", set_(["locale"], [])),
    ("locale null", set_(["locale"], None)),
    ("locale without translation file", drop_file("app/translations/fr.json")),
    ("locale without en", set_(["locale"], ["fr"])),
    ("whiteListedDomains bare host", set_(["whiteListedDomains"], ["example.com"])),
    ("whiteListedDomains empty string", set_(["whiteListedDomains"], [""])),
    ("whiteListedDomains number", set_(["whiteListedDomains"], [5])),
    ("whiteListedDomains null", set_(["whiteListedDomains"], None)),
    ("whiteListedDomains string", set_(["whiteListedDomains"], "https://a.com")),
    ("connector zlabs_integration", set_([*C0, "serviceName"], "zlabs_integration")),
    ("connector ZLABS upper-case", set_([*C0, "serviceName"], "ZLABS_INTEGRATION")),
    (
        "connector duplicate serviceName",
        set_(["connectors"], [BAD_CONNECTOR, {**BAD_CONNECTOR, "connectionName": "crm2"}]),
    ),
    (
        "connector duplicate link name",
        set_(
            ["connectors"],
            [BAD_CONNECTOR, {**BAD_CONNECTOR, "connectionName": "b", "serviceName": "b"}],
        ),
    ),
    ("connector serviceName null", set_([*C0, "serviceName"], None)),
    ("connector null", set_(C0, None)),
    ("connector empty object", set_(C0, {})),
    ("connector string", set_(C0, "x")),
    ("connector name missing", drop([*C0, "connectionName"])),
    ("connector link name number", set_([*C0, "connectionLinkName"], 5)),
    ("connector link name missing", drop([*C0, "connectionLinkName"])),
    ("connector scope string", set_([*C0, "scope"], "read")),
    ("connector scope blank", set_([*C0, "scope"], ["read", " "])),
    ("connector scope number", set_([*C0, "scope"], [5])),
    ("connectors object", set_(["connectors"], {})),
    ("connectors null", set_(["connectors"], None)),
    ("zohoAuthorisation crm serviceName only", set_(Z, {"serviceName": "crm"})),
    ("zohoAuthorisation string", set_(Z, "x")),
    ("zohoAuthorisation empty array", set_(Z, [])),
    ("zohoAuthorisation [1]", set_(Z, [1])),
    ("zohoAuthorisation null", set_(Z, None)),
    ("zohoAuthorisation type missing", drop([*Z, "type"])),
    ("zohoAuthorisation serviceName zoho_desk", set_([*Z, "serviceName"], "zoho_desk")),
    ("zohoAuthorisation scope string", set_([*Z, "scope"], "Desk.tickets.READ")),
    ("config 21 items", set_(["config"], [{"name": f"opt{i}"} for i in range(21)])),
    ("config 20 items", set_(["config"], [{"name": f"opt{i}"} for i in range(20)])),
    ("config type password", set_([*CFG0, "type"], "password")),
    ("config userdefined yes", set_([*CFG0, "userdefined"], "yes")),
    ("config secure missing", drop([*CFG0, "secure"])),
    ("config name bad", set_([*CFG0, "name"], "api.key")),
    ("config empty object", set_(CFG0, {})),
    ("config null item", set_(CFG0, None)),
    ("config object", set_(["config"], {})),
    ("config displayName too long", set_([*CFG0, "displayName"], "d" * 256)),
    (
        "cspDomains 13 entries",
        set_(
            ["cspDomains", "connect-src"],
            [f"https://h{i % 12}.example.com" for i in range(12)] + ["nope"],
        ),
    ),
    ("cspDomains empty object", set_(["cspDomains"], {})),
    ("cspDomains img-src only", set_(["cspDomains"], {"img-src": ["https://a.com"]})),
    ("cspDomains connect-src string", set_(["cspDomains", "connect-src"], "https://a.com")),
    ("cspDomains array", set_(["cspDomains"], ["https://a.com"])),
    ("cspDomains script-src garbage", set_(["cspDomains", "script-src"], ["javascript:alert(1)"])),
    ("cspDomains connect-src number", set_(["cspDomains", "connect-src"], [5])),
    ("cspDomains self", set_(["cspDomains", "connect-src"], ["'self'"])),
    (
        "callbackListener bad onUninstall, no secret",
        set_(["callbackListener"], {"onUninstall": "nope", "onInstall": "x"}),
    ),
    (
        "callbackListener with numeric secret",
        both(set_(["callbackListener"], {}), set_(["secret"], 5)),
    ),
    ("callbackListener string", both(set_(["callbackListener"], "x"), set_(["secret"], "s3cr3t"))),
    ("callbackListener null", set_(["callbackListener"], None)),
    ("deskOauth string", set_(["deskOauth"], "x")),
    ("deskOauth empty array", set_(["deskOauth"], [])),
    ("deskOauth null", set_(["deskOauth"], None)),
    (
        "deskOauth bad scopes and params",
        set_(
            ["deskOauth"],
            {"clientId": "a", "name": "n", "clientSecret": "s", "scopes": "x", "params": "y"},
        ),
    ),
    ("TPAOauth object", set_(["TPAOauth"], {})),
    ("TPAOauth null", set_(["TPAOauth"], None)),
    ("TPAOauth bad urls", set_(["TPAOauth"], [{**TPA, "authoriseUrl": "x", "tokenUrl": ""}])),
    ("TPAOauth duplicate names", set_(["TPAOauth"], [TPA, TPA])),
    ("type empty", set_(["type"], "")),
    ("type null", set_(["type"], None)),
    ("type personal with webhook", set_(["type"], "personal")),
    ("unknown top-level keys", both(set_(["foo"], 1), set_(["moduleSupport"], "yes"))),
    ("storage string", set_(["storage"], "true")),
    ("resources.json deleted", lambda spec: setattr(spec, "resources", MISSING)),
    ("resources permissions empty", res(["permissions"], [])),
    (
        "resources permission duplicate apiName",
        lambda spec: spec.resources["permissions"].append(spec.resources["permissions"][0]),
    ),
    ("resources permission defaultState string", res(["permissions", 0, "defaultState"], "on")),
    ("resources fields 11", res(["fields"], [{"resourceName": f"f{i}"} for i in range(11)])),
    ("resources fields object", res(["fields"], {})),
    ("resources webhook string", res(["webhook"], "x")),
    ("resources webhook null", res(["webhook"], None)),
    ("resources webhook url missing", res(["webhook", "url"])),
    ("resources webhook http url", res(["webhook", "url"], "http://hooks.example.com")),
    ("resources webhook subscriptions null", res(["webhook", "subscriptions"], None)),
    ("resources webhook ignoreSourceId number", res(["webhook", "ignoreSourceId"], 5)),
    ("resources duplicate resourceName", res(["targets", 0, "resourceName"], "createOrder")),
    ("resources resourceName missing", res(["fields", 0, "resourceName"])),
    ("resources custom action inputFields string", res(["customActions", 0, "inputFields"], "x")),
    (
        "resources custom action type lower-case",
        res(["customActions", 0, "inputFields", 0, "type"], "decimal"),
    ),
    ("resources custom action targetId missing", res(["customActions", 0, "targetId"])),
    ("resources target method lower-case", res(["targets", 0, "httpMethod"], "post")),
    ("resources target url missing", res(["targets", 0, "url"])),
    ("resources target null", res(["targets", 0], None)),
    ("resources channel logo missing file", res(["channel", "channelLogoPath"], "/app/img/x.png")),
    ("resources channel content type", res(["channel", "contentTypes"], ["application/json"])),
    ("resources channel null", res(["channel"], None)),
    ("app removed", drop_file("app")),
    ("app empty", both(drop_file("app"), lambda spec: spec.dirs.add("app"))),
    ("app bad file name and exe", both(add_file("app/bad name.js"), add_file("app/x.exe"))),
    ("app folder with space", add_file("app/my images/a.png", PNG)),
    ("app file name 51 characters", add_file("app/" + "a" * 48 + ".js")),
    ("app file only an extension", add_file("app/.js")),
    ("app file over 5 MB", add_file("app/big.js", b"\x00" * 5_000_001)),
    (
        "app 251 files",
        lambda spec: spec.files.update({f"app/js/f{i}.js": b"1;\n" for i in range(245)}),
    ),
    (
        "app translations counted twice",
        lambda spec: spec.files.update(
            {f"app/translations/x{i}.json": b"{}\n" for i in range(122)}
        ),
    ),
]


# --- the seeded random mutator ----------------------------------------------------------

ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    "",
    " ",
    "x",
    "https://ok.example.com/a",
    "http://",
    "example.com",
    "ftp://example.com",
    "wss://example.com",
    "Desk.tickets.READ",
    "not a scope!!",
    "zlabs_integration",
    " ZLABS_INTEGRATION",
    "en",
    "xx",
    "/app/widget.html",
    "/app/missing.html",
    "a" * 300,
    "\u540d\u524d",
    "\u0000",
    [],
    {},
    [None],
    [1, "a"],
    {"a": None},
    [{"name": "x"}],
]


def _pointers(value: Any, path: Path_) -> Iterator[Path_]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _pointers(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _pointers(item, [*path, index])


def _random_mutation(rng: random.Random, spec: Spec) -> str:
    """Apply one random mutation; returns its description."""
    target = rng.random()
    if target < 0.1:
        victim = rng.choice(sorted(spec.files))
        if rng.random() < 0.5:
            del spec.files[victim]
            return f"delete file {victim}"
        folder = victim.rsplit("/", 1)[0]
        name = rng.choice(["bad name.js", "x.exe", ".css", "\u00e9t\u00e9.png", "a$b.js"])
        spec.files[f"{folder}/{name}"] = b"x"
        return f"add file {folder}/{name}"
    on_resources = target < 0.25
    document = spec.resources if on_resources else spec.manifest
    where = "resources.json" if on_resources else "manifest"
    paths = [p for p in _pointers(document, []) if p]
    path = rng.choice(paths)
    shown = "/" + "/".join(str(t) for t in path)
    operation = rng.choice(["delete", "replace", "replace", "duplicate", "rename", "wrap"])
    parent = _parent(document, path)
    if operation == "delete":
        _delete(document, path)
        return f"{where}: delete {shown}"
    if operation == "duplicate" and not on_resources and isinstance(parent, dict):
        spec.duplicate = (path, rng.choice(ODD_VALUES))
        return f"{where}: duplicate member {shown} with an earlier {spec.duplicate[1]!r}"
    if operation == "rename" and isinstance(parent, dict):
        key = str(path[-1])
        new_key = rng.choice([key.lower(), key.upper(), key[:-1], key + "s", " " + key])
        if new_key != key and new_key not in parent:
            parent[new_key] = parent.pop(key)
            return f"{where}: rename {shown} to {new_key!r}"
    if operation == "wrap":
        _set(document, path, [_parent(document, path)[path[-1]]])
        return f"{where}: wrap {shown} in an array"
    value = rng.choice(ODD_VALUES)
    _set(document, path, value)
    return f"{where}: set {shown} to {json.dumps(value)[:40]}"


def _random_specs() -> list[Spec]:
    rng = random.Random(SEED)
    specs = []
    for number in range(RANDOM_CASES):
        spec = Spec(label="")
        steps = [_random_mutation(rng, spec) for _ in range(rng.choice([1, 1, 2]))]
        spec.label = f"random {number:02d}: " + "; ".join(steps)
        specs.append(spec)
    return specs


def _curated_specs() -> list[Spec]:
    specs = []
    for label, mutate in CURATED:
        spec = Spec(label=label)
        mutate(spec)
        specs.append(spec)
    return specs


# --- running both tools -----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    label: str
    zet_rejects: bool
    zet_output: str
    our_code: int
    our_rules: tuple[str, ...]


def _run_zet(entry: Path, folder: Path, home: Path) -> tuple[bool, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        # update-notifier would ask the npm registry for a newer version: no network in tests.
        "NO_UPDATE_NOTIFIER": "1",
        "CI": "true",
        "NO_COLOR": "1",
    }
    result = subprocess.run(
        ["node", str(entry), "validate"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    # ZET exits 0 when a rule crashes; only its success line means it accepted the extension.
    accepted = result.returncode == 0 and ZET_PASS in output and ZET_CRASH not in output
    return not accepted, output


def _run_ours(folder: Path) -> tuple[int, tuple[str, ...]]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", str(folder), "--format", "json"])
    report = json.loads(out.getvalue())
    rules = tuple(
        sorted(
            {
                f["rule"]
                for m in report["manifests"]
                for f in m["findings"]
                if f["severity"] == "error"
            }
        )
    )
    return code, rules


def _outcomes(tmp_path: Path, specs: list[Spec]) -> list[Outcome]:
    entry = _zet_entry()
    folders = []
    for number, spec in enumerate(specs):
        folder = tmp_path / f"case{number:03d}"
        spec.write(folder)
        folders.append(folder)
    # One home per run: zet's settings store (npm "conf") writes there, and parallel writers
    # to one file could make a run fail for a reason unrelated to the extension.
    homes = [tmp_path / "homes" / folder.name for folder in folders]
    for home in homes:
        home.mkdir(parents=True)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        zet_futures = [
            pool.submit(_run_zet, entry, folder, home)
            for folder, home in zip(folders, homes, strict=True)
        ]
        ours = [_run_ours(folder) for folder in folders]
        zet = [future.result() for future in zet_futures]
    return [
        Outcome(spec.label, rejects, output, code, rules)
        for spec, (rejects, output), (code, rules) in zip(specs, zet, ours, strict=True)
    ]


def _print_stricter(outcomes: list[Outcome]) -> None:
    stricter: dict[str, list[str]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.our_code == 1 and not outcome.zet_rejects:
            for rule_id in outcome.our_rules:
                stricter[rule_id].append(outcome.label)
    rejected = sum(o.zet_rejects for o in outcomes)
    print(f"\n{len(outcomes)} extensions generated; zet rejected {rejected}.")
    print("Rejected by this checker, accepted by zet (grouped by rule):")
    for rule_id in sorted(stricter):
        print(f"  {rule_id}:")
        for label in stricter[rule_id]:
            print(f"    - {label}")


def _summary(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return " | ".join(lines)[:300]


def _check(outcomes: list[Outcome]) -> None:
    _print_stricter(outcomes)
    crashed = [o.label for o in outcomes if o.our_code not in (0, 1)]
    assert not crashed, f"the checker did not finish cleanly on: {crashed}"
    missed = [
        f"{o.label}\n      zet said: {_summary(o.zet_output)}"
        for o in outcomes
        if o.zet_rejects and o.our_code != 1
    ]
    assert not missed, "zet rejects these extensions but this checker accepts them:\n  " + (
        "\n  ".join(missed)
    )


def test_template_is_accepted_by_both(tmp_path: Path) -> None:
    [outcome] = _outcomes(tmp_path, [Spec(label="template")])
    assert not outcome.zet_rejects, outcome.zet_output
    assert outcome.our_code == 0, outcome.our_rules


def test_zet_rejections_are_ours_too_curated(tmp_path: Path) -> None:
    outcomes = _outcomes(tmp_path, _curated_specs())
    # The generator must produce both kinds, or the comparison proves nothing.
    assert sum(o.zet_rejects for o in outcomes) >= len(outcomes) // 2
    assert any(not o.zet_rejects for o in outcomes)
    _check(outcomes)


def test_zet_rejections_are_ours_too_random(tmp_path: Path) -> None:
    outcomes = _outcomes(tmp_path, _random_specs())
    assert any(o.zet_rejects for o in outcomes)
    _check(outcomes)
