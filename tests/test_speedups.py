"""The NiceGUI speed-up (workshop/ui/speedups.py) must give NiceGUI's own answers, only faster."""

from __future__ import annotations

import functools

from nicegui import helpers, ui

from workshop.ui import speedups


class Handlers:
    def no_args(self) -> None: ...
    def one_arg(self, event) -> None: ...
    def optional(self, event=None) -> None: ...
    def star(self, *args, **kwargs) -> None: ...


def test_answers_match_nicegui_for_every_kind_of_handler() -> None:
    speedups.install()
    speedups.install()  # idempotent: still one layer over NiceGUI's check
    original = speedups._original
    assert helpers.expects_arguments is speedups._expects_arguments and original is not speedups._expects_arguments
    h = Handlers()
    callables = [h.no_args, h.one_arg, h.optional, h.star, Handlers().one_arg, lambda: None, lambda e: None,
                 functools.partial(lambda a, b: None, 1), print, Handlers]
    for _ in range(2):  # the second round answers from the cache
        for fn in callables:
            assert helpers.expects_arguments(fn) == original(fn), fn
    assert {h.no_args.__func__, h.one_arg.__func__} <= set(speedups._by_function)
    assert len([f for f in speedups._by_function if f.__qualname__.startswith("Handlers.")]) == 4


async def test_elements_still_react_to_changes(user) -> None:
    """Classes, style and props changes still reach the page after the speed-up."""
    speedups.install()

    @ui.page("/speedups")
    def page() -> None:
        box = ui.label("avant").mark("box")
        ui.button("Changer", on_click=lambda: (box.set_text("après"), box.classes("done"))).mark("go")

    await user.open("/speedups")
    user.find(marker="go").click()
    await user.should_see("après")
    [box] = user.find(marker="box").elements
    assert "done" in box.classes


def test_the_patch_applies_only_to_the_nicegui_versions_it_was_tested_with(monkeypatch) -> None:
    import nicegui

    assert speedups.applies_to(nicegui.__version__), "pyproject.toml pins a tested NiceGUI"
    assert not speedups.applies_to("3.19.0") and not speedups.applies_to("4.0.0")
    # on an untested version, install() leaves NiceGUI's own check in place
    monkeypatch.setattr(speedups, "_original", None)
    monkeypatch.setattr(helpers, "expects_arguments", original := helpers.expects_arguments)
    monkeypatch.setattr(nicegui, "__version__", "3.19.0")
    assert speedups.install() is False
    assert helpers.expects_arguments is original
