import { get } from './api.js';
import { el, nodeLink, replace } from './dom.js';
import { clock, day } from './format.js';
import { actor, kindOf, summarize } from './summary.js';

// One incident from detection to resolution, the content of `remediation postmortem` (GET /api/incidents/{id}),
// laid out to be printed or saved as PDF from the browser (style.css @media print).

const utc = iso => (iso ? `${day(iso)} ${clock(iso)}` : '—');
const seconds = s => (s == null ? '—' : s < 120 ? `${Number(s.toFixed(3))} s` : `${(s / 60).toFixed(1)} min`);

export function incidentView(incidentId) {
  const body = el('div', { id: 'incident' });
  let shown = null;
  const root = el('div', { class: 'incident' }, body);

  async function refresh() {
    const report = await get(`/incidents/${encodeURIComponent(incidentId)}`);
    const key = `${report.status}:${report.events.length}`;
    if (key === shown) return;
    shown = key;
    replace(body, render(report));
  }

  const crumbs = [el('a', { href: '#/' }, 'Fleet'), el('span', { class: 'sep' }, '/'), el('span', { class: 'mono' }, incidentId)];
  return { root, refresh, crumbs };
}

function render(r) {
  const fault = `${r.xid != null ? `Xid ${r.xid}` : r.kind}${r.device ? ` on ${r.device}` : ''}`;
  const data = type => r.events.filter(e => e.type === type);
  const deferrals = data('ActionDeferred');
  const rma = r.events.filter(e => e.type === 'RmaRequested' || e.type === 'RmaClosed');
  return [
    el('section', { class: 'card', id: 'incident-summary' },
      el('div', { class: 'section-head' }, el('h1', {}, `Postmortem: `, el('span', { class: 'mono' }, r.id)), el('span', { class: 'spacer' }),
        el('button', { type: 'button', class: 'act', id: 'print', onclick: () => window.print() }, 'Print')),
      facts([
        ['Node', nodeLink(r.nodeId)],
        ['Fault', fault],
        ['Status', r.status],
        ['Runbooks', r.runbooks.join(' → ') || '—'],
        ['Resolution', r.resolution ?? '—'],
        ['Detected', utc(r.detectedAt)],
        ['Opened', utc(r.openedAt)],
        ['Closed', utc(r.closedAt)],
      ])),
    section('Timings (from the fault\'s observation)', 'timings',
      table(['to detect', 'to decide', 'to act', 'to recover'],
        [[seconds(r.durations.detect), seconds(r.durations.decide), seconds(r.durations.act), seconds(r.durations.recover)]])),
    section('Steps', 'steps', r.steps.length === 0 ? el('p', { class: 'muted' }, 'No step was dispatched.')
      : table(['dispatched', 'runbook / step', 'action', 'attempt', 'outcome', 'finished', 'output'], r.steps.map(s => [
        utc(s.dispatchedAt), `${s.runbook} / ${s.step}${s.verification ? ' (verification)' : ''}`, el('span', { class: 'mono' }, s.action),
        s.attempt, el('span', { class: `outcome o-${s.outcome}` }, s.outcome), utc(s.finishedAt), el('span', { class: 'mono output' }, s.output ?? '')]))),
    section('Approvals', 'approvals-record', r.approvals.length === 0 ? el('p', { class: 'muted' }, 'None were needed.')
      : table(['approval', 'step', 'requested', 'outcome', 'by', 'decided', 'reason'], r.approvals.map(a => [
        el('span', { class: 'mono' }, a.approvalId), `${a.step} → ${a.action}`, utc(a.requestedAt), a.outcome, a.by ?? '—', utc(a.decidedAt), a.reason ?? '']))),
    section('Budget deferrals', 'deferrals', deferrals.length === 0 ? el('p', { class: 'muted' }, 'Nothing was deferred.')
      : table(['time', 'step', 'reason'], deferrals.map(e => [utc(e.timestamp), `${e.data.step} → ${e.data.action}`, e.data.reason]))),
    section('RMA', 'rma', rma.length === 0 ? el('p', { class: 'muted' }, 'No RMA was requested.')
      : table(['time', 'event', 'device', 'ticket', 'resolution'], rma.map(e => [
        utc(e.timestamp), e.type, e.data.device ?? '—', e.data.ticket ?? 'no ticket yet', e.data.resolution ?? '']))),
    section('Evidence', 'evidence', el('pre', { class: 'evidence-line mono' }, r.evidence.join('\n') || 'none recorded')),
    section('Timeline', 'incident-timeline', table(['#', 'time', 'event', 'what happened', 'caused by'], r.events.map(e => [
      e.sequence, utc(e.timestamp), el('span', { class: `type k-${kindOf(e.type)}` }, e.type), summarize(e.type, e.data), actor(e.data)]))),
  ];
}

const facts = rows => el('dl', { class: 'facts' }, rows.map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, v))));

const section = (title, id, content) => el('section', { id }, el('div', { class: 'section-head' }, el('h2', {}, title)), content);

const table = (heads, rows) => el('table', { class: 'grid' },
  el('thead', {}, el('tr', {}, heads.map(h => el('th', {}, h)))),
  el('tbody', {}, rows.map(cells => el('tr', {}, cells.map(c => el('td', {}, c))))));
