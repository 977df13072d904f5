"""The one exception type that reaches users.

A :class:`UserError` carries a one-line message that names the problem and the fix. The CLI prints it
as ``jupitershine: error: <message>`` and exits with status 2, without a traceback. Library callers
catch it like any ``ValueError``.
"""

from __future__ import annotations

import os
from pathlib import Path


class UserError(ValueError):
    """Bad input from a user: a time, a preset, a file, a camera spec. The message is one line."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


def read_user_text(path: str | os.PathLike[str], what: str) -> str:
    """A user's UTF-8 text file (a scene, a script); ``what`` names it in the one-line error
    (``"scene file"``): missing, unreadable or not UTF-8."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{what} {p} does not exist; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {what} {p} ({exc}); check the file") from None
