"""One measured speed-up of NiceGUI's element construction.

Every NiceGUI element creates three observable collections (classes, style, props), and each
asks ``helpers.expects_arguments`` whether its change handler takes arguments, which runs
``inspect.signature`` on a bound method of the same few functions, three times per element.
In the load benchmark that was about a third of the time spent building a tablet's vote panel
(``bench/load_benchmark.py`` with a profiler), on the event loop that also carries the votes.

The answer for a bound method depends only on its function, so it is computed once per
function; every other callable (lambdas made per element, partials…) goes to NiceGUI's own
check unchanged. ``install()`` is idempotent.

Pinned: it patches only the NiceGUI versions it was measured and tested with (``TESTED``); on
any other it leaves NiceGUI alone and logs why, so an upgrade can cost speed but never
correctness. ``bench/element_cost.py`` prints what it saves (NiceGUI 3.18.0: about 138 µs of CPU
per element without it, 99 µs with it). The change is written up for NiceGUI's maintainers in
docs/upstream/nicegui-expects-arguments.md.
"""

from __future__ import annotations

import logging
import types
from collections.abc import Callable
from typing import Any

import nicegui
from nicegui import helpers

# NiceGUI releases this patch was checked against (tests/test_speedups.py compares its answers
# with NiceGUI's own, and NiceGUI's callers still read ``helpers.expects_arguments`` at call time).
TESTED = ("3.18.",)

_original: Callable[[Callable], bool] | None = None
_by_function: dict[types.FunctionType, bool] = {}


def _expects_arguments(func: Callable[..., Any]) -> bool:
    assert _original is not None
    if isinstance(func, types.MethodType) and isinstance(func.__func__, types.FunctionType):
        known = _by_function.get(func.__func__)
        if known is None:
            known = _by_function[func.__func__] = _original(func)
        return known
    return _original(func)


def applies_to(version: str) -> bool:
    return version.startswith(TESTED)


def install() -> bool:
    """Patch NiceGUI if its version was tested; True when the patch is in place."""
    global _original
    if _original is None:
        if not applies_to(nicegui.__version__):
            logging.getLogger(__name__).info(
                "NiceGUI %s is not among the versions this speed-up was tested with (%s): not applied",
                nicegui.__version__, ", ".join(TESTED))
            return False
        _original = helpers.expects_arguments
        helpers.expects_arguments = _expects_arguments
    return True
