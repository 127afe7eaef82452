// The only place that talks to /api: the operator token from sessionStorage on every call, 401s as AuthError.

const KEY = 'remediation.token';

export class AuthError extends Error {}

export const token = () => sessionStorage.getItem(KEY);
export const signIn = value => sessionStorage.setItem(KEY, value);
export const signOut = () => sessionStorage.removeItem(KEY);

export async function get(path) {
  const response = await fetch(`/api${path}`, {
    headers: { Authorization: `Bearer ${token() ?? ''}`, Accept: 'application/json' },
    cache: 'no-store',
  });
  if (response.ok) return response.json();
  const message = await problemDetail(response);
  if (response.status === 401) throw new AuthError(message);
  throw new Error(`${response.status}: ${message}`);
}

async function problemDetail(response) {
  try {
    const problem = await response.json();
    return problem.detail ?? problem.title ?? response.statusText;
  } catch {
    return response.statusText || 'the service gave no reason';
  }
}
