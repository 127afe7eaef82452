import { AuthError, get, signIn, signOut, token } from './api.js';
import { el, replace } from './dom.js';
import { clock } from './format.js';
import { fleetView } from './fleet.js';
import { incidentView } from './incident.js';
import { loginForm } from './login.js';
import { statsView } from './stats.js';
import { timelineView } from './timeline.js';

const REFRESH_MS = 4000;
const main = document.getElementById('view');
const crumbs = document.getElementById('crumbs');
const refreshed = document.getElementById('refreshed');
const signOutButton = document.getElementById('sign-out');

let current = null;
let timer = null;
let me = null;

const ROUTES = [
  [/^#\/nodes\/([^/?]+)/, id => timelineView(id, me, refresh)],
  [/^#\/incidents\/([^/?]+)/, id => incidentView(id)],
  [/^#\/stats/, () => statsView()],
];

function route() {
  for (const [pattern, make] of ROUTES) {
    const match = location.hash.match(pattern);
    if (match) return { key: match[0], make: () => make(decodeURIComponent(match[1] ?? '')) };
  }
  return { key: 'fleet', make: () => fleetView(me, refresh) };
}

function showLogin(message) {
  clearTimeout(timer);
  current = null;
  me = null;
  signOutButton.hidden = true;
  replace(crumbs);
  replace(refreshed);
  replace(main, loginForm(message, value => { signIn(value); show(); }));
}

async function show() {
  if (!token()) return showLogin();
  if (!me) {
    // Who the token is decides which buttons the page offers; the service checks every action's role again.
    try { me = await get('/me'); } catch (error) { if (error instanceof AuthError) { signOut(); return showLogin(error.message); } }
  }
  const wanted = route();
  if (current?.key !== wanted.key) {
    current = { key: wanted.key, view: wanted.make() };
    replace(main, current.view.root);
    replace(crumbs, current.view.crumbs ?? []);
  }
  signOutButton.hidden = false;
  await refresh();
}

async function refresh() {
  clearTimeout(timer);
  const shown = current;
  try {
    await shown.view.refresh();
    if (shown !== current) return;
    shown.view.root.classList.remove('stale');
    replace(refreshed, `updated ${clock(new Date().toISOString())}`);
    refreshed.classList.remove('error');
  } catch (error) {
    if (error instanceof AuthError) { signOut(); return showLogin(error.message); }
    if (shown !== current) return;
    shown.view.root.classList.add('stale');
    replace(refreshed, el('span', {}, `refresh failed: ${error.message}`));
    refreshed.classList.add('error');
  }
  if (shown === current) timer = setTimeout(refresh, REFRESH_MS);
}

signOutButton.addEventListener('click', () => { signOut(); showLogin(); });
window.addEventListener('hashchange', show);
show();
