import { ApiError } from './api.js';
import { el, replace } from './dom.js';

// Every decision goes through one modal that shows what is about to happen and, where the service wants one, asks
// for a reason. The service's refusal (403, 409, 400) is shown in the dialog rather than lost.
export function confirmAction({ title, facts, reasonLabel, confirmLabel, danger, act, explain }) {
  const reason = reasonLabel ? el('textarea', { id: 'confirm-reason', rows: 2, 'aria-label': reasonLabel, placeholder: reasonLabel }) : null;
  const error = el('p', { class: 'alert', role: 'alert', id: 'confirm-error', hidden: true });
  const confirm = el('button', { type: 'button', id: 'confirm-ok', class: danger ? 'act danger' : 'act primary', disabled: !!reason }, confirmLabel);
  const cancel = el('button', { type: 'button', id: 'confirm-cancel', class: 'act' }, 'Cancel');
  const dialog = el('dialog', { id: 'confirm', class: 'confirm', 'aria-label': title },
    el('h2', {}, title),
    el('dl', {}, facts.filter(([, v]) => v !== undefined).map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, v ?? '—')))),
    reason ? el('label', { for: 'confirm-reason' }, reasonLabel) : null,
    reason,
    error,
    el('div', { class: 'confirm-buttons' }, cancel, confirm));
  reason?.addEventListener('input', () => { confirm.disabled = reason.value.trim() === ''; });

  return new Promise(resolve => {
    const close = done => { dialog.close(); dialog.remove(); resolve(done); };
    cancel.addEventListener('click', () => close(false));
    dialog.addEventListener('cancel', () => close(false));
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      try {
        await act(reason?.value.trim());
        close(true);
      } catch (e) {
        const why = e instanceof ApiError && explain ? await explain(e) : null;
        replace(error, why ?? (e instanceof ApiError ? e.detail : e.message));
        error.hidden = false;
        confirm.hidden = e instanceof ApiError && e.status === 409;
        confirm.disabled = false;
        replace(cancel, 'Close');
      }
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
