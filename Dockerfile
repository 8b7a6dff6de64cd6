# Zoho Manifest Guard as a Docker container action (action.yml: runs.using docker).
#
# The base is pinned by version and digest so a rebuild gets the same interpreter and Debian
# packages; bump both together. Stage 1 builds the wheel (setuptools only lives there);
# stage 2 installs that wheel with exactly the dependencies pyproject.toml declares.
FROM python:3.12.12-slim@sha256:f3fa41d74a768c2fce8016b98c191ae8c1bacd8f1152870a3f9f87d350920b7c AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY checker ./checker
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.12.12-slim@sha256:f3fa41d74a768c2fce8016b98c191ae8c1bacd8f1152870a3f9f87d350920b7c
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# git reads the base side (merge base, changed files with renames, blobs) from a full clone
# (actions/checkout with fetch-depth: 0) instead of the contents API: no API request per
# manifest, and the same answer as the CLI's diff. The price: Debian's git depends on perl,
# so the image grows by roughly 100 MB unpacked (about 30 MB downloaded, a few seconds of
# apt on every build of this action). --no-install-recommends keeps out ssh, less and the
# rest; the package lists are deleted in the same layer. Without git the action still works:
# it falls back to the API (and says so in the log), so this layer can go if size matters
# more than requests.
# DL3008 (pin apt versions) is ignored on purpose: Debian removes a superseded version from
# its mirrors when a security update lands, and GitHub builds this image on every workflow
# run, so a pinned git would break every user's job at the next git fix. The base image's
# digest already pins the Debian release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
# pip byte-compiles the package and its dependencies here, once, so no job pays for it: with
# PYTHONDONTWRITEBYTECODE set, a run never writes .pyc files, and without these every start
# would compile every module again (measured outside Docker: about 0.28 s instead of 0.09 s
# to check one manifest). The price is a few MB of .pyc files in the image.
RUN python -m pip install --no-cache-dir /wheels/zoho_manifest_guard-*.whl \
    && rm -rf /wheels
COPY entrypoint.py /opt/zoho-manifest-guard/entrypoint.py
# No USER line on purpose: GitHub runs Docker actions as the image's default user and mounts
# the workspace owned by the runner's account; its docs say Docker actions must run as root
# ("Dockerfile support for GitHub Actions", USER). The action never executes code from the
# repository it checks: it reads JSON files and git objects and calls the GitHub API; its git
# commands trust the workspace for themselves only and switch off fsmonitor.
ENTRYPOINT ["python", "/opt/zoho-manifest-guard/entrypoint.py"]
