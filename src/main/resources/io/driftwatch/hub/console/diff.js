// The YAML diff of a drift (the unified diff the agent sent: desired, i.e. live with the drift undone, against live)
// drawn inline or side by side. Changed words are highlighted, unchanged runs are folded (expand on click, collapse
// or expand all), and only the rows in view are in the DOM, so a 5,000-line diff scrolls without freezing the page.
import {el} from './util.js';

const ROW = 20; // px; every row has this height (long lines scroll sideways), which makes the windowing exact
const KEEP = 1; // unchanged lines kept visible next to a change when a run is folded
const OVERSCAN = 20;

/** Parses a unified diff into items: {op: ' '|'-'|'+', a, b, text} lines and {op: 'gap', n} between hunks. */
export function parse(text) {
  const items = [];
  let a = 0, b = 0, started = false;
  for (const line of (text || '').split('\n')) {
    if (!started && (line.startsWith('--- ') || line.startsWith('+++ '))) continue;
    const h = /^@@ -(-?\d+)(?:,(\d+))? \+(-?\d+)(?:,(\d+))? @@/.exec(line);
    if (h) {
      const na = Number(h[1]);
      if (started && na > a) items.push({op: 'gap', n: na - a});
      else if (!started && na > 1) items.push({op: 'gap', n: na - 1});
      a = na; b = Number(h[3]); started = true;
      if (h[2] === '0') a++;
      if (h[4] === '0') b++;
      continue;
    }
    if (!started || line === '') continue;
    const op = line[0], rest = line.slice(1);
    if (op === ' ') items.push({op, a: a++, b: b++, text: rest});
    else if (op === '-') items.push({op, a: a++, text: rest});
    else if (op === '+') items.push({op, b: b++, text: rest});
  }
  return items;
}

/** Groups items into runs: unchanged runs that can fold, and everything else. */
function runs(items) {
  const out = [];
  for (const it of items) {
    const last = out[out.length - 1];
    const unchanged = it.op === ' ';
    if (last && last.unchanged === unchanged && it.op !== 'gap' && last.items[0].op !== 'gap') last.items.push(it);
    else out.push({unchanged, items: [it], open: false});
  }
  return out;
}

/** Pairs the removed and added lines of each change block, so words can be compared line against line. */
function pairBlocks(items) {
  for (let i = 0; i < items.length;) {
    if (items[i].op !== '-' && items[i].op !== '+') { i++; continue; }
    const dels = [], adds = [];
    while (i < items.length && items[i].op === '-') dels.push(items[i++]);
    while (i < items.length && items[i].op === '+') adds.push(items[i++]);
    for (let k = 0; k < Math.min(dels.length, adds.length); k++) {
      dels[k].pair = adds[k];
      adds[k].pair = dels[k];
    }
  }
}

