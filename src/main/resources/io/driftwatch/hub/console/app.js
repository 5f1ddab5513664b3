// The console's shell: hash routes (#/fleet?..., #/drift/<cluster>/<id>, #/object?cluster=&namespace=&kind=&name=,
// #/clusters), sign-in, who is signed in.
import {get, signIn, signOut, Unauthorized, Forbidden} from './api.js';
import {el, status} from './util.js';
import {fleetView} from './fleet.js';
import {clustersView} from './clusters.js';
import {driftView, objectView} from './drift.js';

const view = document.getElementById('view');
let cleanup = () => {};

function route() {
  const hash = location.hash.replace(/^#/, '') || '/fleet';
  const [path, query = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return {parts, params: new URLSearchParams(query)};
}

let generation = 0;

// A view renders into its own page element. When the route changes again before a view has loaded (a quick second
// click), the older render finishes into its detached page and is cleaned up at once (its event stream closed), so
// it can neither replace the newer view nor keep running behind it.
async function render() {
  const mine = ++generation;
  cleanup();
  cleanup = () => {};
  const {parts, params} = route();
  for (const id of ['fleet', 'clusters']) {
    const a = document.getElementById('nav-' + id);
    if (parts[0] === id) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const page = el('div', {class: 'page'}, el('p', {class: 'muted'}, 'Loading…'));
  view.replaceChildren(page);
  try {
    await showWho();
    let done;
    if (parts[0] === 'drift' && parts.length === 3) {
      done = await driftView(page, parts[1], parts[2]);
    } else if (parts[0] === 'object') {
      done = await objectView(page, params);
    } else if (parts[0] === 'clusters') {
      done = await clustersView(page);
    } else {
      done = await fleetView(page, params);
    }
    if (mine === generation) cleanup = done; else done();
  } catch (e) {
    if (mine !== generation) return;
    if (e instanceof Unauthorized) {
      signInView();
    } else if (e instanceof Forbidden) {
      page.replaceChildren(el('h1', {}, 'Not allowed'), el('p', {role: 'alert', class: 'error'}, e.message));
    } else {
      page.replaceChildren(el('h1', {}, 'Error'), el('p', {role: 'alert', class: 'error'}, e.message));
    }
  }
}

async function showWho() {
  const me = await get('/api/v1/me');
  // the reader's label sets add up: a cluster with all the labels of any one of them is visible
  const scope = me.allClusters ? '' : me.clusterScopes
      .map((labels) => Object.entries(labels).map(([k, v]) => k + '=' + v).join(', ')).join(' or ');
  document.getElementById('who').textContent =
      'Signed in as ' + me.name + (scope ? ' · clusters labelled ' + scope : ' · all clusters');
  document.getElementById('sign-out').hidden = false;
}

function signInView() {
  document.getElementById('who').textContent = '';
  document.getElementById('sign-out').hidden = true;
  const error = el('p', {role: 'alert', class: 'error', id: 'sign-in-error'});
  const input = el('input', {id: 'token', name: 'token', type: 'password', autocomplete: 'current-password',
    required: true, 'aria-describedby': 'token-help'});
  const form = el('form', {class: 'sign-in', onsubmit: async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    try {
      await signIn(input.value);
      input.value = '';
      await render();
    } catch (e) {
      error.textContent = e.message;
    }
  }},
  el('h1', {}, 'Sign in'),
  el('label', {for: 'token'}, 'Read token'),
  input,
  el('p', {id: 'token-help', class: 'muted'},
      'A read token of this hub (readTokens in its configuration). It is exchanged for a session cookie and not kept by the page.'),
  el('button', {type: 'submit'}, 'Sign in'),
  error);
  view.replaceChildren(form);
  input.focus();
  offerOidc(form);
}

// Single sign-on, when the hub has console.oidc: a plain link (the hub redirects to the provider and back), carrying
// the route to come back to.
async function offerOidc(form) {
  try {
    const methods = await get('/console/sign-in-methods');
    if (!methods.oidc) return;
    const link = el('a', {id: 'oidc-sign-in', class: 'button',
      href: '/console/oidc/login?then=' + encodeURIComponent(location.hash || '#/fleet')},
    'Sign in with single sign-on (OpenID Connect)');
    form.insertBefore(el('p', {}, link), form.children[1]);
  } catch (e) {
    // the read-token form still works
  }
}

document.getElementById('sign-out').addEventListener('click', async () => {
  const atProvider = await signOut();
  generation++; // a view still loading must not come back over the sign-in form
  cleanup();
  cleanup = () => {};
  if (atProvider) {
    status('Signed out of the console; signing out at the OpenID provider');
    location.assign(atProvider);
    return;
  }
  status('Signed out');
  signInView();
});

window.addEventListener('hashchange', () => {
  render();
  view.focus();
});
render();
