import { el } from './dom.js';

// The page asks for the token itself; it lives in sessionStorage for this tab only and is sent on each /api call.
export function loginForm(message, onToken) {
  const input = el('input', {
    id: 'token', type: 'password', name: 'token', autocomplete: 'current-password', required: true,
    placeholder: 'operator token (Api:Tokens)',
  });
  const form = el('form', { class: 'card login', id: 'login' },
    el('h1', {}, 'Sign in'),
    el('p', { class: 'muted' }, 'Enter your operator token. It is kept in this tab only and sent as a bearer token to the API.'),
    message ? el('p', { class: 'alert', role: 'alert', id: 'login-error' }, message) : null,
    el('label', { for: 'token' }, 'Token'),
    input,
    el('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const value = input.value.trim();
    if (value) onToken(value);
  });
  queueMicrotask(() => input.focus());
  return form;
}
