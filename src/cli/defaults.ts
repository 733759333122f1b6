/** Default places of the CLI's files, beside the work (light: the command specs read them at start-up). */
import { join } from 'node:path';

/** The audit log. */
export const DEFAULT_AUDIT_LOG = join('.flowgate', 'audit.jsonl');
/** The undelivered webhook events. */
export const DEFAULT_DEAD_LETTER = join('.flowgate', 'dead-letter.jsonl');
/** The deployment manifest. */
export const DEFAULT_MANIFEST = 'flowgate.yaml';
