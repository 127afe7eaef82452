import { get } from './api.js';
import { incidentsOverTime, outcomeByRunbook, recoveryByRunbook } from './charts.js';
import { el, nodeLink, replace } from './dom.js';
import { day } from './format.js';

// "Which runbooks work": GET /api/stats over a chosen period, as charts and the tables behind them.

const PERIODS = ['24h', '7d', '30d', '90d'];

export function statsView() {
  let since = '7d';
  let drawn = null;
  const body = el('div', { id: 'stats-body' }, el('p', { class: 'muted' }, 'Loading…'));
  const period = el('select', { id: 'stats-since', 'aria-label': 'period' }, PERIODS.map(p => el('option', { value: p, selected: p === since }, `last ${p}`)));
  const span = el('span', { class: 'muted', id: 'stats-span' });
  period.addEventListener('change', () => { since = period.value; drawn = null; refresh(); });
  const root = el('div', { class: 'stats' },
    el('div', { class: 'section-head' }, el('h2', {}, 'Which runbooks work'), span, el('span', { class: 'spacer' }), period),
    body);

  async function refresh() {
    const wanted = since;
    const stats = await get(`/stats?since=${encodeURIComponent(wanted)}`);
    const text = JSON.stringify(stats);
    if (wanted !== since || text === drawn) return;
    drawn = text;
    replace(span, stats.since ? `${day(stats.since)} to ${day(stats.until)}` : '');
    replace(body, render(stats));
  }

  return { root, refresh, crumbs: [el('a', { href: '#/' }, 'Fleet'), el('span', { class: 'sep' }, '/'), el('span', {}, 'Runbooks')] };
}

function render(stats) {
  const runbooks = stats.runbooks ?? [];
  return [
    el('div', { class: 'charts' },
      incidentsOverTime(stats.incidentsOverTime ?? []),
      recoveryByRunbook(runbooks),
      outcomeByRunbook(runbooks)),
    section('By fault', 'stats-faults', ['fault', 'incidents', 'fixed first rung', 'escalations', 'to a human', 'RMAs', 'p50', 'p90'],
      (stats.faults ?? []).map(f => [el('span', { class: 'mono' }, f.fault), f.incidents, f.fixedFirstRung, f.escalations, f.handedToHuman, f.rmas,
        secs(f.recoveryP50Seconds), secs(f.recoveryP90Seconds)])),
    section('Steps that fail most', 'stats-failing', ['runbook', 'step', 'action', 'failed', 'timed out'],
      (stats.failingSteps ?? []).map(f => [f.runbook, f.step, el('span', { class: 'mono' }, f.action), f.failed, f.timedOut])),
    section('Lemons: nodes and GPUs with the most incidents', 'lemons', ['node', 'GPU', 'incidents'],
      (stats.lemons ?? []).map(l => [nodeLink(l.nodeId), el('span', { class: 'mono' }, l.device ?? '—'), l.incidents])),
  ];
}

const secs = v => (v == null ? '—' : `${Math.round(v)} s`);

function section(title, id, heads, rows) {
  return el('section', { id },
    el('div', { class: 'section-head' }, el('h2', {}, title)),
    el('table', { class: 'grid' },
      el('thead', {}, el('tr', {}, heads.map(h => el('th', {}, h)))),
      el('tbody', {}, rows.length === 0 ? el('tr', {}, el('td', { colspan: heads.length, class: 'empty' }, 'None in this period.'))
        : rows.map(cells => el('tr', {}, cells.map(c => el('td', { class: typeof c === 'number' ? 'num' : null }, c)))))));
}
