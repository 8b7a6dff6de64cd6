"""One exception tree, mapped to exit codes in exactly one place."""

from __future__ import annotations

EXIT_PASS = 0
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class CheckerError(Exception):
    """Base of every error the tool raises on purpose; unexpected ones are internal (3)."""

    exit_code = EXIT_INTERNAL


class UsageError(CheckerError):
    """Bad command line, settings or configuration."""

    exit_code = EXIT_USAGE


class InputError(UsageError):
    """An input could not be read at all (missing path, not a git repository, ...)."""


class ConfigError(UsageError):
    """A configuration or policy file is invalid."""


class GitHubError(CheckerError):
    """The GitHub API failed in a way the tool cannot work around."""


class GitError(InputError):
    """A git command failed; ``stderr`` and ``returncode`` say how."""

    def __init__(self, message: str, *, returncode: int | None = None, stderr: str = "") -> None:
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr
