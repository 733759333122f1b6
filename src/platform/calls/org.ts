/** Organization limits (docs/platform-api.md#organization-limits) and `tokens/me` (docs/platform-api.md#oauth-client-credentials). */
import type { RequestFn } from '../request.js';
import { LimitsSchema, TokenInfoSchema } from '../schemas.js';

/** Organization and token calls. */
export function orgCalls(request: RequestFn) {
  return {
    /** The namespace names (an untyped paged listing). */
    async limitNamespaces(): Promise<unknown> {
      return (
        await request<unknown>('GET', '/api/v2/organizations/limits/namespaces', {
          query: { pageSize: 100, pageNumber: 1 },
        })
      ).data;
    },
    /** Effective limits of one namespace, e.g. `platform.api`. */
    async limits(
      namespace: string,
    ): Promise<Array<{ key: string; namespace?: string | undefined; value: number }>> {
      return (
        (
          await request('GET', `/api/v2/organizations/limits/namespaces/${encodeURIComponent(namespace)}`, {
            schema: LimitsSchema,
          })
        ).data.entities ?? []
      );
    },
    /** The token's organization, scopes and OAuth client: a cheap credentials check. */
    async tokenInfo() {
      return (await request('GET', '/api/v2/tokens/me', { schema: TokenInfoSchema })).data;
    },
  };
}
