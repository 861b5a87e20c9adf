import type { Redis } from 'ioredis';
import { checkEvictionPolicy } from './check-eviction-policy';
import type { Logger } from './logger-type';

/** Options of {@link EvictionGate}. */
export interface EvictionGateOptions {
  /** A connection of its own to ask Redis on (the readiness probe's). */
  readonly probe: Redis;
  readonly log: Logger;
  /** Take jobs on an evicting Redis anyway (`WORKER_ALLOW_EVICTING_REDIS`). */
  readonly allowEvicting: boolean;
  /** Called each time the policy is found acceptable: start or resume taking jobs. */
  readonly open: () => void;
  /** Called when an evicting policy is found: stop taking jobs. */
  readonly close: () => void;
}

/**
 * Keeps a worker from taking jobs on a Redis that may evict them. Asked at start and again
 * whenever the probe connection (re)connects (a failover may land on another server) and while
 * closed at each readiness probe (an operator may fix the policy without restarting workers):
 *
 * - `noeviction` → open;
 * - any other policy → closed, with a reason for `/readyz` naming the policy, unless
 *   `allowEvicting`, which opens with one warning;
 * - `CONFIG` refused (managed Redis) → open, said once at info level.
 * Until Redis has answered once the gate is closed with "not checked yet".
 */
export class EvictionGate {
  private blockReason: string | undefined = 'Redis maxmemory-policy not checked yet';
  private checking: Promise<void> | undefined;
  private saidRefused = false;
  private warnedAllowed = false;

  constructor(private readonly options: EvictionGateOptions) {}

  /** Why jobs are not taken, or undefined when they are. */
  get reason(): string | undefined {
    return this.blockReason;
  }

  /** Asks Redis now (one question at a time); a connection error leaves the gate as it was. */
  check(): Promise<void> {
    this.checking ??= this.run().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async run(): Promise<void> {
    const { probe, log, allowEvicting } = this.options;
    let reading;
    try {
      reading = await checkEvictionPolicy(probe);
    } catch (err) {
      log.debug({ err }, 'could not ask Redis for its maxmemory-policy yet');
      return;
    }
    if (reading.kind === 'refused') {
      if (!this.saidRefused) {
        log.info(
          { reason: reading.reason },
          'Redis refused CONFIG GET maxmemory-policy (managed Redis?): taking jobs; make sure its policy is noeviction',
        );
        this.saidRefused = true;
      }
    } else if (reading.evicting && !allowEvicting) {
      const reason = `Redis maxmemory-policy is "${reading.policy}", not "noeviction": it may evict job keys, so no jobs are taken (set WORKER_ALLOW_EVICTING_REDIS=true to take them anyway)`;
      if (this.blockReason !== reason) log.error({ maxmemoryPolicy: reading.policy }, reason);
      this.blockReason = reason;
      this.options.close();
      return;
    } else if (reading.evicting && !this.warnedAllowed) {
      log.warn(
        { maxmemoryPolicy: reading.policy },
        `Redis maxmemory-policy is "${reading.policy}", not "noeviction": taking jobs anyway (WORKER_ALLOW_EVICTING_REDIS); Redis may evict job keys under memory pressure`,
      );
      this.warnedAllowed = true;
    }
    if (this.blockReason) log.info('Redis eviction policy checked: taking jobs');
    this.blockReason = undefined;
    this.options.open();
  }
}
