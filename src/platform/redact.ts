/**
 * Redaction: secrets and tokens must never appear in an error, log line, ledger row, audit entry
 * or webhook (octokit's RequestError redacts the same way).
 */

const REDACTED = '[REDACTED]';

/** Removes every known secret and any credential-looking fragment from a string. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a value that must never be shown (client secret, access token). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  /** Forgets a value (an old token). Keeping it is harmless; this only bounds memory. */
  delete(secret: string): void {
    this.secrets.delete(secret);
  }

  /** Redacts a string. */
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return redactPatterns(out);
  }

  /** Redacts every string inside a JSON-like value. */
  redactValue<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value) ?? 'null')) as T;
  }
}

/** Redacts Authorization values and credential query/form parameters even when the secret is unknown. */
export function redactPatterns(text: string): string {
  return (
    text
      .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`)
      .replace(/\b(access_token|client_secret|refresh_token|password)=([^&\s"']+)/gi, `$1=${REDACTED}`)
      // A presigned upload URL is a credential until it expires (S3 SigV4 query parameters).
      .replace(/\b(X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=([^&\s"']+)/gi, `$1=${REDACTED}`)
      .replace(
        /("(?:access_token|client_secret|clientSecret|refresh_token|password)"\s*:\s*)"[^"]*"/gi,
        `$1"${REDACTED}"`,
      )
  );
}
