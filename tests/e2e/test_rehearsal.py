"""The rehearsal of every shipped run sheet (``workshop rehearse``), as part of the suite.

Each run sheet is played end to end in Chromium by one console, one projector and three
tablets (workshop/rehearsal): every screen is checked against the database at each step,
audited with axe-core, and photographed into test-artifacts/rehearsal/<run sheet>/<step>/.
"""

from __future__ import annotations

import pytest

from workshop.rehearsal import rehearse
from workshop.rehearsal.play import RUN_SHEETS

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("run_sheet", RUN_SHEETS)
def test_rehearse_run_sheet(run_sheet: str, artifacts) -> None:
    """Fails with the list of every problem found: a screen saying something wrong, an
    accessibility violation, projector text under 24 px at 1280x720 or cut."""
    rehearse([run_sheet], artifacts / "rehearsal")
