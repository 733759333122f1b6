/**
 * A plain HTTP proxy on 127.0.0.1 in front of an emulator, for tests that must act at an exact
 * moment: after the org has answered a request (its effect has happened) and before the answer
 * reaches the client. The Host header is kept, so the emulator's presigned upload URLs point at
 * the proxy too and uploads pass through it like every API call.
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';

/** One answer of the org, as the proxy holds it back. */
export interface HeldAnswer {
  method: string;
  /** The path without the query. */
  path: string;
  status: number;
  /** The headers the client sent (its Authorization among them). */
  requestHeaders: IncomingHttpHeaders;
}

/** An answer the proxy gives instead of the org's. */
export interface ForgedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A running proxy. */
export interface CutProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a proxy to `target` (an `http://127.0.0.1:port` origin). `onAnswer` sees every answer
 * before it is relayed; returning `'drop'` closes the client's connection instead (the client
 * never learns the outcome), and a {@link ForgedAnswer} is sent in place of the org's.
 */
export async function cutProxy(
  target: string,
  onAnswer: (a: HeldAnswer) => 'relay' | 'drop' | ForgedAnswer,
): Promise<CutProxy> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (d: Buffer) => body.push(d));
          answer.on('end', () => {
            const held = {
              method: req.method ?? 'GET',
              path: (req.url ?? '/').split('?')[0]!,
              status: answer.statusCode ?? 0,
              requestHeaders: req.headers,
            };
            const decision = onAnswer(held);
            if (decision === 'drop') return void req.socket.destroy();
            if (decision !== 'relay') {
              res.writeHead(decision.status, decision.headers ?? {});
              return void res.end(decision.body ?? '');
            }
            res.writeHead(answer.statusCode ?? 502, relayHeaders(answer.headers));
            res.end(Buffer.concat(body));
          });
        },
      );
      out.on('error', () => req.socket.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** The answer's headers without the hop-by-hop ones (the body is relayed whole). */
function relayHeaders(h: IncomingHttpHeaders): IncomingHttpHeaders {
  const { connection: _c, 'transfer-encoding': _t, 'keep-alive': _k, ...rest } = h;
  return rest;
}
