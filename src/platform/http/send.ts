/**
 * The innermost layer: one HTTP attempt over an injectable `fetch` (as octokit's `request` is),
 * with a per-attempt timeout. It knows nothing of Genesys, tokens or retries; the layers around
 * it (`auth.ts`, `throttle.ts`, `retry.ts`) wrap a {@link Send}.
 *
 * It follows no redirect. Fetch follows them by default, and a followed redirect skips every check
 * made on the URL first (https unless loopback, the storage host of a presigned upload) while it
 * carries the body along: a webhook's signed event, a YAML upload. None of the endpoints flowgate
 * calls answers with one (the Platform API, its token endpoint, S3 presigned uploads, webhook
 * receivers), so `redirect: 'manual'` hands the 3xx back (Node's fetch, undici, returns the real
 * response, Location included) and it becomes a {@link RedirectRefusedError}.
 */

/** One HTTP request, fully formed. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Read the body as bytes (`HttpResponse.bytes`): an export job's zip is not text. */
  binary?: boolean;
}

/** A response whose body has been read. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body's bytes, for a request that asked for them (`binary`); `text` is then empty. */
  bytes?: Uint8Array;
}

/** Sends one attempt; throws {@link TransportError} when no response came. */
export type Send = (request: HttpRequest) => Promise<HttpResponse>;

/** No response: the attempt timed out, the connection failed, or the caller aborted. */
export class TransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network' | 'aborted',
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'TransportError';
  }
}

/** A 3xx answer: flowgate follows no redirect (the request went nowhere else). */
export class RedirectRefusedError extends Error {
  constructor(
    readonly status: number,
    /** The origin the redirect pointed to (never its path or query: they may carry credentials). */
    readonly toOrigin: string | undefined,
  ) {
    super(`answered ${status}, a redirect${toOrigin ? ` to ${toOrigin}` : ''}; flowgate follows no redirect`);
    this.name = 'RedirectRefusedError';
  }
}

/** True for the statuses fetch would follow (300–399 but 304 Not Modified, which is no redirect). */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/** The origin a `Location` header points to, resolved against the request URL. */
export function locationOrigin(location: string | null, requestUrl: string): string | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, requestUrl).origin;
  } catch {
    return undefined;
  }
}

/** Options of {@link fetchSender}. */
export interface FetchSenderOptions {
  fetch?: typeof fetch;
  /** Per-attempt timeout. @default 16000 (the JS SDK's default, API.md §6.3) */
  timeoutMs?: number;
}

/** A {@link Send} over `fetch`, reading the whole body (API bodies are small JSON). */
export function fetchSender(options: FetchSenderOptions = {}): Send {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 16_000;
  return async (req) => {
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (req.signal) signals.push(req.signal);
    try {
      const res = await fetchFn(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal: AbortSignal.any(signals),
        redirect: 'manual',
      });
      // A spec-following fetch hands back an opaque redirect (status 0) instead.
      if (isRedirect(res.status) || res.type === 'opaqueredirect') {
        await res.body?.cancel().catch(() => undefined);
        throw new RedirectRefusedError(res.status, locationOrigin(res.headers.get('location'), req.url));
      }
      if (req.binary && res.status >= 200 && res.status < 300) {
        const bytes = new Uint8Array(await res.arrayBuffer());
        return { status: res.status, headers: res.headers, text: '', bytes };
      }
      const text = await res.text().catch(() => '');
      return { status: res.status, headers: res.headers, text };
    } catch (e) {
      if (e instanceof RedirectRefusedError) throw e;
      if (req.signal?.aborted) throw new TransportError('aborted', e);
      throw new TransportError((e as Error).name === 'TimeoutError' ? 'timeout' : 'network', e);
    }
  };
}
