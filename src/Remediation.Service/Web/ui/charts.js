import { el } from './dom.js';
import { PALETTE, niceMax, s } from './svg.js';

// The charts of "which runbooks work" (GET /api/stats): no library, a few rectangles and text nodes each.

const W = 720;
const duration = sec => (sec == null ? '—' : sec < 120 ? `${Math.round(sec)} s` : sec < 7200 ? `${(sec / 60).toFixed(1)} min` : `${(sec / 3600).toFixed(1)} h`);

export function legend(entries) {
  return el('div', { class: 'legend' }, entries.map(([label, color]) =>
    el('span', { class: 'legend-item' }, s('svg', { width: 10, height: 10, 'aria-hidden': 'true' }, s('rect', { width: 10, height: 10, fill: color })), label)));
}

/** Incidents per day, stacked by fault. */
export function incidentsOverTime(rows) {
  const days = [...new Set(rows.map(r => r.day))].sort();
  const faults = [...new Set(rows.map(r => r.fault))].sort();
  const color = f => PALETTE[faults.indexOf(f) % PALETTE.length];
  const perDay = days.map(d => rows.filter(r => r.day === d));
  const max = niceMax(Math.max(0, ...perDay.map(rs => rs.reduce((a, r) => a + r.incidents, 0))));
  const left = 40, top = 10, h = 180, bottom = 36;
  const slot = days.length ? (W - left - 10) / days.length : 0;
  const y = v => top + h - (v / max) * h;
  const bars = perDay.flatMap((rs, i) => {
    let base = 0;
    return faults.map(f => rs.find(r => r.fault === f)).filter(Boolean).map(r => {
      const rect = s('rect', { class: 'bar', x: left + i * slot + slot * 0.15, width: slot * 0.7, y: y(base + r.incidents), height: y(base) - y(base + r.incidents),
        fill: color(r.fault), 'data-day': r.day, 'data-fault': r.fault, 'data-n': r.incidents }, s('title', {}, `${r.day} · ${r.fault}: ${r.incidents}`));
      base += r.incidents;
      return rect;
    });
  });
  const every = Math.max(1, Math.ceil(days.length / 10));
  return chart('chart-over-time', 'Incidents over time by fault', top + h + bottom, [
    axis(left, top, h, max, y),
    bars,
    days.map((d, i) => (i % every === 0 ? s('text', { x: left + i * slot + slot / 2, y: top + h + 16, 'text-anchor': 'middle', class: 'tick' }, d.slice(5)) : null)),
  ], legend(faults.map(f => [f, color(f)])), rows.length === 0);
}

/** p50 and p90 time to recovery per runbook, as pairs of horizontal bars. */
export function recoveryByRunbook(runbooks) {
  const rows = runbooks.filter(r => r.recoveryP50Seconds != null || r.recoveryP90Seconds != null);
  const max = niceMax(Math.max(0, ...rows.map(r => r.recoveryP90Seconds ?? r.recoveryP50Seconds ?? 0)));
  const left = 150, row = 34, top = 6;
  const x = v => left + (v / max) * (W - left - 80);
  const bar = (r, i, field, offset, color, label) => (r[field] == null ? null : [
    s('rect', { class: 'bar', x: left, y: top + i * row + offset, height: 12, width: x(r[field]) - left, fill: color, 'data-runbook': r.runbook, 'data-p': label },
      s('title', {}, `${r.runbook} ${label}: ${duration(r[field])}`)),
    s('text', { x: x(r[field]) + 4, y: top + i * row + offset + 10, class: 'value' }, duration(r[field]))]);
  return chart('chart-recovery', 'Time to recovery by runbook', top + rows.length * row + 10, rows.map((r, i) => [
    s('text', { x: left - 6, y: top + i * row + 16, 'text-anchor': 'end', class: 'label' }, r.runbook),
    bar(r, i, 'recoveryP50Seconds', 2, PALETTE[0], 'p50'),
    bar(r, i, 'recoveryP90Seconds', 16, PALETTE[1], 'p90'),
  ]), legend([['median (p50)', PALETTE[0]], ['p90', PALETTE[1]]]), rows.length === 0);
}

const OUTCOMES = [
  ['fixedFirstRung', 'fixed on the first rung', '#1f8a4c'],
  ['escalatedOther', 'escalated, fixed or still open', '#d48806'],
  ['handedToHuman', 'handed to a human', '#cf222e'],
  ['rmas', 'RMA', '#6d5c4d'],
];

/** What became of each runbook's incidents, as one stacked bar per runbook. */
export function outcomeByRunbook(runbooks) {
  const max = niceMax(Math.max(0, ...runbooks.map(r => r.incidents)));
  const left = 150, row = 26, top = 6;
  const x = v => (v / max) * (W - left - 60);
  const parts = r => {
    const known = r.fixedFirstRung + r.handedToHuman + r.rmas;
    return { ...r, escalatedOther: Math.max(0, r.incidents - known) };
  };
  return chart('chart-outcome', 'Outcome by runbook', top + runbooks.length * row + 10, runbooks.map(parts).map((r, i) => {
    let at = left;
    return [
      s('text', { x: left - 6, y: top + i * row + 14, 'text-anchor': 'end', class: 'label' }, r.runbook),
      OUTCOMES.filter(([key]) => r[key] > 0).map(([key, label, color]) => {
        const rect = s('rect', { class: 'bar', x: at, y: top + i * row + 2, height: 16, width: x(r[key]), fill: color, 'data-runbook': r.runbook, 'data-outcome': key, 'data-n': r[key] },
          s('title', {}, `${r.runbook}: ${r[key]} ${label} of ${r.incidents} (${r.escalations} escalated)`));
        at += x(r[key]);
        return rect;
      }),
      s('text', { x: at + 4, y: top + i * row + 14, class: 'value' }, `${r.incidents}`),
    ];
  }), legend(OUTCOMES.map(([, label, color]) => [label, color])), runbooks.length === 0);
}

function axis(left, top, h, max, y) {
  return [0, max / 2, max].map(v => [
    s('line', { x1: left, x2: W - 10, y1: y(v), y2: y(v), class: 'grid-line' }),
    s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, Number.isInteger(v) ? v : v.toFixed(1)),
  ]);
}

function chart(id, title, height, content, key, empty = false) {
  return el('figure', { class: 'card chart', id },
    el('figcaption', {}, title),
    empty ? el('p', { class: 'muted' }, 'No incidents in this period.')
      : s('svg', { viewBox: `0 0 ${W} ${Math.max(height, 20)}`, width: '100%', role: 'img', 'aria-label': title }, content),
    empty ? null : key);
}
