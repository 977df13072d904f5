"""GL probe, run in a subprocess by conftest.py: make a headless context and a float target.

Prints one line: ``ok <renderer>`` (exit 0) or the reason (exit 1).
"""

from __future__ import annotations

import sys


def main() -> int:
    from viewer.render.context import GLUnavailable, headless_context

    try:
        with headless_context() as ctx:
            caps = ctx.capabilities()
    except GLUnavailable as exc:
        print(exc)
        return 1
    if not caps.float_targets.get("rgba32f"):
        print(f"{caps.renderer}: float render targets do not work")
        return 1
    print(f"ok {caps.renderer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
