"""The one exception type that reaches users.

A :class:`UserError` carries a one-line message that names the problem and the fix. The CLI prints it
as ``jupitershine: error: <message>`` and exits with status 2, without a traceback. Library callers
catch it like any ``ValueError``.
"""

from __future__ import annotations


class UserError(ValueError):
    """Bad input from a user: a time, a preset, a file, a camera spec. The message is one line."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))
