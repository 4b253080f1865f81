// The operator API from the page. In Azure, App Service Authentication holds the person's token: /.auth/me
// hands it over and every call carries it as a bearer token; without a session the page goes to the sign-in.
// Locally (no /.auth) calls go without a token: the local host answers loopback callers only.
let token = null;

export async function signIn() {
  const res = await fetch('/.auth/me', { credentials: 'same-origin' }).catch(() => null);
  if (!res || res.status === 404) return; // the local host: no App Service Authentication
  if (res.status === 401) return goToSignIn();
  const me = await res.json().catch(() => []);
  token = me[0]?.id_token ?? me[0]?.access_token ?? null;
  if (!token) goToSignIn();
}

function goToSignIn() {
  const back = encodeURIComponent(location.pathname);
  location.href = `/.auth/login/aad?post_login_redirect_uri=${back}`;
}

const headers = (extra = {}) => (token ? { authorization: `Bearer ${token}`, ...extra } : extra);

export class ApiError extends Error {}

async function check(res) {
  if (res.ok) return res;
  const body = await res.json().catch(() => ({}));
  throw new ApiError(body.error ?? `HTTP ${res.status}`);
}

export async function get(path, query = {}) {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''));
  const res = await fetch(`/api/console/${path}${q.size ? `?${q}` : ''}`, { headers: headers() });
  return (await check(res)).json();
}

export async function post(path, body) {
  const res = await fetch(`/api/console/${path}`, {
    method: 'POST',
    headers: headers({ 'content-type': 'application/json' }),
    body: JSON.stringify(body),
  });
  return (await check(res)).json();
}

/** A batch as Server-Sent Events over fetch: `onProgress` per event; resolves with the summary. */
export async function batch(path, body, onProgress) {
  const res = await check(
    await fetch(`/api/console/${path}`, {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json', accept: 'text/event-stream' }),
      body: JSON.stringify(body),
    }),
  );
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
      if (event === 'progress') onProgress(data);
      if (event === 'summary') return data;
      if (event === 'error') throw new ApiError(data.error);
    }
  }
  throw new ApiError('the progress stream ended without a summary');
}
