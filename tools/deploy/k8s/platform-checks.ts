import { describeObject, type KubeObject } from './kube-object';
import { literalSecretProblems, podProblems } from './pod-checks';
import type { DeploymentSpec } from './pod-spec';
import { workerProblems, type WorkerExpectation } from './worker-checks';

/** What a rendered overlay must contain. */
export interface PlatformExpectation {
  readonly workers: readonly WorkerExpectation[];
  /** The dashboard's health port and UI port (apps/dashboard/src/config.ts). */
  readonly dashboard: { readonly healthPort: number; readonly uiPort: number };
  /** The namespace every namespaced object is in. */
  readonly namespace: string;
  /** Least seconds between SHUTDOWN_TIMEOUT_MS and the grace period's end. */
  readonly minGraceMarginS: number;
}

/** The Secret-backed variables the dashboard needs (see apps/dashboard/src/config.ts). */
export const DASHBOARD_SECRET_VARIABLES = ['DASHBOARD_SESSION_SECRET', 'DASHBOARD_ADMIN_PASSWORD_HASH', 'DASHBOARD_VIEWER_PASSWORD_HASH', 'DASHBOARD_ADMIN_TOKEN_SHA256', 'DASHBOARD_VIEWER_TOKEN_SHA256', 'REDIS_URL'];

function dashboardProblems(objects: readonly KubeObject[], expect: PlatformExpectation): string[] {
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'dashboard');
  if (!deployment) return ['Deployment/dashboard is missing'];
  const problems = podProblems(deployment, { app: 'dashboard', healthPort: expect.dashboard.healthPort, minGraceMarginS: expect.minGraceMarginS });
  const spec = deployment['spec'] as DeploymentSpec;
  // The one exporter of queue depth: two would double nothing (the queries take max by state),
  // but KEDA must not scale it, and one is what it is sized for.
  if (spec.replicas !== 1) problems.push(`Deployment/dashboard has ${spec.replicas} replicas, not 1`);
  if (objects.some((o) => o.kind === 'ScaledObject' && (o['spec'] as { scaleTargetRef?: { name?: string } }).scaleTargetRef?.name === 'dashboard')) problems.push('Deployment/dashboard is scaled by a ScaledObject');
  const container = spec.template?.spec?.containers?.find((c) => c.name === 'dashboard');
  if (!container?.ports?.some((p) => p.name === 'ui' && p.containerPort === expect.dashboard.uiPort)) problems.push(`Deployment/dashboard has no port named ui on ${expect.dashboard.uiPort}`);
  for (const name of DASHBOARD_SECRET_VARIABLES) {
    if (!container?.env?.find((v) => v.name === name)?.valueFrom?.secretKeyRef) problems.push(`Deployment/dashboard: ${name} is not taken from a Secret`);
  }
  const metrics = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'dashboard-metrics');
  const port = (metrics?.['spec'] as { ports?: { name?: string; port?: number }[] } | undefined)?.ports?.find((p) => p.name === 'metrics');
  if (port?.port !== expect.dashboard.healthPort) problems.push(`Service/dashboard-metrics has no port named metrics on ${expect.dashboard.healthPort}`);
  return problems;
}

/**
 * Checks a rendered overlay as a whole: every worker's Deployment ({@link podProblems}) and its
 * companions ({@link workerProblems}), the dashboard, every Deployment non-root and probed, every
 * namespaced object in `namespace`, no Secret objects (Secrets are created in the cluster, never
 * rendered from the repository) and no credential in a ConfigMap.
 * @returns one line per problem; empty when the overlay is as expected.
 */
export function platformProblems(objects: readonly KubeObject[], expect: PlatformExpectation): string[] {
  const problems: string[] = [];
  for (const worker of expect.workers) {
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === worker.app);
    if (deployment) problems.push(...podProblems(deployment, { app: worker.app, healthPort: worker.healthPort, minGraceMarginS: expect.minGraceMarginS }));
    problems.push(...workerProblems(objects, worker, expect.namespace));
  }
  problems.push(...dashboardProblems(objects, expect));
  const known = new Set(['dashboard', ...expect.workers.map((w) => w.app)]);
  for (const o of objects) {
    if (o.kind === 'Deployment' && !known.has(o.metadata.name)) problems.push(`${describeObject(o)} belongs to no known app`);
    if (o.kind === 'Secret') problems.push(`${describeObject(o)} is rendered from the repository; create Secrets in the cluster`);
    if (o.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries((o['data'] as Record<string, string> | undefined) ?? {})) problems.push(...literalSecretProblems(describeObject(o), key, value));
    }
    if (o.kind !== 'Namespace' && o.metadata.namespace !== expect.namespace) problems.push(`${describeObject(o)} is in namespace ${o.metadata.namespace}, not ${expect.namespace}`);
  }
  return problems;
}
