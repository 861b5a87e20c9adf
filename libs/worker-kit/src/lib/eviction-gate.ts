import type { AppRedis } from './connect-app-redis';
import type { Logger } from './logger-type';
import { readEvictionPolicies, type NodeEvictionPolicy } from './read-eviction-policies';

/** Options of {@link EvictionGate}. */
export interface EvictionGateOptions {
  /** A connection of its own to ask Redis on (the readiness probe's): a `Redis`, or a `Cluster` in cluster mode. */
  readonly probe: AppRedis;
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
 *
 * On a Redis Cluster every master is asked (see `readEvictionPolicies`) and each answer is judged
 * as above: one evicting master closes the gate, the reason naming it (`host:port`); a refusing
 * master counts as acceptable and is named once; the gate opens only when every master answered.
 * `runWorkerApp` asks a cluster again at every readiness probe, open or closed (see `RedisProbe`).
 */
export class EvictionGate {
  private blockReason: string | undefined = 'Redis maxmemory-policy not checked yet';
  private checking: Promise<void> | undefined;
  /** Servers whose refusal was said (`''` for a standalone Redis). */
  private readonly saidRefused = new Set<string>();
  /** Servers whose evicting policy was warned about under `allowEvicting`. */
  private readonly warnedAllowed = new Set<string>();

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
    let answers: NodeEvictionPolicy[];
    try {
      answers = await readEvictionPolicies(probe);
    } catch (err) {
      log.debug({ err }, 'could not ask Redis for its maxmemory-policy yet');
      return;
    }
    const refused: { node: string | undefined; reason: string }[] = [];
    const evicting: { node: string | undefined; policy: string }[] = [];
    const unanswered: { node: string; error: Error }[] = [];
    for (const answer of answers) {
      if ('error' in answer) unanswered.push(answer);
      else if (answer.reading.kind === 'refused') refused.push({ node: answer.node, reason: answer.reading.reason });
      else if (answer.reading.evicting) evicting.push({ node: answer.node, policy: answer.reading.policy });
    }
    this.sayRefused(refused);
    if (evicting.length > 0 && !allowEvicting) {
      const reason = `Redis maxmemory-policy is ${evicting.map(({ node, policy }) => `"${policy}"${node ? ` on ${node}` : ''}`).join(', ')}, not "noeviction": it may evict job keys, so no jobs are taken (set WORKER_ALLOW_EVICTING_REDIS=true to take them anyway)`;
      if (this.blockReason !== reason) log.error(policyFields(evicting), reason);
      this.blockReason = reason;
      this.options.close();
      return;
    }
    if (unanswered.length > 0) {
      // A master that did not answer may be evicting: the gate stays as it was until it answers.
      log.debug({ nodes: Object.fromEntries(unanswered.map(({ node, error }) => [node, error.message])) }, 'could not ask every Redis Cluster master for its maxmemory-policy yet');
      return;
    }
    const unwarned = evicting.filter(({ node }) => !this.warnedAllowed.has(node ?? ''));
    if (unwarned.length > 0) {
      const where = unwarned.map(({ node, policy }) => `"${policy}"${node ? ` on ${node}` : ''}`).join(', ');
      log.warn(
        policyFields(unwarned),
        `Redis maxmemory-policy is ${where}, not "noeviction": taking jobs anyway (WORKER_ALLOW_EVICTING_REDIS); Redis may evict job keys under memory pressure`,
      );
      for (const { node } of unwarned) this.warnedAllowed.add(node ?? '');
    }
    if (this.blockReason) log.info('Redis eviction policy checked: taking jobs');
    this.blockReason = undefined;
    this.options.open();
  }

  /** Says once per server that it refused `CONFIG GET` (managed Redis): jobs are taken on it regardless. */
  private sayRefused(refused: readonly { node: string | undefined; reason: string }[]): void {
    const unsaid = refused.filter(({ node }) => !this.saidRefused.has(node ?? ''));
    if (unsaid.length === 0) return;
    for (const { node } of unsaid) this.saidRefused.add(node ?? '');
    const [first] = unsaid;
    if (unsaid.length === 1 && first?.node === undefined) {
      this.options.log.info(
        { reason: first?.reason },
        'Redis refused CONFIG GET maxmemory-policy (managed Redis?): taking jobs; make sure its policy is noeviction',
      );
      return;
    }
    this.options.log.info(
      { reasons: Object.fromEntries(unsaid.map(({ node, reason }) => [node, reason])) },
      `Redis refused CONFIG GET maxmemory-policy on ${unsaid.map(({ node }) => node).join(', ')} (managed Redis?): taking jobs there; make sure their policy is noeviction`,
    );
  }
}

/**
 * Log fields of evicting servers: `maxmemoryPolicy` (the first one's, as a standalone Redis has
 * only one) and, on a cluster, `maxmemoryPolicies` by `host:port`.
 */
function policyFields(evicting: readonly { node: string | undefined; policy: string }[]): Record<string, unknown> {
  const fields: Record<string, unknown> = { maxmemoryPolicy: evicting[0]?.policy };
  if (evicting.some(({ node }) => node !== undefined)) fields['maxmemoryPolicies'] = Object.fromEntries(evicting.map(({ node, policy }) => [node, policy]));
  return fields;
}
