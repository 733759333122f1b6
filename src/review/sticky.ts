/**
 * The sticky comment (Atlantis' plan comment): one comment per pull or merge request, found by a
 * hidden marker, updated in place as commits arrive, so a busy pull request does not collect a
 * comment per push. The marker is an HTML comment: GitHub and GitLab render Markdown and show
 * neither it nor its key.
 */
import { FlowgateError } from '../errors.js';

/** One comment or note, as the thread lists it. */
export interface ThreadComment {
  id: string;
  body: string;
  /** Its web address, when the API gives one. */
  url?: string | undefined;
}

/** A pull request's (GitHub) or merge request's (GitLab) comments. */
export interface CommentThread {
  /** For messages: `owner/repo#12`, `group/project!7`. */
  readonly where: string;
  /** Longest body the API accepts, in UTF-16 units (a safe bound on its own character count). */
  readonly maxBody: number;
  /** The comments page by page, oldest first. */
  pages(): AsyncIterable<ThreadComment[]>;
  /**
   * Adds a comment. `mayResend` is asked before a resend after a lost answer: resolves true when
   * the earlier attempt left no comment.
   */
  create(body: string, mayResend: () => Promise<boolean>): Promise<ThreadComment>;
  update(id: string, body: string): Promise<ThreadComment>;
}

/** What {@link upsertStickyComment} did. */
export interface StickyResult {
  action: 'created' | 'updated' | 'unchanged';
  comment: ThreadComment;
  /** The body was cut to the API's limit. */
  truncated: boolean;
}

/** The hidden marker of a key: `<!-- flowgate:plan -->`. */
export function markerOf(key: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(key))
    throw new RangeError(`marker key '${key}' is not [A-Za-z0-9._-]{1,64}`);
  return `<!-- flowgate:${key} -->`;
}

const CUT_NOTE = '\n\n… (cut to fit the comment size limit: the whole plan is in the job log)\n';

/** The body with the marker on its first line, cut at a line end to fit `max`. */
export function stickyBody(marker: string, text: string, max: number): { body: string; truncated: boolean } {
  const full = `${marker}\n${text}`;
  if (full.length <= max) return { body: full, truncated: false };
  const room = max - CUT_NOTE.length;
  let cut = full.slice(0, Math.max(room, marker.length + 1));
  const lastLine = cut.lastIndexOf('\n');
  if (lastLine > marker.length) cut = cut.slice(0, lastLine);
  // Never leave half a surrogate pair at the cut.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return { body: cut + CUT_NOTE, truncated: true };
}

/** The first comment that carries the marker, reading pages only until it is found. */
export async function findMarked(thread: CommentThread, marker: string): Promise<ThreadComment | undefined> {
  for await (const page of thread.pages()) {
    const hit = page.find((c) => c.body.startsWith(marker) || c.body.includes(`\n${marker}`));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Creates or updates the one comment marked with `key`. Unchanged text sends nothing; a create
 * whose answer was lost is resent only when listing again finds no marked comment.
 */
export async function upsertStickyComment(
  thread: CommentThread,
  text: string,
  key = 'plan',
): Promise<StickyResult> {
  const marker = markerOf(key);
  const { body, truncated } = stickyBody(marker, text, thread.maxBody);
  const existing = await findMarked(thread, marker);
  if (existing && existing.body === body) return { action: 'unchanged', comment: existing, truncated };
  if (existing) return { action: 'updated', comment: await thread.update(existing.id, body), truncated };
  const created = await thread.create(body, async () => (await findMarked(thread, marker)) === undefined);
  return { action: 'created', comment: created, truncated };
}

/** The comment whose body is `body` (after a create whose answer was lost but which took effect). */
export async function findBody(pages: AsyncIterable<ThreadComment[]>, body: string): Promise<ThreadComment> {
  for await (const page of pages) {
    const hit = page.find((c) => c.body === body);
    if (hit) return hit;
  }
  throw new FlowgateError('REVIEW_API', 'the comment was created but could not be found again');
}
