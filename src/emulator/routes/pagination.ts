/**
 * Paging as the API does it (docs/platform-api.md#flow-endpoints): `pageSize` and `pageNumber`, 400 `invalid.value` when
 * out of range, and a listing with `firstUri`/`selfUri`/`lastUri` (`nextUri`/`previousUri`
 * absent at the ends).
 */
import { EmulatorHttpError } from '../errors.js';

/** A requested page. */
export interface PageRequest {
  pageSize: number;
  pageNumber: number;
}

/** Reads and checks `pageSize`/`pageNumber` (strings from a query, or numbers from a body). */
export function pageRequest(
  raw: { pageSize?: unknown; pageNumber?: unknown },
  defaultSize = 25,
  maxSize = 500,
): PageRequest {
  const pageSize = Number(raw.pageSize ?? defaultSize);
  const pageNumber = Number(raw.pageNumber ?? 1);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxSize)
    throw new EmulatorHttpError(400, 'invalid.value', [String(raw.pageSize), 'pageSize', `1 to ${maxSize}`]);
  if (!Number.isInteger(pageNumber) || pageNumber < 1)
    throw new EmulatorHttpError(400, 'invalid.value', [
      String(raw.pageNumber),
      'pageNumber',
      'a positive integer',
    ]);
  return { pageSize, pageNumber };
}

/** A paged listing with the URIs the API returns. */
export function listing<T>(
  all: readonly T[],
  { pageNumber, pageSize }: PageRequest,
  base: string,
): Record<string, unknown> {
  const total = all.length;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const uri = (n: number) => `${base}${base.includes('?') ? '&' : '?'}pageSize=${pageSize}&pageNumber=${n}`;
  const out: Record<string, unknown> = {
    entities: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
    pageSize,
    pageNumber,
    total,
    pageCount,
    firstUri: uri(1),
    selfUri: uri(pageNumber),
    lastUri: uri(pageCount),
  };
  if (pageNumber < pageCount) out.nextUri = uri(pageNumber + 1);
  if (pageNumber > 1) out.previousUri = uri(pageNumber - 1);
  return out;
}

/**
 * The audit endpoints' page size: "Default page size is 25 results. The maximum page size is
 * 500." (docs/platform-api.md#audit-queries); out-of-range values are clamped, not refused.
 */
export function clampedPageSize(raw: unknown, defaultSize = 25, maxSize = 500): number {
  return Math.min(maxSize, Math.max(1, Number(raw ?? defaultSize) || defaultSize));
}
