"""The release pipeline: .github/workflows/release.yml, scripts/pin_action_image.py (released
tags run a prebuilt image by digest) and scripts/write_release_info.py (what init pins)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from types import ModuleType
from typing import Any

import pytest
import yaml
from conftest import ROOT
from github_files import load, schema_errors, severe, zizmor

RELEASE = ROOT / ".github" / "workflows" / "release.yml"
ACTION = ROOT / "action.yml"
IMAGE = "ghcr.io/zoho-manifest-guard/zoho-manifest-guard"
DIGEST = "sha256:" + "0123456789abcdef" * 4


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


pin_script = _script("pin_action_image")
info_script = _script("write_release_info")


def _workflow() -> dict[str, Any]:
    return load(RELEASE.read_text(encoding="utf-8"))


def _steps(job: str) -> list[dict[str, Any]]:
    return _workflow()["jobs"][job]["steps"]


def _step(job: str, action: str) -> dict[str, Any]:
    (step,) = [s for s in _steps(job) if s.get("uses", "").startswith(action + "@")]
    return step


# --- the workflow ----------------------------------------------------------------------------


def test_release_runs_on_version_tags_only() -> None:
    on = _workflow()["on"]
    assert on == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}


def test_release_workflow_passes_the_workflow_schema_and_zizmor() -> None:
    assert schema_errors("github-workflow.json", RELEASE.read_text(encoding="utf-8")) == []
    findings = zizmor(RELEASE)
    assert severe(findings) == []
    assert [f["ident"] for f in findings if not f.get("ignored")] == []


def test_each_job_has_the_least_permissions_it_needs() -> None:
    workflow = _workflow()
    assert workflow["permissions"] == {}
    jobs = {name: job.get("permissions") for name, job in workflow["jobs"].items()}
    assert jobs == {
        "check": {"contents": "read"},
        "image": {
            "contents": "read",
            "packages": "write",
            "id-token": "write",
            "attestations": "write",
        },
        "pin": {"contents": "write"},
        "dist": {"contents": "read"},
        "pypi": {"id-token": "write"},
    }
    assert [workflow["jobs"][j].get("needs") for j in jobs] == [
        None,
        "check",
        "image",
        "pin",
        "dist",
    ]


def test_every_action_is_pinned_by_commit_with_a_version_comment() -> None:
    text = RELEASE.read_text(encoding="utf-8")
    uses = re.findall(r"uses: (\S+)", text)
    pinned = re.findall(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\n", text)
    assert uses
    assert len(pinned) == len(uses)
    for step in (s for job in _workflow()["jobs"].values() for s in job["steps"]):
        if "with" in step and "persist-credentials" in step["with"]:
            assert step["with"]["persist-credentials"] is False


def test_the_image_is_multi_arch_on_ghcr_with_provenance_and_sbom() -> None:
    build = _step("image", "docker/build-push-action")
    assert build["with"]["platforms"] == "linux/amd64,linux/arm64"
    assert build["with"]["push"] is True
    assert build["with"]["provenance"] == "mode=max"
    assert build["with"]["sbom"] is True
    assert build["with"]["context"] == "."
    assert "cache-from" not in build["with"]  # no cache a release could be poisoned through
    assert _step("image", "docker/login-action")["with"]["registry"] == "ghcr.io"
    attest = _step("image", "actions/attest-build-provenance")
    assert attest["with"]["subject-digest"] == "${{ steps.build.outputs.digest }}"
    assert attest["with"]["push-to-registry"] is True
    (name,) = [s for s in _steps("image") if s.get("id") == "name"]
    assert "image=ghcr.io/${GITHUB_REPOSITORY,,}" in name["run"]


def test_the_tag_moves_to_the_pinned_commit_and_pypi_gets_the_wheel_by_oidc() -> None:
    workflow = _workflow()
    rewrite, commit = workflow["jobs"]["pin"]["steps"][2:4]
    assert "scripts/pin_action_image.py" in rewrite["run"]
    assert rewrite["env"] == {
        "IMAGE": "${{ needs.image.outputs.image }}",
        "DIGEST": "${{ needs.image.outputs.digest }}",
    }
    assert "--force-with-lease=" in commit["run"]
    assert "-- action.yml" in commit["run"]  # the release commit changes action.yml only
    dist = workflow["jobs"]["dist"]
    assert dist["steps"][0]["with"]["ref"] == "${{ github.sha }}"
    record = dist["steps"][2]
    assert record["env"]["COMMIT"] == "${{ needs.pin.outputs.commit }}"
    pypi = workflow["jobs"]["pypi"]
    assert pypi["environment"]["name"] == "pypi"
    publish = _step("pypi", "pypa/gh-action-pypi-publish")
    assert "with" not in publish  # no password, no token: trusted publishing
    assert "${{" not in "".join(
        s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]
    )  # values reach shell scripts through env, never spliced into the script


# --- pin_action_image.py ---------------------------------------------------------------------


def _pinned() -> str:
    return pin_script.pin(
        ACTION.read_text(encoding="utf-8"), pin_script.image_reference(IMAGE, DIGEST)
    )


def test_the_rewritten_action_passes_the_action_schema_and_keeps_inputs_and_outputs() -> None:
    before = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    text = _pinned()
    after = yaml.safe_load(text)
    assert schema_errors("github-action.json", text) == []
    assert after["runs"] == {"using": "docker", "image": f"docker://{IMAGE}@{DIGEST}"}
    assert after["inputs"] == before["inputs"]
    assert after["outputs"] == before["outputs"]
    assert {k: v for k, v in after.items() if k != "runs"} == {
        k: v for k, v in before.items() if k != "runs"
    }
    old, new = ACTION.read_text(encoding="utf-8").splitlines(), text.splitlines()
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [
        ("  image: Dockerfile", f"  image: docker://{IMAGE}@{DIGEST}")
    ]


def test_the_development_action_builds_from_the_dockerfile() -> None:
    assert yaml.safe_load(ACTION.read_text(encoding="utf-8"))["runs"]["image"] == "Dockerfile"
    assert schema_errors("github-action.json", ACTION.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "digest",
    [
        "",
        "sha256:" + "0" * 63,
        "sha256:" + "0" * 65,
        "sha256:" + "A" * 64,
        "sha512:" + "0" * 128,
        "0" * 64,
        "sha256:" + "0" * 64 + "\nruns: {}",
        " sha256:" + "0" * 64,
        "sha256:" + "g" * 64,
    ],
)
def test_malformed_digests_are_refused(digest: str) -> None:
    with pytest.raises(pin_script.PinError, match="is not sha256: followed by 64"):
        pin_script.image_reference(IMAGE, digest)


@pytest.mark.parametrize(
    "image",
    [
        "zoho-manifest-guard",  # no registry
        "ghcr.io",  # no path
        "GHCR.io/owner/name",  # upper case
        "ghcr.io/Owner/name",
        "ghcr.io/owner/name:v1",  # a tag: only the digest names the image
        "ghcr.io/owner/name@sha256:" + "0" * 64,
        "ghcr.io/owner/name\n",
        "ghcr.io/owner//name",
        "docker://ghcr.io/owner/name",
    ],
)
def test_malformed_image_names_are_refused(image: str) -> None:
    with pytest.raises(pin_script.PinError, match="is not a registry image name"):
        pin_script.image_reference(image, DIGEST)


def test_an_already_pinned_action_is_not_pinned_again() -> None:
    with pytest.raises(pin_script.PinError, match=r"pin the development action\.yml"):
        pin_script.pin(_pinned(), pin_script.image_reference(IMAGE, DIGEST))


def test_an_action_that_is_not_a_docker_action_is_refused() -> None:
    text = "name: x\ndescription: y\nruns:\n  using: node20\n  main: index.js\n"
    with pytest.raises(pin_script.PinError, match="not docker"):
        pin_script.pin(text, pin_script.image_reference(IMAGE, DIGEST))
    with pytest.raises(pin_script.PinError, match="no runs: mapping"):
        pin_script.pin("- a\n", pin_script.image_reference(IMAGE, DIGEST))


def test_the_script_rewrites_the_file_and_refuses_with_exit_code_2(tmp_path, capsys) -> None:
    action = tmp_path / "action.yml"
    shutil.copy(ACTION, action)
    code = pin_script.main(["--image", IMAGE, "--digest", "sha256:nope", "--action", str(action)])
    assert code == 2
    assert "is not sha256: followed by 64" in capsys.readouterr().err
    assert action.read_text(encoding="utf-8") == ACTION.read_text(encoding="utf-8")
    assert pin_script.main(["--image", IMAGE, "--digest", DIGEST, "--action", str(action)]) == 0
    assert action.read_text(encoding="utf-8") == _pinned()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["action.yml"]
    link = tmp_path / "link.yml"
    link.symlink_to(action)
    assert pin_script.main(["--image", IMAGE, "--digest", DIGEST, "--action", str(link)]) == 2
    assert "not a regular file" in capsys.readouterr().err


# --- write_release_info.py -------------------------------------------------------------------


def test_release_info_checks_the_tag_against_both_declared_versions(tmp_path) -> None:
    (tmp_path / "checker").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.4.0"\n')
    (tmp_path / "checker" / "__init__.py").write_text('__version__ = "1.4.0"\n')
    commit = "a" * 40
    assert info_script.release_info("v1.4.0", commit, tmp_path) == {
        "version": "1.4.0",
        "commit": commit,
    }
    with pytest.raises(ValueError, match="does not match the declared version"):
        info_script.release_info("v1.4.1", commit, tmp_path)
    with pytest.raises(ValueError, match="is not a release tag"):
        info_script.release_info("1.4.0", commit, tmp_path)
    with pytest.raises(ValueError, match="is not a full commit id"):
        info_script.release_info("v1.4.0", "A" * 40, tmp_path)
    (tmp_path / "checker" / "__init__.py").write_text('__version__ = "1.3.9"\n')
    with pytest.raises(ValueError, match=r"checker/__init__.py 1\.3\.9"):
        info_script.release_info("v1.4.0", commit, tmp_path)


def test_release_info_matches_this_checkout(capsys) -> None:
    from checker import __version__

    assert info_script.declared_versions(ROOT) == (__version__, __version__)
    assert info_script.main(["--check", "--tag", f"v{__version__}", "--commit", "b" * 40]) == 0
    assert info_script.main(["--check", "--tag", "v0.0.0-rc1", "--commit", "b" * 40]) == 2
    assert "is not a release tag" in capsys.readouterr().err


def test_the_release_record_is_package_data_and_not_committed() -> None:
    assert info_script.RELEASE_FILE == ROOT / "checker" / "catalog" / "release.json"
    assert "checker/catalog/release.json" in (ROOT / ".gitignore").read_text().splitlines()
    assert '"catalog/*.json"' in (ROOT / "pyproject.toml").read_text()


def test_init_reads_the_record_the_release_writes(tmp_path, monkeypatch) -> None:
    from checker import __version__, scaffold

    record = tmp_path / "release.json"
    monkeypatch.setattr(info_script, "RELEASE_FILE", record)
    monkeypatch.setattr(info_script, "ROOT", tmp_path)
    code = info_script.main(["--tag", f"v{__version__}", "--commit", "c" * 40])
    assert code == 0
    assert json.loads(record.read_text()) == {"version": __version__, "commit": "c" * 40}
    real = scaffold._data

    def data(package: str, name: str) -> str:
        return record.read_text() if name == scaffold.RELEASE_FILE else real(package, name)

    monkeypatch.setattr(scaffold, "_data", data)
    pin = scaffold.release_pin()
    assert pin is not None
    assert pin.uses == f"zoho-manifest-guard/zoho-manifest-guard@{'c' * 40} # v{__version__}"
