// One drift: identity, app, type, cause, times; each changed field (desired → live, manager, operation, time and,
// when agents report it, the person); the YAML diff; the object's history; kubectl commands to inspect or revert.
import {get} from './api.js';
import {el, duration, time, value, copyButton} from './util.js';
import {diffViewer} from './diff.js';

const REDACTED = /^redacted:sha256:/;

export async function driftView(view, cluster, id) {
  const started = performance.now();
  const d = await get('/api/v1/clusters/' + encodeURIComponent(cluster) + '/drifts/' + encodeURIComponent(id));
  const fetched = performance.now();
  const drift = d.drift || {};
  const changes = drift.changes || [];
  const end = d.open ? Date.now() : Date.parse(d.resolvedAt || d.lastSeen);
  const objectName = d.kind + ' ' + (d.namespace ? d.namespace + '/' : '') + d.name;

  const facts = el('dl', {class: 'facts'},
    ...fact('Cluster', el('a', {href: '#/fleet?cluster=' + encodeURIComponent(cluster)}, cluster)),
    ...fact('App', d.app || '—'),
    ...fact('Type', el('span', {class: 'tag ' + d.type}, d.type)),
    ...fact('Cause', drift.cause || d.cause || '—'),
    ...fact('State', d.open ? 'open' : 'resolved'),
    ...fact('Onset', time(d.onset)),
    ...fact('Last seen', time(d.lastSeen)),
    ...(d.open ? [] : fact('Resolved', time(d.resolvedAt))),
    ...fact('Duration', duration((end - Date.parse(d.onset)) / 1000)));

  const diffHost = el('div', {id: 'diff'});
  const modeName = 'diff-mode';
  const toolbar = el('div', {class: 'toolbar', role: 'group', 'aria-label': 'Diff display'},
    el('fieldset', {class: 'modes'}, el('legend', {}, 'Layout'),
      radio(modeName, 'inline', 'Inline', true), radio(modeName, 'split', 'Side by side', false)),
    el('button', {type: 'button', id: 'collapse-all', onclick: () => viewer && viewer.collapseAll()}, 'Collapse all'),
    el('button', {type: 'button', id: 'expand-all', onclick: () => viewer && viewer.expandAll()}, 'Expand all'));
  let viewer = null;
  toolbar.addEventListener('change', e => { if (e.target.name === modeName) viewer.setMode(e.target.value); });

  view.replaceChildren(
    el('p', {}, el('a', {href: '#/fleet'}, '← Fleet')),
    el('h1', {id: 'drift-title'}, objectName),
    el('p', {class: 'summary'}, d.summary || ''),
    facts,
    el('h2', {}, 'Changed fields'),
    changesTable(changes),
    el('h2', {}, 'YAML diff'),
    el('p', {class: 'muted small'}, 'Desired (live with the drift undone) against live, as the agent reported it.'
        + ' Secret values appear only as the redacted hashes the agent sent.'),
    toolbar,
    diffHost,
    el('h2', {}, 'History of this object'),
    timeline(d.events || []),
    el('h2', {}, 'kubectl'),
    commands(cluster, d, drift, changes));

  let exposed;
  if (drift.diff) {
    viewer = diffViewer(diffHost, drift.diff);
    performance.mark('driftwatch-diff-drawn');
    exposed = {lines: viewer.lines, fetchMs: fetched - started, drawMs: performance.now() - fetched, viewer};
    window.driftwatchDiff = exposed;
  } else {
    diffHost.replaceChildren(el('p', {class: 'muted'}, 'The agent sent no YAML diff for this drift ('
        + (d.type === 'modified' ? 'an agent without a hub diff' : d.type + ' objects have no field diff') + ').'));
  }
  return () => { if (window.driftwatchDiff === exposed) delete window.driftwatchDiff; };
}

/**
 * #/object?cluster=&namespace=&kind=&name=: the open drift of one object, for links that know the object but not the
 * drift's id (alerts, Grafana). Shows the drift, or says there is none open (resolved since).
 */
