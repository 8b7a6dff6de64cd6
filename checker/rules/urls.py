"""URL validity as Zoho's toolkit judges it: the WHATWG URL parser plus a scheme allow-list."""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from dataclasses import dataclass

# ZET's isValidURL: `new URL(value)` (WHATWG parser, Node) must succeed and the scheme must be one
# of these (manifest-facts, section 3). ws:, ftp:, blob: and bare hosts are rejected.
ALLOWED_SCHEMES = frozenset({"http", "https", "wss"})
# Schemes the WHATWG standard calls "special" (file: aside): their URLs always have a host.
SPECIAL_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}

# https://url.spec.whatwg.org/#url-parsing: leading/trailing C0 controls and spaces are dropped,
# tabs and newlines anywhere are removed.
_OUTER = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+\-.]*):")
_AUTHORITY_END = re.compile(r"[/\\?#]")
# https://url.spec.whatwg.org/#forbidden-domain-code-point
_FORBIDDEN_DOMAIN = re.compile(r"[\x00-\x20#/:<>?@\[\\\]^|%\x7f]")
_DIGITS = re.compile(r"[0-9]+\Z")
_HEX = re.compile(r"0[xX][0-9A-Fa-f]*\Z")
_OCTAL = re.compile(r"0[0-7]+\Z")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_PERCENT_SPLIT = re.compile(r"(%[0-9A-Fa-f]{2})")
_UNICODE_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


@dataclass(frozen=True, slots=True)
class Url:
    """A parsed absolute URL of a special scheme.

    ``host`` is serialised as the WHATWG parser does: a lower-case (punycoded) domain, dotted
    IPv4, or ``[v6]``. ``rest`` is everything after the authority, unparsed.
    """

    scheme: str
    username: str
    password: str
    host: str
    port: int | None
    rest: str

    @property
    def is_loopback(self) -> bool:
        """Whether the host only exists on the developer's machine (localhost, 127/8, ::1)."""
        host = self.host
        if host == "localhost" or host.endswith(".localhost"):
            return True
        if host.startswith("["):
            return host in ("[::1]", "[::]")
        if _IPV4_TEXT.match(host):
            return host.startswith("127.") or host == "0.0.0.0"
        return False


_IPV4_TEXT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}\Z")


def parse_url(text: str) -> Url | None:
    """Parse ``text`` like the WHATWG URL parser with no base URL; None when it fails.

    Only special schemes (http, https, ws, wss, ftp) are parsed; any other scheme gives None.
    Known deviation: non-ASCII host names get NFKC and lower-casing instead of full UTS #46
    processing, and are accepted when made of letters, marks, digits and hyphens.
    Results for short texts are cached: several rules look at the same URLs, and manifests
    of one repository repeat them.
    """
    if len(text) <= _CACHE_TEXT_LIMIT:
        return _parse_url_cached(text)
    return _parse_url(text)


_CACHE_TEXT_LIMIT = 2048


@functools.lru_cache(maxsize=4096)
def _parse_url_cached(text: str) -> Url | None:
    return _parse_url(text)


def _parse_url(text: str) -> Url | None:
    text = _TAB_OR_NEWLINE.sub("", text.strip(_OUTER))
    match = _SCHEME.match(text)
    if match is None:
        return None
    scheme = match.group(1).lower()
    if scheme not in SPECIAL_SCHEMES:
        return None
    # "special authority ignore slashes" state: any run of / and \ before the authority.
    remainder = text[match.end() :].lstrip("/\\")
    end = _AUTHORITY_END.search(remainder)
    cut = end.start() if end else len(remainder)
    authority, rest = remainder[:cut], remainder[cut:]
    username = password = ""
    if "@" in authority:
        credentials, _, authority = authority.rpartition("@")
        username, _, password = credentials.partition(":")
    host_text, port_text = _split_port(authority)
    if host_text is None or not host_text:
        return None
    port: int | None = None
    if port_text:
        if not _DIGITS.match(port_text):
            return None
        port = int(port_text)
        if port > 65535:
            return None
        if port == DEFAULT_PORTS[scheme]:
            port = None
    host = parse_host(host_text)
    if host is None:
        return None
    return Url(scheme, username, password, host, port, rest)


