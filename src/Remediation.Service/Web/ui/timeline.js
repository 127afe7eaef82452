import { get } from './api.js';
import { el, replace, statusBadge } from './dom.js';
import { ago, clock, day, elapsed, fault } from './format.js';
import { pauseBanner } from './pause.js';
import { actor, kindOf, summarize } from './summary.js';

export function timelineView(nodeId) {
  const banner = el('div');
  const head = el('section', { class: 'card node-head', id: 'node-head' });
  const tbody = el('tbody');
  let lastSequence = null;

  const root = el('div', { class: 'node' }, banner, head,
    el('section', {},
      el('div', { class: 'section-head' }, el('h2', {}, 'Timeline'), el('span', { class: 'muted' }, 'oldest first · click a row for the raw event')),
      el('table', { class: 'grid timeline', id: 'timeline' },
        el('thead', {}, el('tr', {}, ['#', 'Time', '', 'Event', 'What happened', 'By'].map(h => el('th', {}, h)))),
        tbody)));

  async function refresh() {
    const path = `/nodes/${encodeURIComponent(nodeId)}`;
    const [node, events, automation] = await Promise.all([get(path), get(`${path}/timeline`), get('/automation')]);
    replace(banner, pauseBanner(automation.control));
    renderHead(head, node);
    // Rebuilt only when the stream grew, so an opened row stays open across refreshes.
    const last = events.at(-1)?.sequence ?? null;
    if (last === lastSequence) return;
    lastSequence = last;
    replace(tbody, events.map(e => eventRows(e, events[0].timestamp)));
  }

  const crumbs = [el('a', { href: '#/' }, 'Fleet'), el('span', { class: 'sep' }, '/'), el('span', { class: 'mono' }, nodeId)];
  return { root, refresh, crumbs };
}

function renderHead(head, n) {
  const i = n.incident;
  const facts = [
    ['Status', statusBadge(n.status)],
    ['Open incident', i ? `${fault(i)} (${i.id})` : 'none'],
    ['Runbook', i?.runbook ?? '—'],
    ['Tried', i?.runbooksTried?.length ? i.runbooksTried.join(' → ') : '—'],
    ['Step in flight', i?.pending ? `${i.pending.step} (${i.pending.action})` : '—'],
    ['Incidents', n.incidentCount],
    ['Events', n.version],
    ['Updated', n.updatedAt ? `${ago(n.updatedAt)} (${clock(n.updatedAt)})` : '—'],
  ];
  replace(head,
    el('h1', { class: 'mono' }, n.id),
    el('dl', {}, facts.map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, v)))),
    i?.evidence ? el('p', { class: 'evidence-line mono', title: 'evidence' }, i.evidence) : null);
}

function eventRows(e, start) {
  const raw = el('tr', { class: 'raw', hidden: true },
    el('td', { colspan: 6 }, el('pre', {}, JSON.stringify(e.data, null, 2))));
  const row = el('tr', { class: `event k-${kindOf(e.type)}`, dataset: { type: e.type, sequence: e.sequence }, title: 'show the raw event' },
    el('td', { class: 'num muted' }, e.sequence),
    el('td', { class: 'mono', title: `${day(e.timestamp)} ${e.timestamp}` }, clock(e.timestamp, true)),
    el('td', { class: 'muted mono' }, elapsed(start, e.timestamp)),
    el('td', {}, el('span', { class: 'type' }, e.type)),
    el('td', { class: 'summary' }, summarize(e.type, e.data)),
    el('td', { class: 'mono muted by' }, actor(e.data)));
  row.addEventListener('click', () => { raw.hidden = !raw.hidden; });
  return [row, raw];
}
