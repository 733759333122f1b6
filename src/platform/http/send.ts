/**
 * The innermost layer: one HTTP attempt over an injectable `fetch` (as octokit's `request` is),
 * with a per-attempt timeout. It knows nothing of Genesys, tokens or retries; the layers around
 * it (`auth.ts`, `throttle.ts`, `retry.ts`) wrap a {@link Send}.
 */

/** One HTTP request, fully formed. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** A response whose body has been read. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
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
      });
      const text = await res.text().catch(() => '');
      return { status: res.status, headers: res.headers, text };
    } catch (e) {
      if (req.signal?.aborted) throw new TransportError('aborted', e);
      throw new TransportError((e as Error).name === 'TimeoutError' ? 'timeout' : 'network', e);
    }
  };
}
