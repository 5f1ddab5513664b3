// The hub's read API as the console uses it: same-origin requests carrying the session cookie.

export class Unauthorized extends Error {}
export class Forbidden extends Error {}

export async function get(path) {
  const r = await fetch(path, {credentials: 'same-origin', headers: {accept: 'application/json'}});
  if (r.status === 401) throw new Unauthorized('sign in');
  const body = await r.json().catch(() => ({}));
  if (r.status === 403) throw new Forbidden(body.message || 'forbidden');
  if (!r.ok) throw new Error(body.message || ('the hub answered ' + r.status));
  return body;
}

/** Every open drift, all pages (the hub pages by 1,000). */
export async function allDrifts() {
  const out = [];
  let cursor = null;
  do {
    const page = await get('/api/v1/drifts?limit=1000' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    out.push(...page.drifts);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

export async function signIn(token) {
  const r = await fetch('/console/session', {
    method: 'POST', credentials: 'same-origin',
    headers: {'content-type': 'application/json'}, body: JSON.stringify({token}),
  });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.message || ('sign-in failed: ' + r.status));
  return body;
}

// Ends the hub session; answers where to continue to sign out at the OpenID provider too (a hub URL that redirects
// there, so the ID token never reaches the page), or null when there is nothing more to do.
export async function signOut() {
  const r = await fetch('/console/session', {method: 'DELETE', credentials: 'same-origin'});
  const body = r.status === 200 ? await r.json().catch(() => ({})) : {};
  const next = body.signOutAt;
  return typeof next === 'string' && next.startsWith('/console/oidc/logout?') ? next : null;
}
