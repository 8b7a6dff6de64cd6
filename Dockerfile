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
COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir --no-compile /wheels/zoho_manifest_guard-*.whl \
    && rm -rf /wheels
COPY entrypoint.py /opt/zoho-manifest-guard/entrypoint.py
# No USER line on purpose: GitHub runs Docker actions as the image's default user and mounts
# the workspace owned by the runner's account; its docs say Docker actions must run as root
# ("Dockerfile support for GitHub Actions", USER). The action never executes code from the
# repository it checks: it only reads JSON files and calls the GitHub API.
ENTRYPOINT ["python", "/opt/zoho-manifest-guard/entrypoint.py"]
