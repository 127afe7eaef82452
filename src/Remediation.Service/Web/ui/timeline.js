import { get } from './api.js';
import { el, incidentLink, replace, statusBadge } from './dom.js';
import { ago, clock, day, elapsed, fault } from './format.js';
import { approvalButtons, holdButton } from './decide.js';
import { pauseBanner } from './pause.js';
import { actor, kindOf, summarize } from './summary.js';

const PAGE = 500;

export function timelineView(nodeId, me, refreshNow) {
  const banner = el('div');
  const head = el('section', { class: 'card node-head', id: 'node-head' });
  const tbody = el('tbody');
  const older = el('button', { type: 'button', id: 'older', class: 'pager', hidden: true }, `Load ${PAGE} older events`);
  // The newest page first; then each refresh reads only what was appended, and older pages load on demand. A stream
  // only grows at its end, so the events shown stay contiguous.
  let events = null;
  older.addEventListener('click', async () => {
    const page = await get(`/nodes/${encodeURIComponent(nodeId)}/timeline?order=desc&limit=${PAGE}&after=${events[0].sequence}`);
    events = [...page.reverse(), ...events];
    draw();
  });

  const root = el('div', { class: 'node' }, banner, head,
    el('section', {},
      el('div', { class: 'section-head' }, el('h2', {}, 'Timeline'), el('span', { class: 'muted' }, 'oldest first · click a row for the raw event')),
      el('table', { class: 'grid timeline', id: 'timeline' },
        el('thead', {}, el('tr', {}, ['#', 'Time', '', 'Event', 'What happened', 'By'].map(h => el('th', {}, h)))),
        tbody),
      el('div', { class: 'pagination' }, older)));

  function draw() {
    replace(tbody, events.map(e => eventRows(e, events[0].timestamp)));
    older.hidden = !(events[0]?.sequence > 1);
  }

  async function refresh() {
    const path = `/nodes/${encodeURIComponent(nodeId)}`;
    const timeline = events?.length
      ? get(`${path}/timeline?after=${events.at(-1).sequence}&limit=1000`)
      : get(`${path}/timeline?order=desc&limit=${PAGE}`).then(page => page.reverse());
    const [node, fresh, automation, waiting, incidents] = await Promise.all([
      get(path), timeline, get('/automation'), get('/approvals'), get(`/incidents?node=${encodeURIComponent(nodeId)}&limit=10`)]);
    replace(banner, pauseBanner(automation.control));
    const approval = waiting.find(a => a.nodeId === nodeId);
    renderHead(head, node, [approval ? approvalButtons(approval, me, refreshNow) : null, holdButton(node, me, refreshNow)], incidents);
    if (!events?.length) {
      events = fresh;
      draw();
    } else if (fresh.length > 0) {
      // Appended, not redrawn, so a row opened to its raw event stays open.
      events.push(...fresh);
      tbody.append(...fresh.flatMap(e => eventRows(e, events[0].timestamp)));
    }
  }

  const crumbs = [el('a', { href: '#/' }, 'Fleet'), el('span', { class: 'sep' }, '/'), el('span', { class: 'mono' }, nodeId)];
  return { root, refresh, crumbs };
}

function renderHead(head, n, actions, incidents) {
  const i = n.incident;
  const facts = [
    ['Status', statusBadge(n.status)],
    ['Open incident', i ? el('span', {}, `${fault(i)} (`, incidentLink(i.id), ')') : 'none'],
    ['Runbook', i?.runbook ?? '—'],
    ['Tried', i?.runbooksTried?.length ? i.runbooksTried.join(' → ') : '—'],
    ['Step in flight', i?.pending ? `${i.pending.step} (${i.pending.action})` : '—'],
    ['Incidents', n.incidentCount],
    ['Events', n.version],
    ['Updated', n.updatedAt ? `${ago(n.updatedAt)} (${clock(n.updatedAt)})` : '—'],
  ];
  replace(head,
    el('div', { class: 'section-head' }, el('h1', { class: 'mono' }, n.id), el('span', { class: 'spacer' }), el('span', { class: 'actions' }, actions)),
    el('dl', {}, facts.map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, v)))),
    i?.evidence ? el('p', { class: 'evidence-line mono', title: 'evidence' }, i.evidence) : null,
    incidents.length === 0 ? null : el('p', { class: 'recent-incidents', id: 'node-incidents' }, el('span', { class: 'muted' }, 'Incidents: '),
      incidents.map(x => el('span', { class: 'incident-chip' }, incidentLink(x.id), ` ${x.xid != null ? `Xid ${x.xid}` : x.kind}, `,
        x.resolvedAt ? `${x.resolution ?? 'resolved'}` : 'open'))));
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
