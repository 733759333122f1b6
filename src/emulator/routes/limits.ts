/** Organization limits (docs/platform-api.md#organization-limits) and the token's own view (`tokens/me`, docs/platform-api.md#oauth-client-credentials). */
import { EmulatorHttpError } from '../errors.js';
import { NONE, type RouteContext } from './context.js';

/** Registers the limit and token operations. */
export function limitRoutes({ api, org }: RouteContext): void {
  const state = org.state;
  api('GET', '/api/v2/organizations/limits/namespaces', NONE, (c) => {
    const names = Object.keys(state.limits).sort();
    return c.json({
      entities: names.map((name) => ({ name })),
      pageSize: 100,
      pageNumber: 1,
      total: names.length,
      pageCount: 1,
    });
  });
  api('GET', '/api/v2/organizations/limits/namespaces/{namespaceName}', NONE, (c) => {
    const ns = c.req.param('namespaceName') ?? '';
    const limits = state.limits[ns];
    if (!limits) throw new EmulatorHttpError(404, 'not.found');
    return c.json({
      entities: Object.entries(limits).map(([key, value]) => ({ key, namespace: ns, value })),
    });
  });
  api('GET', '/api/v2/tokens/me', NONE, (c, client) =>
    c.json({
      organization: { id: state.org.id, name: state.org.name },
      homeOrganization: { id: state.org.id, name: state.org.name },
      authorizedScope: client.scopes,
      OAuthClient: {
        id: client.id,
        name: client.name,
        authorizedGrantType: 'CLIENT-CREDENTIALS',
        organization: { id: state.org.id, name: state.org.name },
      },
    }),
  );
}
