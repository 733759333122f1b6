/**
 * Standard input, read within a limit: a command that reads `-` stops at `maxBytes` instead of
 * holding whatever a pipe sends (`cat huge.bin | flowgate validate -`) in memory first.
 */
import { ConfigError } from '../errors.js';

/**
 * The bytes of stdin, at most `maxBytes`.
 * @throws {ConfigError} `CONFIG_READ` naming the limit and `hint` once stdin holds more.
 */
export async function readStdin(
  maxBytes: number,
  hint: string,
  input: AsyncIterable<Buffer | string> = process.stdin,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > maxBytes)
      throw new ConfigError('CONFIG_READ', `stdin holds more than ${maxBytes} bytes`, { hint });
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}