export async function objectView(view, params) {
  const [cluster, namespace, kind, name] = ['cluster', 'namespace', 'kind', 'name'].map(k => params.get(k) || '');
  const q = new URLSearchParams({cluster, kind, limit: '1000'});
  if (namespace) q.set('namespace', namespace);
  let cursor = null;
  do {
    const page = await get('/api/v1/drifts?' + q + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    const d = page.drifts.find(x => x.name === name && x.kind === kind && (x.namespace || '') === namespace);
    if (d) return driftView(view, cluster, d.id);
    cursor = page.nextCursor;
  } while (cursor);
  const object = kind + ' ' + (namespace ? namespace + '/' : '') + name;
  view.replaceChildren(el('h1', {}, object),
    el('p', {role: 'status'}, 'No open drift of ' + object + ' in cluster ' + cluster + ': it has been resolved, or'
        + ' the link names another object.'),
    el('p', {}, el('a', {href: '#/fleet?' + new URLSearchParams({cluster, kind, ...(namespace ? {namespace} : {})})},
        'Open drifts of this kind in ' + cluster)));
  return () => {};
}

function fact(term, ...desc) {
  return [el('dt', {}, term), el('dd', {}, ...desc)];
}

function radio(name, v, label, checked) {
  const id = name + '-' + v;
  return el('span', {}, el('input', {type: 'radio', name, id, value: v, checked}), el('label', {for: id}, label));
}

// Changed fields, 100 to a page (a drift can change thousands of fields: drawing them all would freeze the page),
// with a filter on field, value, manager or person over all of them.
const PAGE = 100;

function changesTable(changes) {
  if (!changes.length) return el('p', {class: 'muted'}, 'No field-level changes (the whole object is missing or extra).');
  const body = el('tbody');
  const count = el('span', {id: 'changes-count', 'aria-live': 'polite'});
  const prev = el('button', {type: 'button', id: 'changes-prev'}, '← Previous');
  const next = el('button', {type: 'button', id: 'changes-next'}, 'Next →');
  const filter = el('input', {id: 'changes-filter', type: 'search', placeholder: 'field, value, manager…'});
  let shown = changes;
  let page = 0;
  function draw() {
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    const from = page * PAGE;
    const to = Math.min(shown.length, from + PAGE);
    body.replaceChildren(...shown.slice(from, to).map(changeRow));
    count.textContent = shown.length
      ? 'Fields ' + (from + 1).toLocaleString('en-US') + '–' + to.toLocaleString('en-US') + ' of '
        + shown.length.toLocaleString('en-US') + (shown.length < changes.length ? ' matching' : '')
      : 'No field matches';
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  prev.addEventListener('click', () => { page--; draw(); });
  next.addEventListener('click', () => { page++; draw(); });
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    shown = q ? changes.filter(c => searchable(c).includes(q)) : changes;
    page = 0;
    draw();
  });
  draw();
  const controls = changes.length > PAGE
    ? el('div', {class: 'toolbar', role: 'group', 'aria-label': 'Changed fields pages'},
        el('label', {for: 'changes-filter'}, 'Filter'), filter, prev, next, count)
    : el('div', {class: 'toolbar'}, count);
  return el('div', {}, controls,
    el('table', {class: 'grid', id: 'changes'},
      el('thead', {}, el('tr', {}, ...['Field', 'Change', 'Desired', 'Live', 'Manager', 'Operation', 'Time', 'Person']
          .map(h => el('th', {scope: 'col'}, h)))),
      body));
}

function searchable(c) {
  return [c.field, c.op, value(c.desired), value(c.live), c.manager, c.operation, c.actor && c.actor.username]
    .filter(Boolean).join(' ').toLowerCase();
}

