// Clusters: agents, last seen, version, labels, source health per app.
import {get} from './api.js';
import {el, time} from './util.js';

export async function clustersView(view) {
  const {clusters} = await get('/api/v1/clusters');
  const rows = clusters.map(c => el('tr', {},
    el('th', {scope: 'row'}, el('a', {href: '#/fleet?cluster=' + encodeURIComponent(c.name)}, c.name)),
    el('td', {}, el('span', {class: c.up ? 'ok' : 'bad'}, c.up ? 'up' : 'down')),
    el('td', {}, time(c.lastSeen)),
    el('td', {}, c.version || '—', c.agentId ? el('div', {class: 'muted small'}, c.agentId) : null),
    el('td', {}, labels(c.labels)),
    el('td', {class: 'num'}, String(c.openDrifts)),
    el('td', {}, sources(c.sources))));
  view.replaceChildren(
    el('h1', {}, 'Clusters'),
    el('table', {class: 'grid', id: 'clusters'},
      el('caption', {class: 'muted'}, clusters.length + ' cluster(s) reporting to this hub'),
      el('thead', {}, el('tr', {}, ...['Cluster', 'Agent', 'Last seen', 'Version', 'Labels', 'Open drifts',
        'Sources'].map(h => el('th', {scope: 'col'}, h)))),
      el('tbody', {}, rows)));
  return () => {};
}

function labels(map) {
  const entries = Object.entries(map || {});
  if (!entries.length) return el('span', {class: 'muted'}, 'none');
  return el('ul', {class: 'chips'}, entries.map(([k, v]) => el('li', {}, k + '=' + v)));
}

function sources(map) {
  const entries = Object.entries(map || {});
  if (!entries.length) return el('span', {class: 'muted'}, 'no report yet');
  return el('ul', {class: 'plain'}, entries.map(([app, s]) => el('li', {},
    el('span', {class: s.healthy ? 'ok' : 'bad'}, s.healthy ? 'healthy' : 'failing'), ' ', app,
    s.revision ? el('span', {class: 'muted'}, ' @ ' + s.revision) : null,
    s.error ? el('div', {class: 'error small'}, s.error) : null)));
}
