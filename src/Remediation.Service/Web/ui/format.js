// Times as operators read them: local clock time with the full timestamp on hover, and how long ago.

const pad = (n, w = 2) => String(n).padStart(w, '0');

export function clock(iso, millis = false) {
  if (!iso) return '';
  const d = new Date(iso);
  const base = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return millis ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

export function day(iso) {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function ago(iso, now = Date.now()) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function until(iso, now = Date.now()) {
  const s = Math.round((new Date(iso).getTime() - now) / 1000);
  if (s <= 0) return 'due';
  return s < 120 ? `in ${s}s` : `in ${Math.round(s / 60)}m`;
}

export function elapsed(fromIso, toIso) {
  const ms = new Date(toIso).getTime() - new Date(fromIso).getTime();
  if (ms < 1000) return `+${ms}ms`;
  if (ms < 120000) return `+${(ms / 1000).toFixed(1)}s`;
  return `+${Math.round(ms / 60000)}m`;
}

export const firstLine = text => (text ?? '').split('\n').find(l => l.trim() !== '')?.trim() ?? '';

export function fault(incident) {
  if (!incident) return '';
  const kind = incident.xid != null ? `Xid ${incident.xid}` : incident.kind;
  return incident.device ? `${kind} on ${incident.device}` : kind;
}
