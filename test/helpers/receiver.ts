/** A plain HTTP server on 127.0.0.1 that records every request and answers as a handler says. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Answers a request (default: 204). */
export type Answer = (req: Received, res: ServerResponse) => void;

/** Starts the server; `close()` stops it. */
export async function startReceiver(answer: Answer = (_r, res) => res.writeHead(204).end()) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const r = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      received.push(r);
      answer(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An answer that redirects every request to `location` with `status`. */
export const redirectTo =
  (location: string, status = 307): Answer =>
  (_r, res) =>
    res.writeHead(status, { location }).end();
