/**
 * Authentication as a layer (octokit's auth strategies): adds the bearer token to each attempt,
 * and on a 401 renews the token and sends again (the token may have expired early or been revoked,
 * docs/platform-api.md#oauth-client-credentials), at most {@link MAX_RENEWALS} times a call. A renewal is not a retry: it spends no
 * retry budget.
 */
import type { TokenProvider } from '../token-provider.js';
import type { Send } from './send.js';

/**
 * Renewals per call. One is the usual case (an expired or revoked token); more happen only when
 * tokens are revoked again while the call renews (an admin revoking the client's tokens twice),
 * and each one is for a different, freshly issued token.
 */
const MAX_RENEWALS = 3;

/** Wraps a sender with bearer-token authentication. */
export function withAuth(send: Send, tokens: TokenProvider, onRenew?: () => void): Send {
  let renewals = 0;
  return async (request) => {
    let token = await tokens.getToken();
    for (;;) {
      const response = await send({
        ...request,
        headers: { ...request.headers, authorization: `Bearer ${token}` },
      });
      if (response.status !== 401 || renewals >= MAX_RENEWALS) return response;
      renewals++;
      tokens.invalidate(token);
      onRenew?.();
      const fresh = await tokens.getToken();
      // The same token again means renewing could not replace it: the refusal stands.
      if (fresh === token) return response;
      token = fresh;
    }
  };
}
