"""Render targets larger than the GL allows: one-line UserErrors naming the limit and the fix, raised when
the target is made (before anything is drawn), never vispy's "FrameBuffer attachments are incomplete"."""

from __future__ import annotations

import pytest

from viewer.errors import UserError

pytestmark = pytest.mark.gl


def test_supersampled_side_over_the_limit_names_no_supersample(gl_context) -> None:
    from viewer.render.targets import HDRTarget, max_side

    side = max_side(gl_context)
    with pytest.raises(UserError, match=r"--no-supersample") as info:
        HDRTarget(gl_context, (side, 16), supersample=2, depth=False)
    assert f"{2 * side}x32" in str(info.value) and f"limit of {side} pixels" in str(info.value)


def test_side_over_the_limit_is_refused(gl_context) -> None:
    from viewer.render.targets import HDRTarget, max_side

    side = max_side(gl_context)
    with pytest.raises(UserError, match=r"limit of \d+ pixels a side.*smaller --size"):
        HDRTarget(gl_context, (side + 1, 16), supersample=1, depth=False)


@pytest.mark.parametrize("supersample, fix", [(1, "use a smaller --size"), (2, "--no-supersample")])
def test_incomplete_framebuffer_is_a_user_error(gl_probe, supersample, fix, monkeypatch) -> None:
    """Whatever the driver: a framebuffer it refuses at the first flush becomes one line with the size,
    its memory and the fix (forced here, since a GPU may accept what llvmpipe refuses)."""
    from viewer.render.context import headless_context
    from viewer.render.targets import HDRTarget

    ctx = headless_context()
    try:
        ctx.capabilities()  # measured (and cached) with a working flush

        def refuse() -> None:
            raise RuntimeError("FrameBuffer attachments are incomplete.")

        monkeypatch.setattr(ctx, "flush", refuse)
        with pytest.raises(UserError) as info:
            HDRTarget(ctx, (64, 32), supersample=supersample)
        text = str(info.value)
        assert f"{64 * supersample}x{32 * supersample}" in text and "GiB" in text and fix in text
        assert "incomplete" in text and "\n" not in text
    finally:
        monkeypatch.undo()
        ctx.close()


def test_llvmpipe_refuses_two_gib_at_creation(gl_context) -> None:
    """The reproduction of issue 11: 16384x8192 passes the 16384-a-side check but is 2 GiB of RGBA32F,
    which llvmpipe will not attach; the error comes when the target is made."""
    if "llvmpipe" not in gl_context.capabilities().renderer:
        pytest.skip("llvmpipe's per-texture memory limit; other drivers may accept 2 GiB")
    from viewer.render.context import headless_context
    from viewer.render.targets import HDRTarget, max_side

    if max_side(gl_context) < 16384:
        pytest.skip("this llvmpipe's side limit is below 16384")
    ctx = headless_context()
    try:
        with pytest.raises(UserError, match=r"16384x8192 \(2\.0 GiB of 16-byte texels\).*smaller --size"):
            HDRTarget(ctx, (16384, 8192), supersample=1, depth=True)
    finally:
        ctx.close()
