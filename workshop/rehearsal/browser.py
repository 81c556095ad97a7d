"""Chromium for the rehearsal: the screens of the room, their sizes, pictures and audits.

Debian's Chromium (``/usr/bin/chromium``) through Playwright, which never downloads a browser.
axe-core comes from the npm registry (``tools/axe``, installed by ``make test`` and ``make
rehearse``) and is injected into each page by Playwright: the app itself never loads it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = os.environ.get("WORKSHOP_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling out (the room has no internet).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("WORKSHOP_AXE", ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"))

CONSOLE_SIZES = [(1440, 900), (1280, 800)]
PROJECTOR_SIZES = [(1920, 1080), (1280, 720)]
TABLET = (768, 1024)
PHONE = (390, 844)
LANDSCAPE = (1024, 768)
TIMEOUT_MS = 15_000  # a loaded 2-core machine runs the server, Chromium and five pages at once

# Text a projector must show at least this big at 1280x720 (readable from the back of a room).
PROJECTOR_MIN_PX = 24


class SetupError(RuntimeError):
    """Something the rehearsal needs is missing (Chromium, Playwright, axe-core)."""


def axe_source() -> str:
    if not AXE.exists():
        raise SetupError(f"axe-core is missing ({AXE}): run `make rehearse` or `make test`, which install it "
                         "with npm into tools/axe/")
    return AXE.read_text(encoding="utf-8")


def launch(playwright):
    if not os.path.exists(CHROMIUM):
        raise SetupError(f"{CHROMIUM} is missing: run scripts/install-system-deps.sh (make test does)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class Screen:
    """One device in the room: a browser context of its own (its own cookies and storage)."""

    name: str
    context: object
    page: object
    sizes: list[tuple[int, int]]
    audited: set[str] = field(default_factory=set)
    waited: float = 0.0  # seconds spent waiting for the page to stand still before pictures

    def shoot(self, folder: Path, check=None) -> list[Path]:
        """A picture at each of the screen's sizes (back to the first one after), each of a page
        standing still (``still``); ``check(size)`` runs at each size, after the picture."""
        folder.mkdir(parents=True, exist_ok=True)
        out = []
        for width, height in self.sizes:
            if self.page.viewport_size != {"width": width, "height": height}:
                self.page.set_viewport_size({"width": width, "height": height})
                settle(self.page)
            # At the first size too, where no resize comes before the picture: the console is
            # 1440x900 when a tab has just been clicked, its panel yet to come, then sliding in.
            self.waited += still(self.page)
            suffix = "" if len(self.sizes) == 1 and self.name.endswith(f"{width}x{height}") else f"-{width}x{height}"
            path = folder / f"{self.name}{suffix}.png"
            # Transitions still running are finished first ("disabled"): on a loaded machine a panel
            # whose slide had ended for the page was still pictured mid-slide (up to 15 % of it off
            # its place, tests/e2e/test_rehearsal_pictures.py run three at once); spinners are
            # pictured at their start.
            self.page.screenshot(path=str(path), animations="disabled")
            out.append(path)
            if check is not None:
                check((width, height))
        if len(self.sizes) > 1:
            width, height = self.sizes[0]
            self.page.set_viewport_size({"width": width, "height": height})
        return out

    def at(self, size: tuple[int, int]) -> None:
        width, height = size
        if self.page.viewport_size != {"width": width, "height": height}:
            self.page.set_viewport_size({"width": width, "height": height})
            settle(self.page)


def settle(page) -> None:
    """Let layout scripts (the projector fits its text to the screen) finish after a resize."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_timeout(150)  # the layout scripts' last pass after a resize: only so a picture is not mid-way


# A page standing still before its picture. Two things to wait for, each seen on the console's
# tabs: a tab's panel shown while another tab is chosen (the console's panel came a round trip
# after its tab until both were switched in the browser, BrowserTabs: kept as a guard for any other
# q-tab-panels bound on the server); then the panels slide
# (Vue's enter/leave classes, q-transition--*-active, stay on an element while it moves: about
# 0.3 s, two panels half in view). Dialogs and menus fading in are waited for the same way.
# Returns at once on a still page, waits at most 2 s; the milliseconds waited. Smaller motions
# are not waited for (a hovered button's highlight, the loading bar, a new card's 2 s flash):
# waiting for them too added 53 s to a rehearsal of demi-journee and deux-jours; the picture
# itself finishes whatever still runs (Screen.shoot), so they are pictured at their end.
STILL = """async () => {
  const started = performance.now();
  const model = el => typeof getElement === 'function' ? getElement(el)?.$props : undefined;
  const behind = () => {  // a tab's panel shown while another tab is chosen
    const tabs = [...document.querySelectorAll('.q-tab')].map(t => [model(t)?.name, t.classList.contains('q-tab--active')]);
    const names = new Set(tabs.map(([name]) => name).filter(name => name !== undefined));
    const chosen = new Set(tabs.filter(([, active]) => active).map(([name]) => name));
    return [...document.querySelectorAll('.q-tab-panels')].some(p => {
      const shown = model(p)?.modelValue;
      return names.has(shown) && !chosen.has(shown);
    });
  };
  const sliding = el => [...el.classList].some(c => /^q-transition--.+-(enter|leave)-active$/.test(c));
  const moving = () => behind() || [...document.querySelectorAll('[class*="q-transition--"]')].some(sliding);
  if (!moving()) { return 0; }
  while (moving() && performance.now() - started < 2000) { await new Promise(r => setTimeout(r, 30)); }
  // the frame after the last move: without it a picture still caught the panel 1 px short
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - started;
}"""


