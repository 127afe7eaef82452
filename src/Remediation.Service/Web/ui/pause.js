import { el } from './dom.js';
import { ago } from './format.js';

// Shown on every view: while automation is paused nothing is executed, which an operator must not miss.
export function pauseBanner(control) {
  if (!control?.paused) return null;
  return el('div', { class: 'banner', role: 'status' },
    el('strong', {}, 'Automation is paused'),
    ` by ${control.by ?? 'unknown'}${control.since ? ` ${ago(control.since)}` : ''}: `,
    el('span', { class: 'reason' }, control.reason ?? 'no reason given'),
    el('span', { class: 'muted' }, ' — decisions are recorded, nothing is executed.'));
}
