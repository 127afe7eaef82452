import { get } from './api.js';
import { el, nodeLink, replace, statusBadge } from './dom.js';
import { ago, clock, fault, until } from './format.js';
import { approvalButtons, automationButton } from './decide.js';
import { pauseBanner } from './pause.js';

export const STATUSES = ['Healthy', 'Observing', 'Remediating', 'AwaitingApproval', 'Verifying', 'Cordoned', 'InRepair', 'NeedsHuman'];
const PAGE = 100;
const SEARCH_DELAY_MS = 250;

// The service pages and filters (GET /api/nodes): the page holds one page of nodes, never the fleet.
export function fleetView(me, refreshNow) {
  const state = { status: null, q: '', kind: '', rack: '', switch: '', cursors: [null], page: null };
  const banner = el('div', { id: 'pause-banner' });
  const controls = el('div', { class: 'controls', id: 'controls' });
  const counts = el('div', { class: 'counts', id: 'counts' });
  const approvals = el('section', { id: 'approvals', hidden: true });
  const tbody = el('tbody');
  const shown = el('span', { class: 'muted', id: 'shown' });
  const prev = el('button', { type: 'button', id: 'prev-page', class: 'pager', disabled: true }, '‹ Previous');
  const next = el('button', { type: 'button', id: 'next-page', class: 'pager', disabled: true }, 'Next ›');
  const filters = [
    filterInput('q', 'search node ids', 'filter'),
    filterInput('kind', 'fault kind, e.g. xid:79', 'filter-kind'),
    filterInput('rack', 'rack', 'filter-rack'),
    filterInput('switch', 'switch', 'filter-switch'),
  ];
  let typing = null;

  function filterInput(key, placeholder, id) {
    const input = el('input', { type: 'search', id, placeholder, 'aria-label': placeholder, class: `filter-${key}` });
    input.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => { state[key] = input.value.trim(); firstPage(); }, SEARCH_DELAY_MS);
    });
    return input;
  }

  prev.addEventListener('click', () => { if (state.cursors.length > 1) { state.cursors.pop(); load(); } });
  next.addEventListener('click', () => { if (state.page?.next) { state.cursors.push(state.page.next); load(); } });

  const root = el('div', { class: 'fleet' }, banner, controls, counts, approvals,
    el('section', {},
      el('div', { class: 'section-head' }, el('h2', {}, 'Nodes'), shown, el('span', { class: 'spacer' }), filters),
      el('table', { class: 'grid', id: 'nodes' },
        el('thead', {}, el('tr', {}, ['Node', 'Status', 'Open incident', 'Runbook', 'Step in flight', 'Incidents', 'Updated']
          .map(h => el('th', {}, h)))),
        tbody),
      el('div', { class: 'pagination' }, prev, next)));

  function query() {
    const p = new URLSearchParams({ limit: PAGE });
    for (const key of ['q', 'kind', 'rack', 'switch']) if (state[key]) p.set(key, state[key]);
    if (state.status) p.set('status', state.status);
    const after = state.cursors.at(-1);
    if (after) p.set('after', after);
    return `/nodes?${p}`;
  }

  function firstPage() { state.cursors = [null]; load(); }

  // A filter change shows its result at once rather than at the next refresh tick.
  async function load() {
    try { await refreshNodes(); } catch (error) { replace(shown, `could not load nodes: ${error.message}`); }
  }

  async function refreshNodes() {
    const wanted = query();
    const page = await get(wanted);
    if (wanted !== query()) return;
    state.page = page;
    renderCounts(page.counts);
    renderNodes(page);
  }

  function renderCounts(by) {
    const total = Object.values(by).reduce((a, b) => a + b, 0);
    const chip = (status, n, label) => el('button', {
      type: 'button', class: `count s-${status ?? 'all'}${state.status === status ? ' selected' : ''}${n === 0 ? ' zero' : ''}`,
      dataset: { status: status ?? 'all' }, title: status ? `show only ${label}` : 'show every node',
      onclick: () => { state.status = state.status === status ? null : status; firstPage(); },
    }, el('span', { class: 'n' }, n.toLocaleString('en-US')), el('span', { class: 'label' }, label));
    replace(counts, chip(null, total, 'All nodes'), STATUSES.map(s => chip(s, by[s] ?? 0, s)));
  }

  function renderNodes(page) {
    replace(tbody, page.items.map(nodeRow));
    if (page.items.length === 0) tbody.append(el('tr', {}, el('td', { colspan: 7, class: 'empty' }, 'No nodes match.')));
    const total = state.status ? page.counts[state.status] ?? 0 : Object.values(page.counts).reduce((a, b) => a + b, 0);
    const from = (state.cursors.length - 1) * PAGE;
    replace(shown, page.items.length === 0 ? '0 shown'
      : `${(from + 1).toLocaleString('en-US')}–${(from + page.items.length).toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`);
    prev.disabled = state.cursors.length <= 1;
    next.disabled = !page.next;
  }

  async function refresh() {
    const [, waiting, automation] = await Promise.all([refreshNodes(), get('/approvals'), get('/automation')]);
    replace(banner, pauseBanner(automation.control));
    replace(controls, el('span', { class: 'muted' }, me ? `signed in as ${me.operator} (${me.roles.join(', ')})` : ''),
      el('span', { class: 'spacer' }), automationButton(automation.control, me, refreshNow));
    renderApprovals(approvals, waiting, me, refreshNow);
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

function renderApprovals(section, waiting, me, refreshNow) {
  const decides = me?.roles?.includes('approver');
  section.hidden = waiting.length === 0;
  replace(section,
    el('div', { class: 'section-head' }, el('h2', {}, 'Approvals waiting'), el('span', { class: 'pill warn-bg' }, waiting.length)),
    el('table', { class: 'grid' },
      el('thead', {}, el('tr', {}, ['Approval', 'Node', 'Fault', 'Runbook', 'Evidence', 'Requested', 'Expires', decides ? '' : null]
        .filter(h => h !== null).map(h => el('th', {}, h)))),
      el('tbody', {}, waiting.map(a => el('tr', { dataset: { approval: a.approvalId } },
        el('td', { class: 'mono' }, a.approvalId),
        el('td', {}, nodeLink(a.nodeId)),
        el('td', {}, fault(a)),
        el('td', { class: 'mono' }, a.runbook ?? '—'),
        el('td', { class: 'evidence', title: a.evidence ?? '' }, a.evidence ?? ''),
        el('td', { title: a.requestedAt ?? '' }, a.requestedAt ? clock(a.requestedAt) : '—'),
        el('td', { title: a.expiresAt }, until(a.expiresAt)),
        decides ? el('td', {}, approvalButtons(a, me, refreshNow)) : null)))),
    decides ? null : el('p', { class: 'muted hint' }, 'Your token may not decide (it lacks the approver role): decide in Slack or with ',
      el('code', {}, 'remediation approve ID'), ' / ', el('code', {}, 'remediation reject ID --reason …'), '.'));
}
