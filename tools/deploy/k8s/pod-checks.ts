import { describeObject, type KubeObject } from './kube-object';
import type { Container, DeploymentSpec, EnvVar, HttpProbe } from './pod-spec';

/** What an app's Deployment must show, from the app's own config.ts. */
export interface PodExpectation {
  /** The app's name: the Deployment's, the container's and the image's. */
  readonly app: string;
  /** The port the app serves /healthz, /readyz and /metrics on (`healthPort` in its config.ts). */
  readonly healthPort: number;
  /** Least number of seconds between the shutdown deadline and the kubelet's SIGKILL. */
  readonly minGraceMarginS: number;
}

/** The uid the images run as (docker/Dockerfile's `USER node`). */
export const IMAGE_UID = 1000;

// A variable with such a name carries a credential: it must come from a Secret.
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|API_KEY|PRIVATE_KEY|_HASH\b|_SHA256\b|^REDIS_URL$|^DATABASE_URL$/;
// A literal value that embeds a credential whatever the variable's name (`redis://:pw@host`).
const CREDENTIAL_IN_VALUE = /\w+:\/\/[^/\s@]*:[^/\s@]+@/;

/** True when an env var's name says it holds a credential (so it must be a secretKeyRef). */
export function isSecretEnvName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The problems with one literal (env value or ConfigMap entry) named `name`; empty if none. */
export function literalSecretProblems(where: string, name: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  if (isSecretEnvName(name)) return [`${where}: ${name} is a literal; a credential must come from a Secret (secretKeyRef)`];
  if (CREDENTIAL_IN_VALUE.test(value)) return [`${where}: ${name} embeds a credential in a URL; take it from a Secret`];
  return [];
}

function portNumber(container: Container, port: string | number | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function probeProblems(where: string, container: Container, kind: string, probe: HttpProbe | undefined, path: string, healthPort: number): string[] {
  if (!probe?.httpGet) return [`${where}: no ${kind} httpGet probe`];
  const problems: string[] = [];
  if (probe.httpGet.path !== path) problems.push(`${where}: ${kind} probes ${probe.httpGet.path}, not ${path}`);
  const port = portNumber(container, probe.httpGet.port);
  if (port !== healthPort) problems.push(`${where}: ${kind} probes port ${String(probe.httpGet.port)} (${port ?? 'no such port'}), not the health port ${healthPort}`);
  return problems;
}

function envProblems(where: string, env: readonly EnvVar[]): string[] {
  const problems: string[] = [];
  for (const v of env) {
    problems.push(...literalSecretProblems(where, v.name, v.value));
    if (isSecretEnvName(v.name) && v.valueFrom && !v.valueFrom.secretKeyRef) problems.push(`${where}: ${v.name} is not taken from a Secret`);
  }
  return problems;
}

/** SHUTDOWN_TIMEOUT_MS as the container sets it, or the worker kit's default (30000). */
export function shutdownTimeoutMs(container: Container): number {
  const literal = container.env?.find((v) => v.name === 'SHUTDOWN_TIMEOUT_MS')?.value;
  return literal === undefined ? 30_000 : Number(literal);
}

/**
 * Checks an app's Deployment: one container named and imaged after the app, listening on the
 * health port, probed there (`/readyz` readiness, `/healthz` liveness) and annotated for
 * Prometheus to scrape `/metrics` there; a grace period at
 * least SHUTDOWN_TIMEOUT_MS / 1000 + `minGraceMarginS`; requests and a memory limit; non-root
 * (uid {@link IMAGE_UID}), no privilege escalation, read-only root, every capability dropped;
 * credentials only from Secrets.
 * @returns one line per problem; empty when the Deployment is as expected.
 */
export function podProblems(deployment: KubeObject, expect: PodExpectation): string[] {
  const where = describeObject(deployment);
  const spec = deployment['spec'] as DeploymentSpec | undefined;
  const pod = spec?.template?.spec;
  const container = pod?.containers?.find((c) => c.name === expect.app);
  if (!pod || !container) return [`${where}: no container named ${expect.app}`];
  const problems: string[] = [];
  if (!container.image || !new RegExp(`(^|/)${expect.app}[:@]`).test(container.image)) problems.push(`${where}: image ${container.image} is not ${expect.app}:<tag>`);
  if (!container.ports?.some((p) => p.name === 'health' && p.containerPort === expect.healthPort)) problems.push(`${where}: no port named health on ${expect.healthPort}`);
  const annotations = spec?.template?.metadata?.annotations ?? {};
  const scrape = { scrape: annotations['prometheus.io/scrape'], port: annotations['prometheus.io/port'], path: annotations['prometheus.io/path'] };
  if (scrape.scrape !== 'true' || scrape.port !== String(expect.healthPort) || scrape.path !== '/metrics')
    problems.push(`${where}: pods are not annotated for Prometheus to scrape /metrics on ${expect.healthPort} (${JSON.stringify(scrape)})`);
  problems.push(...probeProblems(where, container, 'readiness', container.readinessProbe, '/readyz', expect.healthPort));
  problems.push(...probeProblems(where, container, 'liveness', container.livenessProbe, '/healthz', expect.healthPort));

  const timeoutMs = shutdownTimeoutMs(container);
  const graceS = pod.terminationGracePeriodSeconds;
  if (!Number.isFinite(timeoutMs)) problems.push(`${where}: SHUTDOWN_TIMEOUT_MS is not a number`);
  else if (graceS === undefined || graceS < Math.ceil(timeoutMs / 1000) + expect.minGraceMarginS)
    problems.push(`${where}: terminationGracePeriodSeconds ${graceS} is not SHUTDOWN_TIMEOUT_MS ${timeoutMs} ms / 1000 + ${expect.minGraceMarginS} s or more`);

  const { requests, limits } = container.resources ?? {};
  if (requests?.['cpu'] === undefined || requests?.['memory'] === undefined) problems.push(`${where}: no cpu and memory requests`);
  if (limits?.['memory'] === undefined) problems.push(`${where}: no memory limit`);

  for (const c of pod.containers ?? []) {
    const sc = { ...pod.securityContext, ...c.securityContext };
    if (sc.runAsNonRoot !== true) problems.push(`${where}: container ${c.name} may run as root (runAsNonRoot is not true)`);
    if (sc.runAsUser !== IMAGE_UID) problems.push(`${where}: container ${c.name} runs as uid ${sc.runAsUser}, not ${IMAGE_UID}`);
    if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${where}: container ${c.name} allows privilege escalation`);
    if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${where}: container ${c.name} has a writable root filesystem`);
    if (!c.securityContext?.capabilities?.drop?.includes('ALL')) problems.push(`${where}: container ${c.name} does not drop ALL capabilities`);
    problems.push(...envProblems(where, c.env ?? []));
  }
  return problems;
}
