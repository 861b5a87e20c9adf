import { describeObject, type KubeObject } from './kube-object';
import type { Container, DeploymentSpec } from './pod-spec';

/** What a worker's companions (budget, metrics Service, ScaledObject) must show. */
export interface WorkerExpectation {
  /** The worker app, e.g. `seo-worker`: its Deployment, budget and ScaledObject are named so. */
  readonly app: string;
  /** Its queue, e.g. `seo`: the `queue` label of `bullmq_queue_jobs` the scaler reads. */
  readonly queue: string;
  readonly healthPort: number;
  /** WORKER_CONCURRENCY's default in the app's config.ts. */
  readonly defaultConcurrency: number;
}

interface ScaledObjectSpec {
  readonly scaleTargetRef?: { readonly name?: string; readonly kind?: string };
  readonly minReplicaCount?: number;
  readonly maxReplicaCount?: number;
  readonly cooldownPeriod?: number;
  readonly fallback?: { readonly failureThreshold?: number; readonly replicas?: number };
  readonly triggers?: readonly { readonly type?: string; readonly metadata?: Readonly<Record<string, string>> }[];
}

/** The states that make a queue's backlog: jobs a worker slot must take or is running. */
export const BACKLOG_STATES = ['waiting', 'prioritized', 'active'] as const;

const find = (objects: readonly KubeObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

function selects(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The concurrency a worker's container runs with: WORKER_CONCURRENCY if set, else its default. */
export function effectiveConcurrency(container: Container | undefined, defaultConcurrency: number): number {
  const literal = container?.env?.find((v) => v.name === 'WORKER_CONCURRENCY')?.value;
  return literal === undefined ? defaultConcurrency : Number(literal);
}

/**
 * Checks the objects that go with a worker's Deployment: a PodDisruptionBudget and a Service
 * (port named `metrics` → the health port) selecting its pods, and a KEDA ScaledObject on the
 * Deployment with minReplicaCount ≥ 1, maxReplicaCount ≥ it, a fallback within them, and one
 * `prometheus` trigger whose query sums the queue's waiting, prioritized and active jobs and
 * whose threshold is the worker's concurrency (so replicas = ceil(backlog / concurrency)), read
 * from the exporter in `namespace` only (a `namespace="…"` matcher: one Prometheus may scrape
 * several deployments, whose backlogs must not add up).
 * @returns one line per problem; empty when all is as expected.
 */
export function workerProblems(objects: readonly KubeObject[], expect: WorkerExpectation, namespace: string): string[] {
  const problems: string[] = [];
  const deployment = find(objects, 'Deployment', expect.app);
  if (!deployment) return [`Deployment/${expect.app} is missing`];
  const spec = deployment['spec'] as DeploymentSpec;
  const podLabels = spec.template?.metadata?.labels;
  const container = spec.template?.spec?.containers?.find((c) => c.name === expect.app);

  const pdb = find(objects, 'PodDisruptionBudget', expect.app);
  if (!pdb) problems.push(`PodDisruptionBudget/${expect.app} is missing`);
  else {
    const s = pdb['spec'] as { selector?: { matchLabels?: Record<string, string> }; minAvailable?: unknown; maxUnavailable?: unknown };
    if (!selects(s.selector?.matchLabels, podLabels)) problems.push(`${describeObject(pdb)} does not select ${expect.app}'s pods`);
    if (s.minAvailable === undefined && s.maxUnavailable === undefined) problems.push(`${describeObject(pdb)} sets neither minAvailable nor maxUnavailable`);
  }

  const service = find(objects, 'Service', `${expect.app}-metrics`);
  if (!service) problems.push(`Service/${expect.app}-metrics is missing`);
  else {
    const s = service['spec'] as { selector?: Record<string, string>; ports?: { name?: string; port?: number; targetPort?: string | number }[] };
    if (!selects(s.selector, podLabels)) problems.push(`${describeObject(service)} does not select ${expect.app}'s pods`);
    const metrics = s.ports?.find((p) => p.name === 'metrics');
    const target = metrics?.targetPort === 'health' ? expect.healthPort : metrics?.targetPort;
    if (!metrics || target !== expect.healthPort) problems.push(`${describeObject(service)} has no port named metrics to the health port ${expect.healthPort}`);
  }

  const scaled = find(objects, 'ScaledObject', expect.app);
  if (!scaled) return [...problems, `ScaledObject/${expect.app} is missing`];
  const where = describeObject(scaled);
  const so = scaled['spec'] as ScaledObjectSpec;
  if (so.scaleTargetRef?.name !== expect.app || (so.scaleTargetRef.kind ?? 'Deployment') !== 'Deployment') problems.push(`${where} does not scale Deployment/${expect.app}`);
  const min = so.minReplicaCount ?? 0;
  const max = so.maxReplicaCount ?? 100;
  // Delayed jobs, retries and repeatable jobs are promoted to waiting by a running worker.
  if (min < 1) problems.push(`${where}: minReplicaCount ${min} < 1 leaves delayed and repeatable jobs unpromoted`);
  if (max < min) problems.push(`${where}: maxReplicaCount ${max} < minReplicaCount ${min}`);
  const fallback = so.fallback?.replicas;
  if (fallback === undefined || fallback < min || fallback > max) problems.push(`${where}: fallback replicas ${fallback} not within ${min}..${max}`);
  const triggers = so.triggers ?? [];
  const prometheus = triggers.filter((t) => t.type === 'prometheus');
  if (triggers.length !== 1 || prometheus.length !== 1) problems.push(`${where}: expected exactly one trigger, of type prometheus`);
  const meta = prometheus[0]?.metadata ?? {};
  const query = meta['query'] ?? '';
  if (!query.includes('bullmq_queue_jobs{') || !query.includes(`queue="${expect.queue}"`)) problems.push(`${where}: query does not read bullmq_queue_jobs of queue ${expect.queue}`);
  const namespaces = [...query.matchAll(/\bnamespace="([^"]*)"/g)].map((m) => m[1]);
  if (namespaces.length !== 1 || namespaces[0] !== namespace) problems.push(`${where}: query reads namespace ${namespaces.join(', ') || '(any)'}, not only ${namespace}`);
  const states = /state=~"([^"]*)"/.exec(query)?.[1]?.split('|').sort() ?? [];
  if (states.join('|') !== [...BACKLOG_STATES].sort().join('|')) problems.push(`${where}: query sums states ${states.join('|') || '(none)'}, not ${BACKLOG_STATES.join('|')}`);
  if (!/^sum\(/.test(query)) problems.push(`${where}: query does not sum the states into one value`);
  if (!meta['serverAddress']) problems.push(`${where}: no serverAddress`);
  const concurrency = effectiveConcurrency(container, expect.defaultConcurrency);
  if (meta['threshold'] !== String(concurrency)) problems.push(`${where}: threshold ${meta['threshold']} is not the worker's concurrency ${concurrency}`);
  if (meta['ignoreNullValues'] !== 'false') problems.push(`${where}: ignoreNullValues is not "false" (an empty answer would read as no backlog instead of using the fallback)`);
  return problems;
}
