import { get, post } from './api.js';
import { confirmAction } from './confirm.js';
import { el } from './dom.js';
import { clock, fault } from './format.js';

// The buttons an operator's roles allow (GET /api/me), each behind a confirmation; the service checks the role again.

export const can = (me, role) => !!me?.roles?.includes(role);

// A click whose reading fails (the node's details, say) says so on the button instead of failing unseen.
function button(label, cls, id, onclick) {
  const b = el('button', { type: 'button', class: `act ${cls}`, dataset: { act: id } }, label);
  b.addEventListener('click', async () => {
    try { await onclick(); } catch (error) { b.title = error.message; b.classList.add('failed'); }
  });
  return b;
}

const recent = nodeId => get(`/nodes/${encodeURIComponent(nodeId)}/timeline?order=desc&limit=500`);

const event = (events, type, approvalId) => events.find(e => e.type === type && e.data.approvalId === approvalId)?.data;

// What the approver needs, as in Slack: the node, the fault and its evidence, the step proposed and what was tried.
async function approvalFacts(a) {
  const [node, events] = await Promise.all([get(`/nodes/${encodeURIComponent(a.nodeId)}`), recent(a.nodeId)]);
  const asked = event(events, 'ApprovalRequested', a.approvalId);
  const tried = (node.incident?.runbooksTried ?? []).filter(r => r !== asked?.runbook);
  const failed = events.filter(e => e.data.incidentId === a.incidentId && ['StepFailed', 'StepTimedOut'].includes(e.type))
    .map(e => `${e.data.step} (${e.data.action}) ${e.type === 'StepFailed' ? 'failed' : 'timed out'}`).reverse();
  return [
    ['Node', el('span', { class: 'mono' }, a.nodeId)],
    ['Fault', fault(a)],
    ['Evidence', a.evidence ? el('pre', { class: 'evidence-line mono' }, a.evidence) : 'none recorded'],
    ['Proposed step', asked ? `${asked.runbook} / ${asked.step} → ${asked.action}` : a.runbook],
    ['Already tried', [...tried.map(r => `runbook ${r}`), ...failed].join('; ') || 'nothing yet'],
    ['Incident', el('span', { class: 'mono' }, a.incidentId)],
    ['Approval', el('span', { class: 'mono' }, `${a.approvalId}, expires ${clock(a.expiresAt)}`)],
  ];
}

// The desk answers a late click with 409; the node's stream says who was first.
async function whoDecided(a, error) {
  if (error.status !== 409) return null;
  const events = await recent(a.nodeId);
  const granted = event(events, 'ApprovalGranted', a.approvalId);
  if (granted) return `Already approved by ${granted.approver} at ${clock(granted.grantedAt)}; nothing changed.`;
  const rejected = event(events, 'ApprovalRejected', a.approvalId);
  if (rejected) return `Already rejected by ${rejected.approver} at ${clock(rejected.rejectedAt)}: ${rejected.reason}; nothing changed.`;
  const expired = event(events, 'ApprovalExpired', a.approvalId);
  return expired ? `The approval expired at ${clock(expired.expiredAt)} unanswered; nothing changed.` : error.detail;
}

export function approvalButtons(a, me, done) {
  if (!can(me, 'approver')) return null;
  const decide = (approve) => async () => {
    const facts = await approvalFacts(a);
    const verb = approve ? 'approve' : 'reject';
    await confirmAction({
      title: `${approve ? 'Approve' : 'Reject'} ${a.runbook ?? 'the step'} on ${a.nodeId}?`,
      facts,
      reasonLabel: approve ? null : 'Why reject? (recorded in the timeline)',
      confirmLabel: approve ? 'Approve' : 'Reject',
      danger: !approve,
      act: reason => post(`/approvals/${encodeURIComponent(a.approvalId)}/${verb}`, approve ? {} : { reason }),
      explain: error => whoDecided(a, error),
    });
    await done();
  };
  return el('span', { class: 'actions' }, button('Approve', 'primary', 'approve', decide(true)), button('Reject', 'danger', 'reject', decide(false)));
}

export function automationButton(control, me, done) {
  if (!can(me, 'operator')) return null;
  const paused = !!control?.paused;
  return button(paused ? 'Resume automation' : 'Pause automation', paused ? 'primary' : 'danger', paused ? 'resume' : 'pause', async () => {
    await confirmAction({
      title: paused ? 'Resume automation?' : 'Pause all automation?',
      facts: paused
        ? [['Paused by', control.by ?? 'unknown'], ['Reason', control.reason ?? '—'], ['On resume', 'deferred steps are dispatched']]
        : [['Effect', 'decisions are still recorded; no step runs on any node until resumed']],
      reasonLabel: paused ? null : 'Why pause? (shown to everyone)',
      confirmLabel: paused ? 'Resume' : 'Pause',
      danger: !paused,
      act: reason => post(`/automation/${paused ? 'resume' : 'pause'}`, paused ? {} : { reason }),
    });
    await done();
  });
}

export function holdButton(node, me, done) {
  if (!can(me, 'operator')) return null;
  const release = node.status === 'NeedsHuman';
  const i = node.incident;
  return button(release ? 'Release to automation' : 'Hold node', release ? 'primary' : 'danger', release ? 'release' : 'hold', async () => {
    await confirmAction({
      title: `${release ? 'Release' : 'Hold'} ${node.id}?`,
      facts: [
        ['Node', el('span', { class: 'mono' }, node.id)],
        ['Status', node.status],
        ['Open incident', i ? `${fault(i)} (${i.id})` : 'none'],
        ['Evidence', i?.evidence ? el('pre', { class: 'evidence-line mono' }, i.evidence) : undefined],
        ['Step in flight', i?.pending ? `${i.pending.step} (${i.pending.action})` : undefined],
        ['Effect', release ? 'closes the incident and gives the node back to automation (it is not uncordoned)'
          : 'automation stops for this node; a step in flight is let go and faults are only recorded'],
      ],
      reasonLabel: release ? 'Why release?' : 'Why hold?',
      confirmLabel: release ? 'Release' : 'Hold',
      danger: !release,
      act: reason => post(`/nodes/${encodeURIComponent(node.id)}/${release ? 'release' : 'hold'}`, { reason }),
    });
    await done();
  });
}
