"""One measured speed-up of NiceGUI's element construction.

Every NiceGUI element creates three observable collections (classes, style, props), and each
asks ``helpers.expects_arguments`` whether its change handler takes arguments, which runs
``inspect.signature`` on a bound method of the same few functions, three times per element.
In the load benchmark that was about a third of the time spent building a tablet's vote panel
(``bench/load_benchmark.py`` with a profiler), on the event loop that also carries the votes.

The answer for a bound method depends only on its function, so it is computed once per
function; every other callable (lambdas made per element, partials…) goes to NiceGUI's own
check unchanged. ``install()`` is idempotent.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from nicegui import helpers

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


def install() -> None:
    global _original
    if _original is None:
        _original = helpers.expects_arguments
        helpers.expects_arguments = _expects_arguments
