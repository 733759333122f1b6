/**
 * Cursor paging as the audit results and the aggregate jobs use it (docs/platform-api.md#aggregate-jobs, docs/platform-api.md#audit-queries): an opaque
 * cursor (here the base64url of an offset); no cursor in the answer means the last page.
 */

/** One page of `items` after `cursor`, and the cursor of the next page when there is one. */
export function cursorPage<T>(
  items: readonly T[],
  cursor: string | undefined,
  pageSize: number,
): { page: T[]; next?: string } {
  const offset = Number(Buffer.from(cursor ?? '', 'base64url').toString() || '0') || 0;
  const page = items.slice(offset, offset + pageSize);
  return offset + pageSize < items.length
    ? { page, next: Buffer.from(String(offset + pageSize)).toString('base64url') }
    : { page };
}
