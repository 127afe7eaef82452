import { clock, firstLine } from './format.js';

// One line per event that says what happened and why, from the event's own fields (camelCase, as the API sends them).

const xid = d => (d.xid != null ? `Xid ${d.xid}` : d.kind);
const on = d => (d.device ? ` on ${d.device}` : '');
const step = d => `${d.runbook ? `${d.runbook} / ` : ''}${d.step} → ${d.action}`;
const output = d => (firstLine(d.output) ? `: ${firstLine(d.output)}` : '');
const exit = d => (d.exitCode != null ? ` (exit ${d.exitCode})` : '');

const SUMMARIES = {
  FaultReported: d => `${xid(d)}${on(d)}, ${d.disposition}${d.message ? ` — ${firstLine(d.message)}` : ''}`,
  FaultIgnored: d => `fault ${d.eventId} ignored: ${d.reason}`,
  FaultRepeated: d => `${d.count}× the same fault between ${clock(d.firstAt)} and ${clock(d.lastAt)}`,
  IncidentOpened: d => `incident ${d.incidentId}: ${xid(d)}${on(d)}${d.observing ? `, observing until ${clock(d.observeUntil)}` : ''}`,
  RunbookStarted: d => `runbook ${d.runbook}: ${d.reason}`,
  StepDispatched: d => `${step(d)}${d.attempt > 1 ? `, attempt ${d.attempt}` : ''}${d.verification ? ', verification' : ''}, deadline ${clock(d.deadline)}`,
  StepSucceeded: d => `${d.step}${d.action ? ` (${d.action})` : ''} succeeded${exit(d)}${output(d)}`,
  StepFailed: d => `${d.step} (${d.action}) failed${exit(d)}${output(d)}`,
  StepTimedOut: d => `${d.step} (${d.action}) timed out, deadline was ${clock(d.deadline)}`,
  StepResultIgnored: d => `${d.outcome} result for ${d.commandId} ignored: ${d.reason}`,
  StepShadowed: d => `shadow mode: would have run ${step(d)}`,
  ActionDeferred: d => `${step(d)} deferred: ${d.reason}`,
  ApprovalRequested: d => `${step(d)} needs approval ${d.approvalId}, expires ${clock(d.expiresAt)}`,
  ApprovalGranted: d => `approval ${d.approvalId} granted by ${d.approver}`,
  ApprovalRejected: d => `approval ${d.approvalId} rejected by ${d.approver}: ${d.reason}`,
  ApprovalExpired: d => `approval ${d.approvalId} expired unanswered`,
  ApprovalRefused: d => `${d.who} may not decide ${d.approvalId}: ${d.reason}`,
  VerificationPassed: () => 'verification passed',
  VerificationFailed: d => `verification failed${output(d)}`,
  RunbookEscalated: d => `escalated ${d.fromRunbook} → ${d.toRunbook}: ${d.reason}`,
  NodeCordoned: d => `node cordoned for incident ${d.incidentId}`,
  NodeQuarantined: d => `node quarantined for incident ${d.incidentId}${d.scheduler ? `: ${firstLine(d.scheduler)}` : ''}`,
  EvidenceCollected: d => `evidence collected: ${(d.gpus ?? []).map(g => `${g.pci} serial ${g.serial ?? '?'}`).join(', ') || 'no GPU named'}; `
    + (d.bugReport ? `bug report ${d.bugReport}` : d.problem ?? 'no bug report'),
  NodeReturnedToService: d => `node given back to the scheduler after incident ${d.incidentId}`,
  RmaRequested: d => `RMA requested${on(d)}`,
  IncidentResolved: d => `incident ${d.incidentId} resolved: ${d.resolution}`,
  HandedToHuman: d => `handed to a human: ${d.reason}`,
  NodeHeld: d => `held by an operator: ${d.reason}`,
  NodeReleased: d => `released to automation: ${d.reason}`,
  NodeJoinedStorm: d => `taken by storm ${d.stormId}: ${xid(d)}${on(d)}, ${d.reason}`,
  NodeLeftStorm: d => `let go by storm ${d.stormId}: ${d.absorbed} repeats absorbed while held since ${clock(d.joinedAt)}`,
};

const HIDDEN = new Set(['nodeId', 'causedBy', 'args']);

// An event type this page does not know yet still reads as its scalar fields.
function generic(d) {
  return Object.entries(d ?? {})
    .filter(([k, v]) => !HIDDEN.has(k) && v !== null && typeof v !== 'object')
    .map(([k, v]) => `${k}=${v}`).join(' ');
}

export function summarize(type, data) {
  try {
    return (SUMMARIES[type] ?? generic)(data ?? {});
  } catch {
    return generic(data);
  }
}

export const actor = d => d?.causedBy ?? d?.approver ?? d?.who ?? '';

const KINDS = {
  fault: ['FaultReported', 'FaultIgnored', 'FaultRepeated', 'StepResultIgnored', 'NodeJoinedStorm', 'NodeLeftStorm'],
  good: ['StepSucceeded', 'VerificationPassed', 'IncidentResolved', 'ApprovalGranted', 'NodeReleased'],
  bad: ['StepFailed', 'StepTimedOut', 'VerificationFailed', 'ApprovalRejected', 'ApprovalExpired', 'ApprovalRefused', 'HandedToHuman'],
  step: ['StepDispatched', 'RunbookStarted', 'IncidentOpened', 'EvidenceCollected'],
  ask: ['ApprovalRequested', 'ActionDeferred', 'StepShadowed', 'NodeHeld', 'NodeQuarantined'],
  drastic: ['RunbookEscalated', 'NodeCordoned', 'RmaRequested'],
};

export const kindOf = type => Object.keys(KINDS).find(k => KINDS[k].includes(type)) ?? 'other';
