// The only place that talks to /api: the operator token from sessionStorage on every call, 401s as AuthError.

const KEY = 'remediation.token';

export class AuthError extends Error {}

export const token = () => sessionStorage.getItem(KEY);
export const signIn = value => sessionStorage.setItem(KEY, value);
export const signOut = () => sessionStorage.removeItem(KEY);

// A refusal from the service, its status kept so a caller can tell 409 (someone was first) from the rest.
export class ApiError extends Error {
  constructor(status, detail) {
    super(`${status}: ${detail}`);
    this.status = status;
    this.detail = detail;
  }
}

export const get = path => call('GET', path);

export const post = (path, body) => call('POST', path, body ?? {});

async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${token() ?? ''}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api${path}`, {
    method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.ok) return response.json();
  const message = await problemDetail(response);
  if (response.status === 401) throw new AuthError(message);
  throw new ApiError(response.status, message);
}

async function problemDetail(response) {
  try {
    const problem = await response.json();
    return problem.detail ?? problem.title ?? response.statusText;
  } catch {
    return response.statusText || 'the service gave no reason';
  }
}