def _split_port(authority: str) -> tuple[str | None, str]:
    """Host and port text; the colon inside ``[...]`` belongs to an IPv6 address."""
    if "[" not in authority:
        host, _, port = authority.partition(":")
        return host, port
    inside = False
    for index, char in enumerate(authority):
        if char == "[":
            inside = True
        elif char == "]":
            inside = False
        elif char == ":" and not inside:
            return authority[:index], authority[index + 1 :]
    return authority, ""


def parse_host(text: str) -> str | None:
    """The serialised host of a special URL, or None when the WHATWG host parser fails."""
    if text.startswith("["):
        if not text.endswith("]") or "%" in text:
            return None
        try:
            return f"[{ipaddress.IPv6Address(text[1:-1]).compressed}]"
        except ValueError:
            return None
    domain = _percent_decode(text)
    if domain is None:
        return None
    ascii_domain = _domain_to_ascii(domain)
    if ascii_domain is None or not ascii_domain:
        return None
    if _FORBIDDEN_DOMAIN.search(ascii_domain):
        return None
    if _ends_in_number(ascii_domain):
        return _parse_ipv4(ascii_domain)
    return ascii_domain


def _percent_decode(text: str) -> str | None:
    """Percent-decode to bytes, then UTF-8; a broken sequence fails (it would become U+FFFD)."""
    if "%" not in text:
        return text
    raw = bytearray()
    for chunk in _PERCENT_SPLIT.split(text):
        if _PERCENT.fullmatch(chunk):
            raw.append(int(chunk[1:], 16))
        else:
            raw.extend(chunk.encode("utf-8", errors="surrogatepass"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _domain_to_ascii(domain: str) -> str | None:
    if domain.isascii():
        return domain.lower()
    mapped = unicodedata.normalize("NFKC", domain).lower().translate(_UNICODE_DOTS)
    labels = []
    for label in mapped.split("."):
        if label.isascii():
            labels.append(label)
            continue
        for char in label:
            if char == "-":
                continue
            category = unicodedata.category(char)
            if category[0] not in "LMN":
                return None
        labels.append("xn--" + label.encode("punycode").decode("ascii"))
    return ".".join(labels)


def _ends_in_number(domain: str) -> bool:
    labels = domain.split(".")
    if labels[-1] == "":
        if len(labels) == 1:
            return False
        labels.pop()
    last = labels[-1]
    return bool(_DIGITS.match(last) or _HEX.match(last))


def _ipv4_number(part: str) -> int | None:
    if not part:
        return None
    if _HEX.match(part):
        return int(part[2:], 16) if len(part) > 2 else 0
    if part.startswith("0") and len(part) > 1:
        return int(part[1:], 8) if _OCTAL.match(part) else None
    return int(part) if _DIGITS.match(part) else None


def _parse_ipv4(domain: str) -> str | None:
    parts = domain.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        return None
    numbers = [_ipv4_number(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    address = values[-1]
    for index, value in enumerate(values[:-1]):
        address += value * 256 ** (3 - index)
    return str(ipaddress.IPv4Address(address))


def is_valid_url(value: object) -> bool:
    """ZET's ``isValidURL``: the WHATWG parser accepts it and the scheme is http, https or wss."""
    if not isinstance(value, str):
        return False
    url = parse_url(value)
    return url is not None and url.scheme in ALLOWED_SCHEMES


def redact_credentials(text: str) -> str:
    """``text`` with the password of a ``scheme://user:password@host`` URL replaced by ``***``.

    Text without a scheme (``user:password@host``) is redacted too.
    """
    if "@" not in text:
        return text
    start = len(text) - len(text.lstrip(_OUTER))
    match = _SCHEME.match(text, start)
    if match is not None and (
        match.group(1).lower() in SPECIAL_SCHEMES
        or text[match.end() : match.end() + 1] in ("/", "\\")
    ):
        start = match.end()
        while start < len(text) and text[start] in "/\\":
            start += 1
    end = _AUTHORITY_END.search(text, start)
    stop = end.start() if end else len(text)
    at = text.rfind("@", start, stop)
    colon = text.find(":", start, at)
    if at < 0 or colon < 0:
        return text
    return f"{text[: colon + 1]}***{text[at:]}"
