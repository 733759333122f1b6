/**
 * Fault injection: per route or for all, by probability or as an exact sequence: 5xx, connection
 * resets, added latency, 429 storms. `phase: 'after'` lets the request take effect and then loses
 * the response, which is how a client learns to check before resending a publish.
 */
import { z } from 'zod';
import { compileLinearPattern, type LinearPattern } from '../flow/index.js';
import { OrgRuleError } from './errors.js';

// A fault's path runs against every request: in linear time, like the policy's naming patterns.
const PathPattern = z.string().superRefine((source, ctx) => {
  const compiled = compileLinearPattern(source);
  if ('problem' in compiled) ctx.addIssue({ code: 'custom', message: compiled.problem });
});

/** A fault rule (also accepted in the seed and on `POST /__emulator/faults`). */
export const FaultRuleSchema = z
  .object({
    id: z.string().optional(),
    /** HTTP method to match; any when absent. */
    method: z.string().optional(),
    /**
     * Regular expression over the path (without query), JavaScript syntax run in linear time
     * (no lookaround, no backreferences); any when absent.
     */
    path: PathPattern.optional(),
    action: z.enum(['status', 'reset', 'latency', 'rate-limit']).default('status'),
    status: z.number().int().min(400).max(599).optional(),
    retryAfterSeconds: z.number().min(0).optional(),
    latencyMs: z.number().min(0).optional(),
    /** Chance that a matching request is hit. @default 1 */
    probability: z.number().min(0).max(1).optional(),
    /** How many matching requests are hit; unlimited when absent. */
    times: z.number().int().positive().optional(),
    /** Matching requests let through before the rule starts. */
    skip: z.number().int().min(0).optional(),
    /** Exact outcome per matching request: 'pass', 'reset', or a status; the rule ends after the last. */
    sequence: z.array(z.union([z.literal('pass'), z.literal('reset'), z.number().int()])).optional(),
    /** `after`: run the request, then replace its response. @default 'before' */
    phase: z.enum(['before', 'after']).optional(),
  })
  .strict();

/** A fault rule. */
export type FaultRule = z.infer<typeof FaultRuleSchema>;
/** A fault rule as written (`action` defaults to `status`). */
export type FaultRuleInput = z.input<typeof FaultRuleSchema>;

/** What to do to one request. */
export type FaultDecision =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; phase: 'before' | 'after' }
  | { kind: 'reset'; phase: 'before' | 'after' }
  | { kind: 'latency'; ms: number };

/** The active fault rules. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private readonly paths = new WeakMap<FaultRule, LinearPattern>();
  private counter = 0;

  constructor(private readonly random: () => number) {}

  /**
   * Adds a rule; returns its id.
   * @throws {OrgRuleError} `invalid` when its path pattern cannot run in linear time.
   */
  add(rule: FaultRuleInput): string {
    const id = rule.id ?? `fault-${++this.counter}`;
    const r: FaultRule = { ...rule, action: rule.action ?? 'status', id };
    if (r.sequence) r.sequence = [...r.sequence];
    if (r.path !== undefined) {
      const compiled = compileLinearPattern(r.path);
      if ('problem' in compiled)
        throw new OrgRuleError('invalid', 'bad.request', [], { message: `path: ${compiled.problem}` });
      this.paths.set(r, compiled.pattern);
    }
    this.rules.push(r);
    return id;
  }

  /** Removes one rule, or all. */
  clear(id?: string): void {
    this.rules = id === undefined ? [] : this.rules.filter((r) => r.id !== id);
  }

  /** The rules still active. */
  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Decides the faults of one request (latency first, then at most one failure). */
  decide(method: string, path: string): FaultDecision[] {
    const out: FaultDecision[] = [];
    for (const rule of [...this.rules]) {
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!(this.paths.get(rule)?.test(path) ?? true)) continue;
      if (rule.skip && rule.skip > 0) {
        rule.skip--;
        continue;
      }
      const phase = rule.phase ?? 'before';
      if (rule.sequence) {
        const next = rule.sequence.shift();
        if (rule.sequence.length === 0) this.clear(rule.id);
        if (next === undefined || next === 'pass') continue;
        out.push(
          next === 'reset'
            ? { kind: 'reset', phase }
            : withRetryAfter({ kind: 'status', status: next, phase }, rule),
        );
        continue;
      }
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (rule.times !== undefined) {
        rule.times--;
        if (rule.times <= 0) this.clear(rule.id);
      }
      switch (rule.action) {
        case 'latency':
          out.push({ kind: 'latency', ms: rule.latencyMs ?? 1000 });
          break;
        case 'reset':
          out.push({ kind: 'reset', phase });
          break;
        case 'rate-limit':
          out.push({ kind: 'status', status: 429, retryAfterSeconds: rule.retryAfterSeconds ?? 1, phase });
          break;
        default:
          out.push(withRetryAfter({ kind: 'status', status: rule.status ?? 503, phase }, rule));
      }
    }
    return out;
  }
}

function withRetryAfter(
  d: { kind: 'status'; status: number; phase: 'before' | 'after' },
  rule: FaultRule,
): FaultDecision {
  return d.status === 429 || rule.retryAfterSeconds !== undefined
    ? { ...d, retryAfterSeconds: rule.retryAfterSeconds ?? 1 }
    : d;
}
