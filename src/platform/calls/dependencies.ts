/**
 * Architect dependency tracking (docs/platform-api.md "Export jobs, dependency tracking, delete"):
 * `GET /api/v2/architect/dependencytracking/consumingresources?id&objectType`, the resources that
 * consume an object. A flow's object type is its flow type with `FLOW` appended (`INBOUNDCALLFLOW`),
 * except `WORKFLOW` (the Terraform provider's `dependent_consumers.go` `SetFlowTypeObjectMaps`).
 */
import { idSegment } from './ids.js';
import type { RequestFn } from '../request.js';
import { DependencySchema, listingSchema, type Dependency } from '../schemas.js';

const Listing = listingSchema(DependencySchema);

/** The dependency-tracking object type of a flow type (`inboundcall` → `INBOUNDCALLFLOW`). */
export function flowObjectType(flowType: string): string {
  const t = flowType.toUpperCase();
  return t === 'WORKFLOW' ? t : `${t}FLOW`;
}

/** Dependency-tracking calls. */
export function dependencyCalls(request: RequestFn) {
  return {
    /** Every resource that consumes the object (all pages). */
    async consumingResources(id: string, objectType: string): Promise<Dependency[]> {
      const out: Dependency[] = [];
      for (let page = 1; ; page++) {
        const { data } = await request('GET', '/api/v2/architect/dependencytracking/consumingresources', {
          query: { id: idSegment('flow', id), objectType, pageSize: 100, pageNumber: page },
          schema: Listing,
        });
        out.push(...(data.entities ?? []));
        if (page >= (data.pageCount ?? 1) || (data.entities ?? []).length === 0) return out;
      }
    },
  };
}
