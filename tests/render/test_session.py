"""The interactive session's frames (viewer.app.session): a moving view's automatic exposure is metered
on one draft frame in DRAFT_METER_EVERY and held in between; a settled frame is always metered, so
the view settles on the still's exposure."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gl


def test_drafts_hold_the_metered_exposure_and_settled_frames_meter(world, gl_context) -> None:
    from viewer.app.session import DRAFT_METER_EVERY, Session
    from viewer.still import resolve_still

    setup = resolve_still("i57", size=(96, 64))
    session = Session(setup, world, threaded_events=False, events=[])
    session.make_maker(gl_context, (96, 64))
    session.flight.clock.rate = 50.0
    session.flight.clock.toggle()
    metered = [session.render(0.05, draft=True).metering is not None for _ in range(2 * DRAFT_METER_EVERY)]
    assert metered == ([True] + [False] * (DRAFT_METER_EVERY - 1)) * 2
    fresh = session.render(0.05, draft=True)
    held = session.render(0.05, draft=True)
    assert fresh.metering is not None and held.metering is None and held.ev == fresh.ev
    settled = session.render(0.0)
    assert settled.metering is not None
    still = session.maker.frame(session.last[0], session.last[1], snapshot=session.last[2])
    assert settled.ev == still.ev  # what a settled view shows is the still's exposure
    session.close()
