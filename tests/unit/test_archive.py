"""GitHub's tarball read in memory: members by name, links never followed, every size bounded."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from checker.archive import ArchiveError, ArchiveLimits, Member, blob_id, read_tar_gz

TOP = "acme-extensions-0123456/"


def _tar(members: list[tuple[str, bytes | str | None]], *, fmt: int = tarfile.PAX_FORMAT) -> bytes:
    """A .tar.gz: (name, bytes) is a file, (name, "->target") a symbolic link, (name, None) a
    folder; names are taken as they are (no top folder added)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=fmt) as archive:
        for name, content in members:
            info = tarfile.TarInfo(name)
            if content is None:
                info.type = tarfile.DIRTYPE
                archive.addfile(info)
            elif isinstance(content, str):
                info.type = tarfile.SYMTYPE if content.startswith("->") else tarfile.LNKTYPE
                info.linkname = content.removeprefix("->").removeprefix("=>")
                archive.addfile(info)
            else:
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
    return gzip.compress(raw.getvalue())


def _read(data: bytes, keep=lambda path: True, max_file: int = 1000, **limits: int):
    return read_tar_gz(
        io.BytesIO(data), keep=keep, max_file=max_file, limits=ArchiveLimits(**limits)
    )


def test_files_are_found_by_their_path_inside_the_commit() -> None:
    data = _tar(
        [
            (TOP, None),
            (f"{TOP}ext/plugin-manifest.json", b'{"a": 1}'),
            (f"{TOP}ext/app/big.js", b"x" * 5000),
            (f"{TOP}README.md", b"hello"),
        ]
    )
    found = _read(data, keep=lambda path: path != "README.md")
    assert found["ext/plugin-manifest.json"] == Member("file", 8, b'{"a": 1}')
    assert found["ext/app/big.js"] == Member("file", 5000, None)  # too large to hold
    assert "README.md" not in found


def test_links_are_recorded_never_followed_and_unsafe_names_are_skipped() -> None:
    data = _tar(
        [
            (f"{TOP}ext/plugin-manifest.json", "->/etc/passwd"),
            (f"{TOP}ext/resources.json", "=>ext/other.json"),
            (f"{TOP}../../etc/cron.d/x", b"evil"),
            ("/abs/plugin-manifest.json", b"evil"),
            (f"{TOP}a/./b.json", b"evil"),
            ("no-top-folder", b"evil"),
        ]
    )
    found = _read(data)
    assert found == {
        "ext/plugin-manifest.json": Member("symlink", 0, None, "/etc/passwd"),
        "ext/resources.json": Member("hardlink", 0, None, "ext/other.json"),
    }


def test_a_name_given_twice_is_used_for_neither() -> None:
    data = _tar([(f"{TOP}m.json", b"one"), (f"{TOP}m.json", b"two")])
    assert _read(data) == {"m.json": None}


def test_long_names_in_pax_and_gnu_headers(tmp_path) -> None:
    deep = "/".join(["folder"] * 30) + "/plugin-manifest.json"
    for fmt in (tarfile.PAX_FORMAT, tarfile.GNU_FORMAT):
        found = _read(_tar([(f"{TOP}{deep}", b"{}")], fmt=fmt))
        assert found == {deep: Member("file", 2, b"{}")}


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"max_uncompressed": 1 << 20}, "unpacks to more than"),
        ({"max_compressed": 2000}, "larger than 2,000 bytes"),
        ({"max_members": 3}, "more than 3 members"),
    ],
)
def test_size_bombs_and_endless_archives_stop_at_a_limit(limits, message) -> None:
    # 8 MiB of zeros packs into a few kilobytes
    members = [(f"{TOP}bomb.bin", bytes(8 << 20))] + [(f"{TOP}f{i}", b"x") for i in range(5)]
    with pytest.raises(ArchiveError, match=message):
        _read(_tar(members), **limits)


def test_a_huge_pax_record_is_refused_before_it_is_held() -> None:
    data = _tar([(f"{TOP}m.json", b"{}")])
    raw = gzip.decompress(data)
    # forge a pax header that claims 64 MiB of records
    header = bytearray(tarfile.TarInfo("././@PaxHeader").tobuf(format=tarfile.USTAR_FORMAT))
    header[156:157] = b"x"
    header[124:136] = b"%011o\0" % (64 << 20)
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\0 " % sum(header)
    with pytest.raises(ArchiveError, match="header record of 67,108,864 bytes"):
        _read(gzip.compress(bytes(header) + raw))


@pytest.mark.parametrize("damage", ["truncated", "checksum", "not-gzip", "bad-size"])
def test_a_broken_archive_is_an_error_not_a_crash(damage) -> None:
    data = _tar([(f"{TOP}m.json", b"{}" * 600), (f"{TOP}n.json", b"{}")])
    raw = bytearray(gzip.decompress(data))
    if damage == "truncated":
        broken = gzip.compress(bytes(raw[:1100]))
    elif damage == "checksum":
        raw[0] ^= 1
        broken = gzip.compress(bytes(raw))
    elif damage == "bad-size":
        raw[124:136] = b"zzzzzzzzzzz\0"
        broken = gzip.compress(bytes(raw))
    else:
        broken = b"<html>not an archive</html>"
    with pytest.raises(ArchiveError):
        _read(broken)


def test_git_archive_output_is_read_and_matches_the_blob_ids(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "ext").mkdir(parents=True)
    (repo / "ext" / "plugin-manifest.json").write_bytes(b'{"service": "DESK"}\n')
    os.symlink("plugin-manifest.json", repo / "ext" / "linked.json")
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }

    def git(*args: str) -> bytes:
        return subprocess.run(
            ["git", *args], cwd=repo, env=env, check=True, capture_output=True
        ).stdout

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "x")
    archive = git("archive", "--format=tar.gz", f"--prefix={TOP}", "HEAD")
    found = _read(archive)
    blob = git("rev-parse", "HEAD:ext/plugin-manifest.json").decode().strip()
    manifest = found["ext/plugin-manifest.json"]
    assert manifest is not None
    assert manifest.data is not None
    assert blob_id(manifest.data) == blob
    assert found["ext/linked.json"] == Member("symlink", 0, None, "plugin-manifest.json")


def test_nothing_is_written_to_disk(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _read(_tar([(f"{TOP}a/b.json", b"{}"), (f"{TOP}../escape.json", b"{}")]))
    assert list(tmp_path.iterdir()) == []
