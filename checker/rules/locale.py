"""Locale codes and their translation files (manifest-facts 2.2)."""

from __future__ import annotations

from collections.abc import Iterator

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, did_you_mean, rule
from checker.rules.values import display_pointer, quote_text, strings

# The 22 codes ZET's DESK rule accepts, exact and case-sensitive (manifest-facts 2.2).
LOCALES = (
    "en",
    "ja",
    "zh",
    "tw",
    "es",
    "de",
    "fr",
    "tr",
    "ru",
    "pt",
    "it",
    "nl",
    "da",
    "pl",
    "sv",
    "id",
    "hi",
    "ro",
    "ta",
    "te",
    "he",
    "ar",
)
_LOCALE_SET = frozenset(LOCALES)
GUIDE = "https://www.zoho.com/desk/extensions/guide/#plugin-manifest"
# Codes people write for the languages Desk spells differently.
_ALIASES = {"zh-tw": "tw", "zh_tw": "tw", "zh-cn": "zh", "zh_cn": "zh", "iw": "he", "in": "id"}


@rule(
    "locale-code",
    Severity.ERROR,
    summary="`locale` must list Desk's language codes, including the default `en`.",
    doc="""
Desk extensions can be translated into 22 languages, named by exact, lower-case codes:
`en, ja, zh, tw, es, de, fr, tr, ru, pt, it, nl, da, pl, sv, id, hi, ro, ta, te, he, ar`.
`en` is the default and must always be listed. Zoho's toolkit rejects any other code
(`Invalid locale code 'xx' found in locale array`) and a list without `en`
(`Default locale code 'en' must be available in locale array.`). This rule reports each bad
entry at its own position with the closest valid code, and also warns about a code listed
twice, which the toolkit does not notice.

**Stricter than Zoho's toolkit, on purpose:** a code listed twice gets a warning.

**Fix:** use the codes above; Chinese (Taiwan) is `tw`, not `zh-TW`.

```json
{"locale": ["EN", "zh-TW"]}
```
becomes `{"locale": ["en", "tw"]}`.
""",
    zet=Zet.STRICTER,
)
def check_locale_codes(ext: Extension) -> Iterator[Hit]:
    """Each code in the allowed list, no duplicates, ``en`` present."""
    codes = ext.value.get("locale")
    if not isinstance(codes, list):
        return
    seen: dict[str, str] = {}
    has_en = False
    for pointer, code in strings(codes, "/locale"):
        if code == "en":
            has_en = True
        if code not in _LOCALE_SET:
            guess = _ALIASES.get(code.strip().lower()) or did_you_mean(code.strip(), LOCALES)
            hint = f'; did you mean "{guess}"?' if guess else f"; the valid codes are at {GUIDE}"
            yield Hit(
                pointer,
                f"locale code {quote_text(code, 40)} is not one Desk supports (codes are exact and "
                f"lower-case: {', '.join(LOCALES)}){hint}",
            )
            continue
        first = seen.get(code)
        if first is not None:
            yield Hit(
                pointer,
                f'locale code "{code}" is listed twice (first at {display_pointer(first)}); '
                "remove the repeat",
                related=(first,),
                severity=Severity.WARNING,
            )
            continue
        seen[code] = pointer
    if not has_en:
        yield Hit(
            "/locale",
            'locale does not list "en"; English is Desk\'s default language and Zoho requires '
            'it; add "en" (and app/translations/en.json)',
        )


@rule(
    "locale-translation-file",
    Severity.ERROR,
    summary="Each listed language needs its `app/translations/<code>.json` file.",
    doc="""
For every valid code in `locale`, Desk loads the widget texts from
`app/translations/<code>.json`. Zoho's toolkit rejects the extension when one is missing
(`The "locale" property is not found in the following folder /app/translations.`). The
check runs only when the extension folder is known (not when a lone manifest is checked).

**Fix:** add the file (a JSON object of translated strings), or remove the code.

```json
{"locale": ["en", "fr"]}
```
needs `app/translations/en.json` and `app/translations/fr.json`.
""",
    zet=Zet.SAME,
)
def check_translation_files(ext: Extension) -> Iterator[Hit]:
    """app/translations/<code>.json exists for every valid, listed code."""
    tree = ext.tree
    if tree is None:
        return
    done: set[str] = set()
    for pointer, code in strings(ext.value.get("locale"), "/locale"):
        if code not in _LOCALE_SET or code in done:
            continue
        done.add(code)
        path = f"app/translations/{code}.json"
        if not tree.exists(path):
            yield Hit(
                pointer,
                f'locale "{code}" has no translation file: {path} is missing from the '
                "extension; add it or remove the code",
            )


RULES: tuple[Rule, ...] = (check_locale_codes, check_translation_files)
