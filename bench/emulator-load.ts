/**
 * Child process: a keep-alive HTTP load generator against a running emulator. Prints requests per
 * second. Usage: emulator-load.ts <baseUrl> <token> <path> <seconds> <concurrency>
 */
import http from 'node:http';

const [base, token, path, seconds, concurrency] = process.argv.slice(2);
const url = new URL(path!, base);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const deadline = Date.now() + Number(seconds) * 1000;
let ok = 0;
let failed = 0;
function one(): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        agent,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) ok++;
          else failed++;
          resolve();
        });
      },
    );
    req.on('error', () => {
      failed++;
      resolve();
    });
  });
}
async function worker(): Promise<void> {
  while (Date.now() < deadline) await one();
}
const started = Date.now();
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
const elapsed = (Date.now() - started) / 1000;
agent.destroy();
process.stdout.write(JSON.stringify({ rps: ok / elapsed, ok, failed, seconds: elapsed }));