function changeRow(c) {
  return el('tr', {},
    el('th', {scope: 'row'}, el('code', {}, c.field), c.note ? el('div', {class: 'muted small'}, c.note) : null),
    el('td', {}, c.op, c.cause ? el('div', {class: 'muted small'}, c.cause) : null),
    el('td', {}, el('code', {class: 'del'}, value(c.desired))),
    el('td', {}, el('code', {class: 'add'}, value(c.live))),
    el('td', {class: 'manager'}, c.manager || el('span', {class: 'muted'}, 'not recorded'),
      c.subresource ? el('div', {class: 'muted small'}, 'subresource ' + c.subresource) : null),
    el('td', {}, c.operation || '—'),
    el('td', {}, time(c.time)),
    el('td', {}, actor(c.actor)));
}

/** The audit actor of a change, when the agent reports one: user, groups, impersonation, source, match quality. */
function actor(a) {
  if (!a) return el('span', {class: 'muted'}, '—');
  return el('div', {class: 'actor'}, el('strong', {}, a.username || '?'),
    a.impersonatedBy ? el('div', {class: 'small'}, 'as impersonated by ' + value(a.impersonatedBy)) : null,
    a.groups && a.groups.length ? el('div', {class: 'muted small'}, 'groups ' + a.groups.join(', ')) : null,
    a.sourceIP ? el('div', {class: 'muted small'}, 'from ' + a.sourceIP) : null,
    a.userAgent ? el('div', {class: 'muted small'}, a.userAgent) : null,
    a.match ? el('div', {class: 'muted small'}, 'match: ' + a.match) : null);
}

/** Events of this object, oldest first; an "opened" after a "resolved" is a reopening. */
function timeline(events) {
  const ordered = [...events].sort((a, b) => a.id - b.id);
  let resolvedBefore = false;
  return el('ol', {class: 'timeline', id: 'timeline'}, ordered.map(e => {
    const what = e.type === 'opened' && resolvedBefore ? 'reopened' : e.type;
    if (e.type === 'resolved') resolvedBefore = true;
    return el('li', {class: 'ev ' + what}, el('span', {class: 'ev-type'}, what), ' ', time(e.receivedAt),
        el('div', {class: 'small'}, e.summary));
  }));
}

function shellQuote(s) {
  return "'" + String(s).replace(/'/g, "'\\''") + "'";
}

function commands(cluster, d, drift, changes) {
  const resource = drift.group ? d.kind + '.' + drift.version + '.' + drift.group : d.kind;
  const base = 'kubectl --context ' + shellQuote(cluster) + (d.namespace ? ' -n ' + shellQuote(d.namespace) : '');
  const list = [['Inspect the live object with its field managers',
    base + ' get ' + resource + ' ' + shellQuote(d.name) + ' -o yaml --show-managed-fields']];
  const secret = d.kind === 'Secret' || changes.some(c => REDACTED.test(value(c.desired)) || REDACTED.test(value(c.live)));
  if (d.type === 'modified' && changes.length && !secret) {
    const patch = changes.filter(c => c.path).map(c => c.op === 'added' ? {op: 'remove', path: c.path}
        : c.op === 'removed' ? {op: 'add', path: c.path, value: c.desired} : {op: 'replace', path: c.path, value: c.desired});
    list.push(['Revert the drifted fields to what Git wants (JSON patch)',
      base + ' patch ' + resource + ' ' + shellQuote(d.name) + ' --type=json -p ' + shellQuote(JSON.stringify(patch))]);
  } else if (d.type === 'extra') {
    list.push(['Delete the object Git does not have (check first!)', base + ' delete ' + resource + ' ' + shellQuote(d.name)]);
  } else {
    list.push([secret ? 'Secret values are redacted: revert by re-applying the manifest from Git'
        : 'Re-apply the manifest from Git', 'kubectl --context ' + shellQuote(cluster) + ' apply -f <manifest from Git>']);
  }
  return el('ul', {class: 'commands', id: 'commands'}, list.map(([what, cmd]) => el('li', {},
    el('div', {class: 'small'}, what), el('pre', {}, el('code', {}, cmd)), copyButton(cmd, 'Copy ' + what))));
}