def still(page) -> float:
    """Wait until every tab panel is the chosen tab's and no Quasar transition runs (at most
    2 s); the seconds waited."""
    return page.evaluate(STILL) / 1000


# A toast fading in (or out) is judged by what a person reads once it is in: wait until no
# finite animation has run for 300 ms (at most 2 s; spinners loop forever and are left alone).
ANIMATIONS_DONE = """async () => {
  const busy = () => document.getAnimations().some(a => a.playState === 'running' && a.effect
    && isFinite(a.effect.getComputedTiming().endTime));
  const end = Date.now() + 2000;
  let quiet = 0;
  while (Date.now() < end) {
    quiet = busy() ? 0 : quiet + 1;
    if (quiet >= 3) { return; }
    await new Promise(r => setTimeout(r, 100));
  }
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => (n.html || '').slice(0, 140) + ' :: ' + (n.failureSummary || '').split('\\n').slice(1, 3).join(' ')),
  }));
}"""


def audit(page, source: str) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    page.evaluate(ANIMATIONS_DONE)
    found = page.evaluate(AXE_RUN)
    return [f"{v['impact']} {v['id']} ({v['help']}): " + " | ".join(v["nodes"]) for v in found]


SMALL_TEXT = """(min) => {
  const out = [];
  const seen = new Set();
  function visible(el) {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.bottom < 0 || r.right < 0 || r.top > innerHeight || r.left > innerWidth) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) return false;
      if (e.getAttribute('aria-hidden') === 'true' && e.closest('.v21p-scale') === null && !e.closest('svg')) return false;
      if (e.classList && (e.classList.contains('v21p-sr') || e.classList.contains('v21p-fs') || e.classList.contains('offline-banner'))) return false;
    }
    return true;
  }
  const walker = document.createTreeWalker(document.querySelector('.v21p') || document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement;
    if (!el || seen.has(el) || !visible(el)) continue;
    seen.add(el);
    let px;
    if (el instanceof SVGElement) {
      const m = el.getScreenCTM();
      px = parseFloat(getComputedStyle(el).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
    } else {
      const range = document.createRange(); range.selectNodeContents(node);
      let scale = 1;
      for (let e = el; e; e = e.parentElement) {
        const t = getComputedStyle(e).transform;
        if (t && t !== 'none') { const m = new DOMMatrix(t); scale *= Math.hypot(m.a, m.b); }
      }
      px = parseFloat(getComputedStyle(el).fontSize) * scale;
    }
    if (px < min - 0.5) out.push(`${Math.round(px * 10) / 10}px «${text.slice(0, 60)}»`);
  }
  return out;
}"""


def small_text(page, minimum: float = PROJECTOR_MIN_PX) -> list[str]:
    """Text on the page drawn smaller than ``minimum`` CSS pixels (charts' SVG text included)."""
    return page.evaluate(SMALL_TEXT, minimum)


CUT_TEXT = """() => {
  const out = [];
  // text for screen readers only is clipped on purpose
  const skip = el => el.closest('.v21p-sr');
  document.querySelectorAll('.v21p *').forEach(el => {
    if (skip(el)) return;
    if (!el.childElementCount && el.textContent.trim() && el.scrollWidth > el.clientWidth + 2) {
      const s = getComputedStyle(el);
      if (s.overflow === 'hidden' || s.textOverflow === 'ellipsis') out.push(el.textContent.trim().slice(0, 60));
    }
  });
  document.querySelectorAll('.v21p svg text').forEach(t => {
    const svg = t.closest('svg'); if (!svg || skip(t)) return;
    const a = svg.getBoundingClientRect(), b = t.getBoundingClientRect();
    if (b.width && (b.left < a.left - 1 || b.right > a.right + 1 || b.top < a.top - 1 || b.bottom > a.bottom + 1))
      out.push(t.textContent.trim().slice(0, 60));
  });
  return out;
}"""


def cut_text(page) -> list[str]:
    """Text that overflows its box or its chart on the projector (cut labels)."""
    return page.evaluate(CUT_TEXT)


def slug(text: str) -> str:
    text = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return text[:48] or "step"
