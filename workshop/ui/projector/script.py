"""The small client-side script of the projector screen.

It does what must not cost the server anything: the countdown (from a remaining time the
server sends), shrinking long texts to fit their box, scaling the charts (drawn at a 1080p
reference size) to their area, paging large walls and long lists (the synthesis), and the
full-screen button. It tells the server the number of pages when that changes (pages.py), so
that the console can say « Page 2 / 3 ».
"""

JS = r"""
<script>
(function () {
  if (window.v21p) { return; }
  var v21p = window.v21p = {};

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clockText(secs) {
    var s = Math.abs(secs), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (secs < 0 ? '+' : '') + (h ? h + ':' + pad(m) : m) + ':' + pad(r);
  }
  // Countdown: the server sends the remaining seconds and a revision number; the deadline is
  // taken on this clock when a new revision arrives, so clocks need not agree.
  function tick() {
    var clocks = document.querySelectorAll('.v21p-clock');
    for (var i = 0; i < clocks.length; i++) {
      var el = clocks[i], d = el.dataset;
      if (d.rev !== el._rev) { el._rev = d.rev; el._deadline = Date.now() + 1000 * parseFloat(d.remaining || '0'); }
      var paused = d.paused === '1';
      var secs = paused ? Math.round(parseFloat(d.remaining || '0')) : Math.ceil((el._deadline - Date.now()) / 1000);
      var over = secs < 0;
      el.classList.toggle('is-paused', paused);
      el.classList.toggle('is-over', over && !paused);
      var label = paused ? d.lPaused : (over ? d.lOver : d.lLeft);
      var t = el.querySelector('.v21p-clock-time'), l = el.querySelector('.v21p-clock-label');
      var text = clockText(secs);
      if (t && t.textContent !== text) { t.textContent = text; }
      if (l && l.textContent !== label) { l.textContent = label; }
      var aria = label + ' ' + text;
      if (el.getAttribute('aria-label') !== aria && secs % 15 === 0) { el.setAttribute('aria-label', aria); }
    }
  }
  setInterval(tick, 250);

  // Shrink a text until it fits its box (between data-fit-min and data-fit-max, in vh).
  // Never below 24 px: what is meant to be read is read from the back of the room.
  var FLOOR_PX = 24;
  function fit(el) {
    var vh = window.innerHeight / 100;
    var min = Math.max(parseFloat(el.dataset.fitMin || '2'), FLOOR_PX / vh);
    var side = el.hasAttribute('data-clamp') && el.closest('.v21p-side');
    // a side panel widened beside a snug wall (see snug) allows larger type (data-fit-wide)
    var wide = side && el.dataset.fitWide && side.getBoundingClientRect().width > 0.28 * window.innerWidth;
    var max = Math.max(parseFloat((wide && el.dataset.fitWide) || el.dataset.fitMax || '5'), min);
    if (el.hasAttribute('data-pages')) { return paged(el, min, max, vh); }
    unclamp(el);
    if (el.hasAttribute('data-whole-items')) { showAll(el); }  // measured whole, then items left out (whole)
    if (side) { side.classList.remove('is-tight'); }
    if (!shrink(el, min, max, vh) && side) {
      side.classList.add('is-tight');  // the join panel makes room: a smaller QR code, no heading
      shrink(el, min, max, vh);
    }
    if (el.hasAttribute('data-clamp') && !fits(el)) { clamp(el); }
    el.classList.toggle('is-cut', !fits(el));
  }
  // The largest size (in vh, from max down to min) at which the text fits; whether it does.
  function shrink(el, min, max, vh) {
    el.style.fontSize = max * vh + 'px';
    if (fits(el)) { return true; }
    largest(el, min, max, vh, 9, function () { return fits(el); });
    return fits(el);
  }
  // The largest font size from min to max (in vh units) at which ok() holds, by halves (steps of
  // them), set on el.
  function largest(el, min, max, vh, steps, ok) {
    var lo = min, hi = max;
    for (var k = 0; k < steps; k++) {
      var mid = (lo + hi) / 2;
      el.style.fontSize = mid * vh + 'px';
      if (ok()) { lo = mid; } else { hi = mid; }
    }
    el.style.fontSize = lo * vh + 'px';
  }
  // Where a text may be cut into words: its breaking spaces only, not the no-break ones of French
  // (« 15 minutes », « : ») that JavaScript's \s counts as spaces too.
  var BREAKS = /[ \t\r\n]+/;
  function fits(el) { return el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1; }
  // Still too long at the smallest size (data-clamp): as many whole words as fit, then "…", and the
  // note that follows (where to read the rest) is shown. The text is the label's own: its changes
  // are not layout triggers (see ignorable), so restoring it each pass does not loop.
  function clamp(el) {
    var note = el.nextElementSibling;
    if (note && note.hidden) { note.hidden = false; }
    var words = el.dataset.full.split(BREAKS);
    function cut(n) { el.textContent = words.slice(0, n).join(' ').replace(/[\s,;:–-]+$/, '') + '\u00a0…'; }
    var lo = longest(words.length, function (n) { cut(n); return fits(el); });
    cut(lo);
    // a whole sentence reads better, but only when ending there costs no line: the room the
    // panel has is the text's (an earlier end left an empty band under the note)
    var end = lo;
    while (end > 0 && !/[.!?]$/.test(words[end - 1])) { end--; }
    if (end > 0 && end < lo) {
      var bottom = textBottom(el);
      cut(end);
      if (textBottom(el) < bottom - 1) { cut(lo); }
    }
    el.classList.add('is-clamped');
  }
  // The largest n from 0 to hi for which fits(n) holds (fits grows false past some n), by halves.
  function longest(hi, fits) {
    var lo = 0;
    while (lo < hi) {
      var mid = Math.ceil((lo + hi) / 2);
      if (fits(mid)) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }
  // The bottom of a text's last line (its box may be taller).
  function textBottom(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    return range.getBoundingClientRect().bottom;
  }
  function unclamp(el) {
    if (!el.hasAttribute('data-clamp')) { return; }
    if (el.dataset.full === undefined) { el.dataset.full = el.textContent; }
    if (el.textContent !== el.dataset.full) { el.textContent = el.dataset.full; }
    el.classList.remove('is-clamped');
    var note = el.nextElementSibling;
    if (note && !note.hidden) { note.hidden = true; }
  }
  // Scale a chart drawn at its reference size to fill its area, centred.
  function scale(box) {
    var plot = box.querySelector(':scope > .js-plotly-plot');
    if (!plot) { return; }
    var w = parseFloat(box.dataset.w), h = parseFloat(box.dataset.h);
    var s = Math.min(box.clientWidth / w, box.clientHeight / h);
    if (!isFinite(s) || s <= 0) { return; }
    plot.style.width = w + 'px'; plot.style.height = h + 'px';
    plot.style.transform = 'translate(' + (box.clientWidth - w * s) / 2 + 'px,' + (box.clientHeight - h * s) / 2 + 'px) scale(' + s + ')';
  }
  // A wall is first shrunk (down to data-fit-min vh) to hold on one screen; beyond that its
  // extra columns are shown one page (one screen of columns) at a time.
  function page(view) {
    var cols = view.querySelector('.v21p-wall-cols');
    if (!cols) { return; }
    var vh = window.innerHeight / 100;
    var min = Math.max(parseFloat(view.dataset.fitMin || '2.1'), FLOOR_PX / vh);
    var max = Math.max(parseFloat(view.dataset.fitMax || '2.6'), min);
    var gap = parseFloat(getComputedStyle(cols).columnGap) || 0;
    cols.style.transform = '';
    function pagesAt(size) {
      cols.style.fontSize = size * vh + 'px';
      return Math.max(1, Math.ceil((cols.scrollWidth + gap) / (cols.clientWidth + gap) - 0.02));
    }
    // Several kinds: one column per kind if that holds on one screen, else let them flow.
    if (cols.dataset.group === 'kind') {
      cols.classList.add('by-kind');
      if (pagesAt(max) > 1) { cols.classList.remove('by-kind'); }
    }
    var pages = pagesAt(max);
    if (pages > 1) {
      if (pagesAt(min) > 1) { pages = pagesAt(min); }
      else {
        var lo = min, hi = max;
        for (var k = 0; k < 6; k++) { var mid = (lo + hi) / 2; if (pagesAt(mid) > 1) { hi = mid; } else { lo = mid; } }
        pages = pagesAt(lo);
      }
    }
    snug(view, cols, pages, gap);
    var width = cols.clientWidth + gap;
    var wanted = parseInt(view.dataset.page || '0', 10) || 0;
    var current = ((wanted % pages) + pages) % pages;
    cols.style.transform = current ? 'translateX(' + (-current * width) + 'px)' : '';
    var pager = view.parentElement && view.parentElement.querySelector('.v21p-pager');
    if (pager) {
      var text = (pager.dataset.label || 'Page {page} / {pages}').replace('{page}', current + 1).replace('{pages}', pages);
      if (pager.hidden !== (pages < 2)) { pager.hidden = pages < 2; }
      if (pager.textContent !== text) { pager.textContent = text; }
    }
    return pages;
  }
  // A wall on one page that fills fewer columns than it has (a few cards, one or two kinds) is
  // marked is-snug with the width of the columns it uses: the CSS gives the rest to the side panel.
  // Its columns keep their width (the CSS fixes it), so the measure does not depend on the mark.
  function snug(view, cols, pages, gap) {
    var main = view.closest('.v21p-main');
    var side = main && main.parentElement.querySelector(':scope > .v21p-side');
    var count = parseInt(getComputedStyle(cols).columnCount, 10) || 1;
    var colWidth = (cols.clientWidth - (count - 1) * gap) / count;
    var used = 0;
    if (side && pages === 1 && colWidth > 0) {
      var left = cols.getBoundingClientRect().left, right = left;
      cols.querySelectorAll('.v21p-group-title, .v21p-card').forEach(function (el) {
        right = Math.max(right, el.getBoundingClientRect().right);
      });
      used = Math.round((right - left + gap) / (colWidth + gap));
    }
    var on = used > 0 && used < count;
    if (on) {
      var width = Math.ceil(used * colWidth + (used - 1) * gap) + 'px';
      if (main.style.getPropertyValue('--v21p-wall-w') !== width) { main.style.setProperty('--v21p-wall-w', width); }
    }
    if (view.classList.contains('is-snug') !== on) { view.classList.toggle('is-snug', on); }
    if (view.classList.contains('is-single') !== (on && used === 1)) { view.classList.toggle('is-single', on && used === 1); }
  }
  // A list that shows whole items only: those that do not fit below are left out, not cut, and
  // the line after it that has data-left (its texts for 1, 2, 3… left out) says how many.
  function showAll(list) {
    Array.prototype.forEach.call(list.children, function (item) { item.style.display = ''; });
  }
  function hideBelow(list) {
    showAll(list);
    var bottom = list.getBoundingClientRect().bottom + 1, out = 0;
    Array.prototype.forEach.call(list.children, function (item) {
      if (out || item.getBoundingClientRect().bottom > bottom) { item.style.display = 'none'; out++; }
    });
    return out;
  }
  function whole(list) {
    var note = list.parentElement && list.parentElement.querySelector('[data-left]');
    if (note) { note.hidden = true; }
    var out = hideBelow(list);
    if (!note || !out) { return; }
    var texts = JSON.parse(note.dataset.left || '[]');
    // the line takes room too, which may leave out one more item: until the count said holds
    for (var k = 0; k <= list.children.length; k++) {
      var text = texts[out] || '';
      if (note.textContent !== text) { note.textContent = text; }
      note.hidden = false;
      var again = hideBelow(list);
      if (again === out) { break; }
      out = again;
    }
  }
  // A list shown page by page (data-pages, the page wanted in data-page, the facilitator's):
  // its items as large as they fit on one page, else as large as keeps the fewest pages (those
  // at the smallest size), the same size on every page. A page holds the whole items that follow
  // those of the pages before it; an item too tall for a page on its own is left out, and the line
  // with data-left says how many. The view's .v21p-pager says which page is shown.
  function paged(list, min, max, vh) {
    var note = list.parentElement && list.parentElement.querySelector('[data-left]');
    var view = list.closest('section');
    var pager = view && view.querySelector('.v21p-pager');
    showAll(list);
    if (note) { note.hidden = true; }
    var r = shrink(list, min, max, vh) ? { pages: [list.children.length ? allItems(list) : []], out: [] }
                                       : split(list, note);
    if (r.out.length || r.pages.length > 1) {  // as large as keeps the pages (and what is left out) at the smallest size
      var count = r.pages.length, left = r.out.length;
      largest(list, min, max, vh, 7, function () {
        var at = split(list, note);
        return at.out.length <= left && at.pages.length <= count;
      });
      r = split(list, note);
    }
    var pages = Math.max(1, r.pages.length);
    var wanted = parseInt(list.dataset.page || '0', 10) || 0;
    var current = ((wanted % pages) + pages) % pages;
    var shown = r.pages[current] || [];
    Array.prototype.forEach.call(list.children, function (item, i) {
      var display = shown.indexOf(i) < 0 ? 'none' : '';
      if (item.style.display !== display) { item.style.display = display; }
    });
    if (pager) {
      var text = (pager.dataset.label || 'Page {page} / {pages}').replace('{page}', current + 1).replace('{pages}', pages);
      if (pager.hidden !== (pages < 2)) { pager.hidden = pages < 2; }
      if (pager.textContent !== text) { pager.textContent = text; }
    }
    return pages;
  }
  function allItems(list) { return Array.prototype.map.call(list.children, function (_item, i) { return i; }); }
  // At the list's size, all its items shown: its pages (item indexes) and the items too tall for
  // one; with such items, the line saying how many is shown, which leaves less room: until it holds.
  function split(list, note) {
    var texts = note ? JSON.parse(note.dataset.left || '[]') : [];
    if (note) { note.hidden = true; }
    var r = pagesOf(list);
    for (var k = 0; note && r.out.length && k <= list.children.length; k++) {
      var text = texts[r.out.length] || '';
      if (note.textContent !== text) { note.textContent = text; }
      note.hidden = false;
      var again = pagesOf(list);
      if (again.out.length === r.out.length) { r = again; break; }
      r = again;
    }
    if (note && !r.out.length) { note.hidden = true; }
    return r;
  }
  function pagesOf(list) {
    showAll(list);
    if (fits(list)) { return { pages: [allItems(list)], out: [] }; }
    // overflowing, the list has all the room there is: a page is that high, less its 2 px of padding
    var room = list.getBoundingClientRect().height - (parseFloat(getComputedStyle(list).paddingBottom) || 0) + 1;
    // (an item left out is measured in place: those after it are moved up by its height and gap)
    var pages = [], out = [], page = null, top = 0, removed = 0, outTop = null;
    Array.prototype.forEach.call(list.children, function (item, i) {
      var box = item.getBoundingClientRect();
      if (box.height > room) { out.push(i); if (outTop === null) { outTop = box.top; } return; }
      if (outTop !== null) { removed += box.top - outTop; outTop = null; }
      var itemTop = box.top - removed, bottom = box.bottom - removed;
      if (page === null || bottom - top > room) { page = []; pages.push(page); top = itemTop; }
      page.push(i);
    });
    return { pages: pages, out: out };
  }
  // A name on one line (data-line, the whole name): cut at a word, with "…", only when it is
  // wider than its box; a single word too wide is cut between letters.
  function oneLine(el) {
    var full = el.dataset.line;
    if (el.textContent !== full) { el.textContent = full; }
    if (el.scrollWidth <= el.clientWidth + 1) { return; }
    function cut(text) { return text.replace(/[\s,;:.\u2013-]+$/, '') + '\u2026'; }
    // the most parts (words, else letters) that fit, the whole being known too wide
    function most(parts, sep) {
      return longest(parts.length - 1, function (n) {
        el.textContent = cut(parts.slice(0, n).join(sep));
        return el.scrollWidth <= el.clientWidth + 1;
      });
    }
    var words = full.split(BREAKS), n = most(words, ' ');
    if (n > 0) { el.textContent = cut(words.slice(0, n).join(' ')); return; }
    var letters = Array.from(full);
    el.textContent = cut(letters.slice(0, Math.max(1, most(letters, ''))).join(''));
  }
  // The pages of the wall or the synthesis on screen (null: none shown), told to the server when
  // they change, not at every pass (a wall is fitted again at each card, resize, page turn).
  var told = null;
  function tell(pages) {
    var count = pages >= 1 ? Math.min(99, Math.round(pages)) : null;  // a hidden wall measures NaN
    if (count === told) { return; }
    told = count;
    emitEvent('v21_pages', count);
  }
  function layout() {
    var counted = [];
    function count(pages) { if (pages >= 1) { counted.push(pages); } }
    // the wall first: how many columns it uses sets the side panel's width, which the texts fit to
    document.querySelectorAll('.v21p-wall-viewport').forEach(function (view) {
      var pages = page(view);
      if (view.offsetParent !== null) { count(pages); }  // not the columns of a wall shown empty
    });
    document.querySelectorAll('[data-fit-max]').forEach(function (el) { count(fit(el)); });
    document.querySelectorAll('.v21p-scale').forEach(scale);
    // names are cut to the width of items all shown, then the items that do not fit are left out
    document.querySelectorAll('[data-whole-items]').forEach(showAll);
    document.querySelectorAll('[data-line]').forEach(oneLine);
    document.querySelectorAll('[data-whole-items]').forEach(whole);
    tell(counted.length ? counted[0] : null);
  }
  var pending = false;
  v21p.layout = function () {
    if (pending) { return; }
    pending = true;
    // v21p.layouts counts the passes: a test can check that layout does not loop.
    requestAnimationFrame(function () { pending = false; v21p.layouts = (v21p.layouts || 0) + 1; layout(); });
  };
  function ignorable(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    return !!(el && el.closest && el.closest('.v21p-clock, .js-plotly-plot, .v21p-pager, [data-clamp], [data-line], [data-left]'));
  }
  function start() {
    var root = document.querySelector('.v21p');
    if (!root) { return setTimeout(start, 100); }
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (!ignorable(records[i].target)) { v21p.layout(); return; }
      }
    }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true,
                       attributeFilter: ['data-page', 'data-w', 'data-h'] });
    window.addEventListener('resize', v21p.layout);
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(v21p.layout); }
    v21p.layout();
    tick();
  }
  start();

  v21p.fullscreen = function () {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
  };
  var idle;
  document.addEventListener('mousemove', function () {
    document.body.classList.add('v21p-pointer');
    clearTimeout(idle);
    idle = setTimeout(function () { document.body.classList.remove('v21p-pointer'); }, 2500);
  });
  document.addEventListener('keydown', function (e) {
    var tag = (e.target && e.target.tagName) || '';
    if ((e.key === 'f' || e.key === 'F') && !e.ctrlKey && !e.metaKey && !e.altKey && tag !== 'INPUT' && tag !== 'TEXTAREA') {
      v21p.fullscreen();
    }
  });
})();
</script>
"""
