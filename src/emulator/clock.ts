/**
 * The simulated clock: real time by default; faster than real time for demos; advanceable by tests.
 */
import type { Clock } from '../shared/time.js';

/** Simulated epoch milliseconds over a real clock (injected: `Date.now` by default). */
export class SimClock {
  private anchorReal: number;
  private anchorSim: number;

  constructor(
    private speed = 1,
    private readonly realNow: Clock = Date.now,
  ) {
    this.anchorReal = realNow();
    this.anchorSim = this.anchorReal;
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    return Math.floor(this.anchorSim + (this.realNow() - this.anchorReal) * this.speed);
  }

  /** Changes the speed from now on. */
  setSpeed(speed: number): void {
    const now = this.now();
    this.anchorReal = this.realNow();
    this.anchorSim = now;
    this.speed = speed;
  }

  /** Jumps forward. */
  advance(ms: number): void {
    this.anchorSim += ms;
  }

  /** Jumps forward to an absolute time (never back: what happened stays in the past). */
  advanceTo(epochMs: number): void {
    this.advance(Math.max(0, epochMs - this.now()));
  }

  /** The current speed. */
  get currentSpeed(): number {
    return this.speed;
  }
}
