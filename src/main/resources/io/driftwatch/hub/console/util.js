// Small DOM and formatting helpers shared by the console's views. No framework: the views are a few tables.

/** Creates an element: el('a', {href: '#/x', class: 'c'}, 'text', child, ...); strings become text nodes. */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

/**
 * Redraws the content of `container` with `redraw()`, keeping a keyboard user's place: when the focus was on a control
 * in it marked `data-focus` (a value naming the control, stable across redraws), it is put back on the control with
 * the same mark in the new content instead of dropping to the top of the page. Used by every table redrawn live.
 */
export function redrawKeepingFocus(container, redraw) {
  const e = document.activeElement;
  const mark = e && container.contains(e) ? e.dataset.focus : undefined;
  redraw();
  if (mark === undefined) return;
  const again = container.querySelector('[data-focus="' + CSS.escape(mark) + '"]');
  if (again) again.focus();
}

/** "3d 4h", "12m", "40s": a duration in seconds, two units at most. */
export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const units = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  const parts = [];
  let rest = s;
  for (const [u, n] of units) {
    if (rest >= n || (u === 's' && parts.length === 0)) {
      parts.push(Math.floor(rest / n) + u);
      rest %= n;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** A <time> showing the UTC time, with the ISO value as its datetime. */
export function time(iso) {
  if (!iso) return el('span', {class: 'muted'}, '—');
  return el('time', {datetime: iso, title: iso}, iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'));
}

/** A value of a change as text: strings as they are, anything else as JSON, absent as an em dash. */
export function value(v) {
  if (v === null || v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A button that copies `text` and says so in the status line. */
export function copyButton(text, label) {
  return el('button', {type: 'button', class: 'copy', 'aria-label': label, onclick: async () => {
    try {
      await navigator.clipboard.writeText(text);
      status('Copied: ' + label.replace(/^Copy /, ''));
    } catch (e) {
      status('Copy failed; select the command and copy it by hand');
    }
  }}, 'Copy');
}

export function status(text) {
  document.getElementById('status').textContent = text;
}
