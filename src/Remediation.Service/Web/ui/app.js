import { AuthError, signIn, signOut, token } from './api.js';
import { el, replace } from './dom.js';
import { clock } from './format.js';
import { fleetView } from './fleet.js';
import { loginForm } from './login.js';
import { timelineView } from './timeline.js';

const REFRESH_MS = 4000;
const main = document.getElementById('view');
const crumbs = document.getElementById('crumbs');
const refreshed = document.getElementById('refreshed');
const signOutButton = document.getElementById('sign-out');

let current = null;
let timer = null;

function route() {
  const node = location.hash.match(/^#\/nodes\/([^/?]+)/);
  return node ? { key: `node:${node[1]}`, make: () => timelineView(decodeURIComponent(node[1])) }
              : { key: 'fleet', make: () => fleetView() };
}

function showLogin(message) {
  clearTimeout(timer);
  current = null;
  signOutButton.hidden = true;
  replace(crumbs);
  replace(refreshed);
  replace(main, loginForm(message, value => { signIn(value); show(); }));
}

async function show() {
  if (!token()) return showLogin();
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
