"""The text report goes out in pieces of whole lines that join to the one-string report."""

from __future__ import annotations

import io

from checker.app import emit
from checker.findings import Finding, Location, Severity, Span
from checker.report import FailOn, ManifestReport, build_report
from checker.reporters import text


def _report(findings: int):  # type: ignore[no-untyped-def]
    found = tuple(
        Finding(
            "connection-unused",
            Severity.WARNING,
            f'connection "c{i}" is used by no call',
            Location(f"ext{i}/plugin-manifest.json", "", span=Span(3, 5, 3, 9)),
        )
        for i in range(findings)
    )
    return build_report([ManifestReport("ext/plugin-manifest.json", "DESK", found)], FailOn.ERROR)


def test_chunks_are_whole_lines_and_join_to_the_report() -> None:
    report = _report(text.CHUNK_LINES * 2 + 7)
    chunks = list(text.render_chunks(report))
    assert len(chunks) == 3
    assert all(chunk.endswith("\n") for chunk in chunks)
    assert [chunk.count("\n") for chunk in chunks[:2]] == [text.CHUNK_LINES] * 2
    whole = "".join(chunks)
    assert whole == text.render(report)
    lines = whole.splitlines()
    assert lines[0].startswith("ext0/plugin-manifest.json:3:5: warning:")
    assert lines[-1].endswith(": pass")  # warnings do not fail at --fail-on error


def test_emit_writes_text_in_pieces_and_other_formats_whole() -> None:
    report = _report(text.CHUNK_LINES + 1)
    pieces: list[str] = []
    emit(report, "text", color=False, write=pieces.append)
    assert len(pieces) == 2
    assert "".join(pieces) == text.render(report)
    out = io.StringIO()
    emit(report, "json", color=False, write=out.write)
    assert out.getvalue().startswith("{")
    pieces.clear()
    emit(_report(1), "text", color=False, write=pieces.append)
    assert len(pieces) == 1
