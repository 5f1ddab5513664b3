// Fleet: every open drift the reader may see, filtered and sorted in the page (state in the URL), counts per
// cluster and app, kept current from the hub's event stream without reloading.
import {get, allDrifts} from './api.js';
import {el, duration, redrawKeepingFocus, status} from './util.js';

const TYPES = ['modified', 'missing', 'extra'];
const CAUSES = ['out-of-band', 'unknown-manager', 'orphaned', 'pending-sync', 'controller', 'admission', 'deleted', 'not-yet-applied',
  'unknown'];
const AGES = [['', 'any age'], ['300', 'older than 5 min'], ['3600', 'older than 1 h'], ['86400', 'older than 1 day'],
  ['604800', 'older than 7 days']];
const TEXT_FILTERS = [['namespace', 'Namespace'], ['app', 'App'], ['kind', 'Kind'], ['who', 'Manager or person']];
const COLUMNS = [['cluster', 'Cluster'], ['object', 'Object'], ['app', 'App'], ['type', 'Type'], ['cause', 'Cause'],
  ['who', 'Manager / person'], ['age', 'Age']];
const MAX_ROWS = 500;

export async function fleetView(view, params) {
  const [{clusters}, list] = await Promise.all([get('/api/v1/clusters'), allDrifts()]);
  const labelsOf = new Map(clusters.map(c => [c.name, c.labels || {}]));
  const drifts = new Map(list.map(d => [d.cluster + '/' + d.id, withTimes(d)]));
  const state = Object.fromEntries(params.entries());

  const table = el('table', {class: 'grid', id: 'drifts'});
  const counts = el('div', {class: 'counts'});
  const shown = el('p', {class: 'muted', id: 'shown'});
  const live = el('span', {class: 'live', id: 'live'}, 'connecting…');

  function setState(key, value) {
    if (value) state[key] = value; else delete state[key];
    const q = new URLSearchParams(state).toString();
    history.replaceState(null, '', '#/fleet' + (q ? '?' + q : ''));
    draw();
  }

  const controls = el('form', {class: 'filters', 'aria-label': 'Filter drifts', onsubmit: e => e.preventDefault()},
    select('cluster', 'Cluster', [['', 'all clusters'], ...clusters.map(c => [c.name, c.name])]),
    field('label', 'Cluster label', 'env=prod'),
    ...TEXT_FILTERS.map(([k, l]) => field(k, l, '')),
    select('type', 'Type', [['', 'any type'], ...TYPES.map(t => [t, t])]),
    select('cause', 'Cause', [['', 'any cause'], ...CAUSES.map(t => [t, t])]),
    select('age', 'Age', AGES));

  function field(key, label, placeholder) {
    const id = 'f-' + key;
    const input = el('input', {id, type: 'search', value: state[key] || '', placeholder,
      oninput: () => setState(key, input.value.trim())});
    return el('div', {class: 'field'}, el('label', {for: id}, label), input);
  }

  function select(key, label, options) {
    const id = 'f-' + key;
    const s = el('select', {id, onchange: () => setState(key, s.value)},
      options.map(([v, t]) => el('option', {value: v, selected: (state[key] || '') === v}, t)));
    return el('div', {class: 'field'}, el('label', {for: id}, label), s);
  }

  function matches(d) {
    const now = Date.now();
    if (state.cluster && d.cluster !== state.cluster) return false;
    if (state.label) {
      const [k, v] = state.label.split('=');
      if ((labelsOf.get(d.cluster) || {})[k] !== v) return false;
    }
    for (const k of ['namespace', 'app', 'kind']) {
      if (state[k] && !String(d[k] || '').toLowerCase().includes(state[k].toLowerCase())) return false;
    }
    if (state.type && d.type !== state.type) return false;
    if (state.cause && d.cause !== state.cause) return false;
    if (state.who && !who(d).toLowerCase().includes(state.who.toLowerCase())) return false;
    if (state.age && (now - d.onsetMs) / 1000 < Number(state.age)) return false;
    return true;
  }

  function sortKey(d, col) {
    switch (col) {
      case 'object': return d.kind + ' ' + d.namespace + '/' + d.name;
      case 'who': return who(d);
      case 'age': return -d.onsetMs;
      default: return String(d[col] || '');
    }
  }

  function draw() {
    const sort = state.sort || 'age';
    const dir = state.dir === 'asc' ? 1 : -1;
    const rows = [...drifts.values()].filter(matches).sort((a, b) => {
      const x = sortKey(a, sort), y = sortKey(b, sort);
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
    const head = el('tr', {}, COLUMNS.map(([k, label]) => el('th', {scope: 'col',
      'aria-sort': sort === k ? (dir === 1 ? 'ascending' : 'descending') : 'none'},
    el('button', {type: 'button', class: 'sort', 'data-sort': k, 'data-focus': 'sort:' + k, onclick: () => {
      state.dir = sort === k && dir === -1 ? 'asc' : 'desc';
      setState('sort', k);
    }}, label, sort === k ? (dir === 1 ? ' ▲' : ' ▼') : ''))));
    const now = Date.now();
    const body = rows.slice(0, MAX_ROWS).map(d => el('tr', {'data-drift': d.cluster + '/' + d.id},
      el('td', {}, d.cluster),
      el('td', {}, el('a', {href: '#/drift/' + encodeURIComponent(d.cluster) + '/' + encodeURIComponent(d.id),
        'data-focus': 'drift:' + d.cluster + '/' + d.id},
        d.kind + ' ' + (d.namespace ? d.namespace + '/' : '') + d.name),
      el('div', {class: 'muted small'}, d.summary)),
      el('td', {}, d.app),
      el('td', {}, el('span', {class: 'tag ' + d.type}, d.type)),
      el('td', {}, d.cause || '—'),
      el('td', {}, who(d) || el('span', {class: 'muted'}, 'not recorded')),
      el('td', {class: 'num', title: d.onset}, duration((now - d.onsetMs) / 1000))));
    redrawKeepingFocus(table, () => table.replaceChildren(el('caption', {class: 'visually-hidden'}, 'Open drifts'),
        el('thead', {}, head), el('tbody', {}, body)));
    shown.textContent = rows.length + ' open drift(s) match of ' + drifts.size
        + (rows.length > MAX_ROWS ? '; showing the first ' + MAX_ROWS + ', narrow the filters' : '');
    redrawKeepingFocus(counts, () => counts.replaceChildren(countTable('cluster', 'Per cluster', rows),
        countTable('app', 'Per app', rows)));
  }

  function countTable(key, title, rows) {
    const n = new Map();
    rows.forEach(d => n.set(d[key], (n.get(d[key]) || 0) + 1));
    const sorted = [...n.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20);
    return el('table', {class: 'grid small', id: 'count-' + key},
      el('caption', {}, title),
      el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, key), el('th', {scope: 'col'}, 'open'))),
      el('tbody', {}, sorted.map(([k, c]) => el('tr', {},
        el('td', {}, el('button', {type: 'button', class: 'link', 'data-focus': 'count:' + key + '=' + k,
          onclick: () => setState(key, k)}, k || '—')),
        el('td', {class: 'num'}, String(c))))));
  }

  view.replaceChildren(el('h1', {}, 'Open drifts ', live), controls, shown, el('div', {class: 'fleet'}, table,
      counts));
  draw();

  // live: each stored event (opened, updated, resolved) changes the table in place
  const source = new EventSource('/api/v1/events/stream');
  let pending = null;
  source.addEventListener('open', () => { live.textContent = 'live'; live.className = 'live on'; });
  source.addEventListener('error', () => { live.textContent = 'reconnecting…'; live.className = 'live'; });
  source.addEventListener('drift', msg => {
    const e = JSON.parse(msg.data);
    const key = e.cluster + '/' + e.driftId;
    if (e.type === 'resolved') {
      drifts.delete(key);
    } else {
      drifts.set(key, fromEvent(e));
    }
    status(e.type + ': ' + e.kind + ' ' + e.namespace + '/' + e.name + ' in ' + e.cluster);
    if (!pending) pending = setTimeout(() => { pending = null; draw(); }, 200);
  });
  const tick = setInterval(draw, 30000); // ages
  return () => { source.close(); clearInterval(tick); clearTimeout(pending); };
}

function who(d) {
  return [...(d.actors || []), ...(d.managers || [])].join(', ');
}

function withTimes(d) {
  return {...d, onsetMs: Date.parse(d.onset)};
}

/** A drift summary from an event of the stream, in the shape of GET /api/v1/drifts. */
function fromEvent(e) {
  const changes = (e.drift && e.drift.changes) || [];
  const managers = [...new Set(changes.map(c => c.manager).filter(Boolean))].sort();
  const actors = [...new Set([e.drift && e.drift.actor, ...changes.map(c => c.actor)]
    .map(a => a && a.username).filter(Boolean))].sort();
  return withTimes({cluster: e.cluster, id: e.driftId, namespace: e.namespace, kind: e.kind, name: e.name,
    app: e.app, type: e.driftType, cause: (e.drift && e.drift.cause) || '', summary: e.summary, onset: e.onset,
    lastSeen: e.lastSeen, managers, actors});
}
