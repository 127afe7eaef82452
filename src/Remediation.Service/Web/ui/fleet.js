import { get } from './api.js';
import { el, nodeLink, replace, statusBadge } from './dom.js';
import { ago, clock, fault, until } from './format.js';
import { pauseBanner } from './pause.js';

export const STATUSES = ['Healthy', 'Observing', 'Remediating', 'AwaitingApproval', 'Verifying', 'Cordoned', 'InRepair', 'NeedsHuman'];
// Nodes that need attention first; within a state, by id.
const URGENCY = ['NeedsHuman', 'AwaitingApproval', 'Remediating', 'Verifying', 'Observing', 'Cordoned', 'InRepair', 'Healthy'];
const MAX_ROWS = 500;

export function fleetView() {
  const state = { filter: '', status: null, nodes: [] };
  const banner = el('div', { id: 'pause-banner' });
  const counts = el('div', { class: 'counts', id: 'counts' });
  const approvals = el('section', { id: 'approvals', hidden: true });
  const filter = el('input', { type: 'search', id: 'filter', placeholder: 'filter by node id', 'aria-label': 'filter nodes' });
  const tbody = el('tbody');
  const shown = el('span', { class: 'muted', id: 'shown' });
  filter.addEventListener('input', () => { state.filter = filter.value.trim().toLowerCase(); renderNodes(); });

  const root = el('div', { class: 'fleet' }, banner, counts, approvals,
    el('section', {},
      el('div', { class: 'section-head' }, el('h2', {}, 'Nodes'), shown, el('span', { class: 'spacer' }), filter),
      el('table', { class: 'grid', id: 'nodes' },
        el('thead', {}, el('tr', {}, ['Node', 'Status', 'Open incident', 'Runbook', 'Step in flight', 'Incidents', 'Updated']
          .map(h => el('th', {}, h)))),
        tbody)));

  function renderCounts() {
    const by = Object.fromEntries(STATUSES.map(s => [s, 0]));
    for (const n of state.nodes) by[n.status] = (by[n.status] ?? 0) + 1;
    const chip = (status, n, label) => el('button', {
      type: 'button', class: `count s-${status ?? 'all'}${state.status === status ? ' selected' : ''}${n === 0 ? ' zero' : ''}`,
      dataset: { status: status ?? 'all' }, title: status ? `show only ${label}` : 'show every node',
      onclick: () => { state.status = state.status === status ? null : status; renderCounts(); renderNodes(); },
    }, el('span', { class: 'n' }, n), el('span', { class: 'label' }, label));
    replace(counts, chip(null, state.nodes.length, 'All nodes'), STATUSES.map(s => chip(s, by[s], s)));
  }

  function renderNodes() {
    const matching = state.nodes
      .filter(n => (!state.status || n.status === state.status) && n.id.toLowerCase().includes(state.filter))
      .sort((a, b) => URGENCY.indexOf(a.status) - URGENCY.indexOf(b.status) || a.id.localeCompare(b.id));
    replace(tbody, matching.slice(0, MAX_ROWS).map(nodeRow));
    if (matching.length === 0) tbody.append(el('tr', {}, el('td', { colspan: 7, class: 'empty' }, 'No nodes match.')));
    replace(shown, matching.length > MAX_ROWS ? `${MAX_ROWS} of ${matching.length} shown` : `${matching.length} shown`);
  }

  async function refresh() {
    const [nodes, waiting, automation] = await Promise.all([get('/nodes'), get('/approvals'), get('/automation')]);
    state.nodes = nodes;
    replace(banner, pauseBanner(automation.control));
    renderCounts();
    renderApprovals(approvals, waiting);
    renderNodes();
  }

  return { root, refresh, crumbs: [el('span', {}, 'Fleet')] };
}

function nodeRow(n) {
  const i = n.incident;
  return el('tr', { dataset: { node: n.id, status: n.status } },
    el('td', {}, nodeLink(n.id)),
    el('td', {}, statusBadge(n.status)),
    el('td', { title: i?.evidence ?? '' }, i ? el('span', {}, fault(i), el('span', { class: 'muted' }, ` · opened ${ago(i.openedAt)}`)) : '—'),
    el('td', { class: 'mono' }, i?.runbook ?? '—'),
    el('td', {}, inFlight(i)),
    el('td', { class: 'num' }, n.incidentCount),
    el('td', { title: n.updatedAt ?? '' }, n.updatedAt ? ago(n.updatedAt) : '—'));
}

function inFlight(i) {
  if (!i) return '—';
  if (i.pending) {
    return el('span', {}, el('span', { class: 'mono' }, i.pending.step), ` (${i.pending.action})`,
      el('span', { class: 'muted' }, ` · deadline ${until(i.pending.deadline)}`));
  }
  if (i.approval && !i.approval.granted) return el('span', { class: 'warn' }, `awaiting approval, expires ${until(i.approval.expiresAt)}`);
  if (i.deferred) return el('span', { class: 'warn' }, `deferred: ${i.deferred.reason}`);
  return '—';
}

function renderApprovals(section, waiting) {
  section.hidden = waiting.length === 0;
  replace(section,
    el('div', { class: 'section-head' }, el('h2', {}, 'Approvals waiting'), el('span', { class: 'pill warn-bg' }, waiting.length)),
    el('table', { class: 'grid' },
      el('thead', {}, el('tr', {}, ['Approval', 'Node', 'Fault', 'Runbook', 'Evidence', 'Requested', 'Expires'].map(h => el('th', {}, h)))),
      el('tbody', {}, waiting.map(a => el('tr', {},
        el('td', { class: 'mono' }, a.approvalId),
        el('td', {}, nodeLink(a.nodeId)),
        el('td', {}, fault(a)),
        el('td', { class: 'mono' }, a.runbook ?? '—'),
        el('td', { class: 'evidence', title: a.evidence ?? '' }, a.evidence ?? ''),
        el('td', { title: a.requestedAt ?? '' }, a.requestedAt ? clock(a.requestedAt) : '—'),
        el('td', { title: a.expiresAt }, until(a.expiresAt)))))),
    el('p', { class: 'muted hint' }, 'Decide in Slack or with ', el('code', {}, 'remediation approve ID'), ' / ', el('code', {}, 'remediation reject ID --reason …'), '.'));
}
