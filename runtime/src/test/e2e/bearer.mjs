// Preload (node --import ./bearer.mjs ...) that sends "Authorization: Bearer $MCP_TOKEN" with every HTTP request of
// a client that has no option for headers, such as the conformance suite. It hooks both ways Node clients send
// requests: the global fetch, and undici's global dispatcher (undici.request, used by some scenarios).
import { getGlobalDispatcher, setGlobalDispatcher } from 'undici';

const token = process.env.MCP_TOKEN;
if (token) {
  const value = `Bearer ${token}`;
  const plainFetch = globalThis.fetch;
  globalThis.fetch = (input, init = {}) => {
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has('authorization')) headers.set('authorization', value);
    return plainFetch(input, { ...init, headers });
  };

  const withToken = (headers) => {
    if (Array.isArray(headers)) {
      const names = headers.filter((_, i) => i % 2 === 0).map((n) => String(n).toLowerCase());
      return names.includes('authorization') ? headers : [...headers, 'authorization', value];
    }
    const h = { ...(headers ?? {}) };
    if (!Object.keys(h).some((n) => n.toLowerCase() === 'authorization')) h.authorization = value;
    return h;
  };
  setGlobalDispatcher(getGlobalDispatcher().compose((dispatch) => (options, handler) =>
    dispatch({ ...options, headers: withToken(options.headers) }, handler)));
}
