/**
 * Architect dependency tracking (docs/platform-api.md "Dependency tracking"): the resources that
 * consume an object. The emulator tracks flows only: a flow consumes another when its published or
 * saved configuration calls or transfers to it (`dependencies.ts`).
 */
import { consumersOf, flowObjectType } from '../dependencies.js';
import { EmulatorHttpError } from '../errors.js';
import { ALL, queryList, type RouteContext } from './context.js';
import { listing, pageRequest } from './pagination.js';

/** Registers `GET /api/v2/architect/dependencytracking/consumingresources`. */
export function dependencyRoutes({ api, org }: RouteContext): void {
  const path = '/api/v2/architect/dependencytracking/consumingresources';
  api('GET', path, ALL('architect:dependencyTracking:view'), (c) => {
    const id = c.req.query('id');
    const objectType = c.req.query('objectType');
    if (!id || !objectType)
      throw new EmulatorHttpError(400, 'bad.request', [], {
        message: "The 'id' and 'objectType' query parameters are required.",
      });
    const page = pageRequest({ pageSize: c.req.query('pageSize'), pageNumber: c.req.query('pageNumber') });
    const target = org.state.flows.find((f) => f.id === id && flowObjectType(f.type) === objectType);
    // An object the org does not track has no consumers: an empty listing, as for any unused object.
    const resourceTypes = queryList(c, 'resourceType');
    const entities = (target ? consumersOf(org.state.flows, target, org.dependencyLag()) : [])
      .map((f) => {
        const open = f.publications.find((p) => p.end === undefined);
        const version = open?.versionId ?? f.savedVersionId;
        return {
          id: f.id,
          name: f.name,
          ...(version !== undefined ? { version } : {}),
          type: flowObjectType(f.type),
          deleted: f.deleted,
          updated: false,
          stateUnknown: false,
          selfUri: `/api/v2/flows/${f.id}`,
        };
      })
      .filter((d) => resourceTypes.length === 0 || resourceTypes.includes(d.type));
    const base = `${path}?id=${encodeURIComponent(id)}&objectType=${encodeURIComponent(objectType)}`;
    return c.json(listing(entities, page, base));
  });
}
