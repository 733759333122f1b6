/**
 * Architect dependency tracking (docs/platform-api.md "Dependency tracking"): the resources that
 * consume an object, such as the flows that call or transfer to a flow.
 */
import { z } from 'zod';
import { idSegment } from './ids.js';
import type { RequestFn } from '../request.js';
import { listingSchema } from '../schemas.js';

/** `Dependency` (the SDK's `index.d.ts`): one consuming resource. */
export const DependencySchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  version: z.string().optional(),
  type: z.string().optional(),
  deleted: z.boolean().optional(),
  updated: z.boolean().optional(),
  stateUnknown: z.boolean().optional(),
});
/** A resource that consumes an object. */
export type Dependency = z.infer<typeof DependencySchema>;

const ConsumingResources = listingSchema(DependencySchema);

/**
 * A flow's dependency-tracking object type: its type with `FLOW` appended, except `WORKFLOW`
 * (the Terraform provider's `genesyscloud/dependent_consumers/dependent_consumers.go`).
 */
export function flowObjectType(flowType: string): string {
  const t = flowType.toUpperCase();
  return t === 'WORKFLOW' ? t : `${t}FLOW`;
}

/** Dependency-tracking calls. */
export function dependencyCalls(request: RequestFn) {
  return {
    /** Every resource consuming the object `id` of `objectType` (`INBOUNDCALLFLOW`, …), across pages. */
    async consumingResources(id: string, objectType: string): Promise<Dependency[]> {
      const out: Dependency[] = [];
      for (let page = 1; ; page++) {
        const { data } = await request('GET', '/api/v2/architect/dependencytracking/consumingresources', {
          query: { id: idSegment('object', id), objectType, pageNumber: page, pageSize: 100 },
          schema: ConsumingResources,
        });
        out.push(...(data.entities ?? []));
        if (page >= (data.pageCount ?? 1) || (data.entities ?? []).length === 0) return out;
      }
    },
  };
}
