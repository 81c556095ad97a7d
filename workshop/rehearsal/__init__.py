"""The rehearsal: a whole seminar played in Chromium before the room plays it.

For each run sheet it creates a seminar on a server of its own (a temporary data folder:
nothing of the real seminars is touched), opens one console, one projector and three
tablets of the sizes people bring (768x1024 tablet, 390x844 phone, 1024x768 landscape), and
plays every activity as a facilitator and participants would: opened, contributed to, voted
on, rated or linked, moved past, closed, to the end. At each step it checks what each screen
*says* against the database, saves screenshots under ``<out>/<run sheet>/<step>/`` at every
size, and runs axe-core on every page (0 serious or critical violations). One implementation
for the test suite (``tests/e2e/test_rehearsal.py``) and the facilitator's command
(``workshop rehearse``).
"""

from workshop.rehearsal.play import RehearsalFailed, rehearse

__all__ = ["RehearsalFailed", "rehearse"]
