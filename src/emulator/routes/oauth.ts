/** `POST /oauth/token`, the client-credentials grant (docs/platform-api.md#oauth-client-credentials). */
import type { Hono } from 'hono';
import type { EmulatedOrg } from '../org.js';
import type { Env } from './context.js';

/** Registers the token endpoint. */
export function oauthRoutes(app: Hono<Env>, org: EmulatedOrg): void {
  app.post('/oauth/token', async (c) => {
    const header = c.req.header('authorization') ?? '';
    const form = new URLSearchParams(await c.req.text());
    const basic = /^basic\s+(.+)$/i.exec(header);
    const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const issued = colon > 0 ? org.issueToken(decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined;
    if (!issued) return c.json({ error: 'invalid_client', error_description: 'client not found' }, 401);
    if (form.get('grant_type') !== 'client_credentials')
      return c.json({ error: 'unsupported_grant_type' }, 400);
    return c.json({ access_token: issued.token, token_type: 'bearer', expires_in: issued.expiresIn });
  });
}
