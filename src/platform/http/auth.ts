/**
 * Authentication as a layer (octokit's auth strategies): adds the bearer token to each attempt,
 * and on a 401 renews the token once and sends again (the token may have expired early or been
 * revoked, API.md §1.1). The renewal is not a retry: it spends no retry budget.
 */
import type { TokenProvider } from '../token-provider.js';
import type { Send } from './send.js';

/** Wraps a sender with bearer-token authentication. */
export function withAuth(send: Send, tokens: TokenProvider, onRenew?: () => void): Send {
  let renewed = false;
  return async (request) => {
    const token = await tokens.getToken();
    const response = await send({
      ...request,
      headers: { ...request.headers, authorization: `Bearer ${token}` },
    });
    if (response.status !== 401 || renewed) return response;
    renewed = true;
    tokens.invalidate(token);
    onRenew?.();
    const fresh = await tokens.getToken();
    return send({ ...request, headers: { ...request.headers, authorization: `Bearer ${fresh}` } });
  };
}