/** Word-level diff of two lines: the token ranges of each side that differ (LCS on words, bounded). */
export function words(x, y) {
  const tx = x.match(/\s+|[\w.-]+|[^\w\s]/g) || [], ty = y.match(/\s+|[\w.-]+|[^\w\s]/g) || [];
  if (tx.length * ty.length > 160000) return {a: [[0, x.length]], b: [[0, y.length]]};
  const n = tx.length, m = ty.length;
  const L = Array.from({length: n + 1}, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    L[i][j] = tx[i] === ty[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  }
  const a = [], b = [];
  let i = 0, j = 0, pa = 0, pb = 0;
  const mark = (list, from, to) => {
    if (to <= from) return;
    const last = list[list.length - 1];
    if (last && last[1] === from) last[1] = to; else list.push([from, to]);
  };
  while (i < n || j < m) {
    if (i < n && j < m && tx[i] === ty[j]) { pa += tx[i++].length; pb += ty[j++].length; }
    else if (j < m && (i === n || L[i][j + 1] >= L[i + 1][j])) { mark(b, pb, pb + ty[j].length); pb += ty[j++].length; }
    else { mark(a, pa, pa + tx[i].length); pa += tx[i++].length; }
  }
  return {a, b};
}

function highlighted(text, ranges, cls) {
  const out = [];
  let at = 0;
  for (const [from, to] of ranges) {
    if (from > at) out.push(text.slice(at, from));
    out.push(el('mark', {class: cls}, text.slice(from, to)));
    at = to;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function content(item) {
  if (!item.pair) return [item.text];
  if (!item.words) {
    const w = item.op === '-' ? words(item.text, item.pair.text) : words(item.pair.text, item.text);
    item.words = item.op === '-' ? w.a : w.b;
  }
  return highlighted(item.text, item.words, item.op === '-' ? 'wd' : 'wa');
}

/**
 * A diff viewer in `host`: returns {setMode, collapseAll, expandAll, rows} for the toolbar and tests. The first rows
 * are drawn synchronously, so the caller can mark the time of first paint right after.
 */
export function diffViewer(host, text, mode = 'inline') {
  const items = parse(text);
  pairBlocks(items);
  const groups = runs(items);
  // an unchanged run keeps KEEP lines next to each change around it; it folds when that hides two lines or more
  groups.forEach((g, gi) => {
    const change = k => k >= 0 && k < groups.length && groups[k].items[0].op !== 'gap';
    g.keepHead = change(gi - 1) ? KEEP : 0;
    g.keepTail = change(gi + 1) ? KEEP : 0;
    g.foldable = g.unchanged && g.items.length - g.keepHead - g.keepTail >= 2;
    g.open = !g.foldable;
  });
  let rows = [];
  const scroller = el('div', {class: 'diff-scroll', tabindex: 0, role: 'region', 'aria-label': 'YAML diff, desired against live'});
  const spacer = el('div', {class: 'diff-spacer'});
  scroller.append(spacer);
  host.replaceChildren(scroller);

  function layout() {
    rows = [];
    groups.forEach((g, gi) => {
      if (g.items[0].op === 'gap') {
        rows.push({gap: g.items[0].n});
        return;
      }
      if (!g.unchanged || g.open) {
        if (mode === 'inline' || g.unchanged) {
          g.items.forEach(it => rows.push(mode === 'inline' ? {inline: it} : {left: it, right: it}));
        } else {
          const dels = g.items.filter(i => i.op === '-'), adds = g.items.filter(i => i.op === '+');
          for (let k = 0; k < Math.max(dels.length, adds.length); k++) rows.push({left: dels[k], right: adds[k]});
        }
        return;
      }
      const head = g.items.slice(0, g.keepHead), tail = g.items.slice(g.items.length - g.keepTail);
      const hidden = g.items.length - head.length - tail.length;
      const line = it => rows.push(mode === 'inline' ? {inline: it} : {left: it, right: it});
      head.forEach(line);
      rows.push({fold: g, n: hidden});
      tail.forEach(line);
    });
    spacer.style.height = (rows.length * ROW) + 'px';
    spacer.replaceChildren();
    drawn = new Map();
    draw();
  }

  // the button goes away with its fold: keep the keyboard focus in the diff rather than losing it to the page
  function unfold(g) {
    g.open = true;
    layout();
    scroller.focus({preventScroll: true});
  }

  function gutter(n) {
    return el('span', {class: 'ln', 'aria-hidden': 'true'}, n === undefined ? '' : String(n));
  }

  function sign(op) {
    return el('span', {class: 'sign'}, op === '-' ? '−' : op === '+' ? '+' : ' ');
  }

  function cell(it, side) {
    if (!it) return el('div', {class: 'half empty'});
    const op = it.op === ' ' ? ' ' : it.op;
    return el('div', {class: 'half ' + cls(op)}, gutter(side === 'a' ? it.a : it.b), sign(op),
        el('span', {class: 'code'}, content(it)));
  }

  function cls(op) {
    return op === '-' ? 'del' : op === '+' ? 'add' : 'ctx';
  }

  // Each row is placed through the CSSOM (node.style.top): the hub's Content-Security-Policy (style-src 'self')
  // drops inline style="" attributes, which left every row at the top of the diff, drawn over one another.
  function rowElement(r, index) {
    const node = rowContent(r);
    node.style.top = (index * ROW) + 'px';
    return node;
  }

  function rowContent(r) {
    if (r.gap) {
      return el('div', {class: 'row gap'}, '⋯ ' + r.gap + ' line(s) not part of the diff the agent reported');
    }
    if (r.fold) {
      return el('div', {class: 'row fold'}, el('button', {type: 'button', class: 'unfold',
        'aria-label': 'Show ' + r.n + ' unchanged lines', onclick: () => unfold(r.fold)},
      '⋯ ' + r.n + ' unchanged line(s) — show'));
    }
    if (r.inline) {
      const it = r.inline;
      return el('div', {class: 'row ' + cls(it.op)}, gutter(it.a), gutter(it.b), sign(it.op),
          el('span', {class: 'code'}, content(it)));
    }
    return el('div', {class: 'row split'}, cell(r.left, 'a'), cell(r.right, 'b'));
  }

  // The rows in the DOM, by row index, for the current layout. A scroll keeps the rows still in range and only adds
  // and removes those at the edges: replacing every row on each scroll would destroy the button under the pointer or
  // the keyboard focus (focusing a fold button scrolls it into view, which would then remove it).
  let drawn = new Map();
  let frame = 0;
  function draw() {
    frame = 0;
    const top = scroller.scrollTop, height = scroller.clientHeight || 600;
    const from = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const to = Math.min(rows.length, Math.ceil((top + height) / ROW) + OVERSCAN);
    for (const [i, node] of drawn) {
      if (i < from || i >= to) { node.remove(); drawn.delete(i); }
    }
    let next = null; // rows stay in index order in the DOM, for reading order and Tab order
    for (let i = to - 1; i >= from; i--) {
      let node = drawn.get(i);
      if (!node) {
        node = rowElement(rows[i], i);
        drawn.set(i, node);
        spacer.insertBefore(node, next);
      }
      next = node;
    }
  }

  scroller.addEventListener('scroll', () => { if (!frame) frame = requestAnimationFrame(draw); });

  layout();
  return {
    setMode(m) { mode = m; layout(); },
    collapseAll() { groups.forEach(g => { g.open = !g.foldable; }); layout(); },
    expandAll() { groups.forEach(g => { g.open = true; }); layout(); },
    rows: () => rows.length,
    folds: () => rows.filter(r => r.fold).length,
    lines: items.filter(i => i.op !== 'gap').length,
  };
}
