// Renders docker/k8s's overlays with kustomize (kubectl kustomize, as CI does) and checks every
// object against the Kubernetes and KEDA schemas, then what the schemas cannot say: probes on
// each app's own health port, grace periods past the shutdown deadline, KEDA thresholds equal to
// the workers' concurrency, credentials only from Secrets, non-root pods. Each check is shown to
// fail on a manifest broken on purpose.
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KubeObject } from './deploy/k8s/kube-object';
import { KustomizeNotFoundError } from './deploy/k8s/kustomize-not-found-error';
import { KustomizeRenderError } from './deploy/k8s/kustomize-render-error';
import { platformProblems, type PlatformExpectation } from './deploy/k8s/platform-checks';
import type { DeploymentSpec } from './deploy/k8s/pod-spec';
import { findKustomizeRenderer, renderKustomization, type KustomizeRenderer } from './deploy/k8s/render-kustomization';
import { schemaErrors } from './deploy/k8s/schema-errors';
import { unknownFieldErrors } from './deploy/k8s/unknown-field-errors';
import type { WorkerExpectation } from './deploy/k8s/worker-checks';

const ROOT = resolve(__dirname, '..');
const K8S = join(ROOT, 'docker/k8s');
const MIN_GRACE_MARGIN_S = 10;

/** An app's defaults object, as its config.ts exports it (`SEO_WORKER_DEFAULTS`, …). */
function appDefaults(app: string): { healthPort: number; concurrency?: number; httpPort?: number } {
  const exports = require(join(ROOT, 'apps', app, 'src/config.ts')) as Record<string, unknown>;
  const defaults = Object.entries(exports).find(([name, v]) => name.endsWith('_DEFAULTS') && typeof v === 'object' && v !== null && 'healthPort' in v);
  if (!defaults) throw new Error(`apps/${app}/src/config.ts exports no *_DEFAULTS with a healthPort`);
  return defaults[1] as { healthPort: number; concurrency?: number; httpPort?: number };
}

const WORKERS: WorkerExpectation[] = readdirSync(join(ROOT, 'apps'))
  .filter((name) => name.endsWith('-worker'))
  .sort()
  .map((app) => {
    const d = appDefaults(app);
    if (d.concurrency === undefined) throw new Error(`${app}'s defaults have no concurrency`);
    return { app, queue: app.slice(0, -'-worker'.length), healthPort: d.healthPort, defaultConcurrency: d.concurrency };
  });
const DASHBOARD = appDefaults('dashboard');

const OVERLAYS = {
  dev: { namespace: 'jobs-dev' },
  prod: { namespace: 'jobs' },
} as const;
type Overlay = keyof typeof OVERLAYS;

function expectation(overlay: Overlay): PlatformExpectation {
  return { workers: WORKERS, dashboard: { healthPort: DASHBOARD.healthPort, uiPort: DASHBOARD.httpPort ?? 3000 }, namespace: OVERLAYS[overlay].namespace, minGraceMarginS: MIN_GRACE_MARGIN_S };
}

const allProblems = (objects: readonly KubeObject[], overlay: Overlay) => [...objects.flatMap(schemaErrors), ...platformProblems(objects, expectation(overlay))];
const deployments = (objects: readonly KubeObject[]) => objects.filter((o) => o.kind === 'Deployment');
const podSpec = (o: KubeObject) => (o['spec'] as DeploymentSpec).template?.spec;
const ofKind = (objects: readonly KubeObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not rendered`);
  return found as KubeObject & { spec: Record<string, unknown> };
};

let renderer: KustomizeRenderer;
const rendered = {} as Record<Overlay, KubeObject[]>;

beforeAll(() => {
  // Fails (does not skip) with what to install when no kustomize v5 is on PATH.
  renderer = findKustomizeRenderer();
  for (const overlay of Object.keys(OVERLAYS) as Overlay[]) rendered[overlay] = renderKustomization(join(K8S, 'overlays', overlay), renderer);
});

describe.each(Object.keys(OVERLAYS) as Overlay[])('docker/k8s/overlays/%s', (overlay) => {
  it('renders, and every object is valid against the Kubernetes or KEDA schema of its kind', () => {
    const objects = rendered[overlay];
    const kinds = objects.map((o) => o.kind);
    // 6 workers × (Deployment, PDB, Service, ScaledObject) + dashboard's Deployment and 2 Services
    // + the shared ConfigMap + the Namespace.
    expect({ workers: WORKERS.length, objects: objects.length }).toEqual({ workers: 6, objects: 6 * 4 + 3 + 2 });
    expect(new Set(kinds)).toEqual(new Set(['Namespace', 'ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service', 'ScaledObject']));
    expect(objects.flatMap(schemaErrors)).toEqual([]);
  });

  it('has no field that its kind does not know (the schemas let unknown fields through)', () => {
    expect(unknownFieldErrors(rendered[overlay])).toEqual([]);
  });

  it('every worker has its Deployment, budget, metrics Service and ScaledObject, each as its app needs; the dashboard is one unscaled pod', () => {
    expect(platformProblems(rendered[overlay], expectation(overlay))).toEqual([]);
    for (const w of WORKERS) {
      const so = ofKind(rendered[overlay], 'ScaledObject', w.app).spec as { triggers: { metadata: Record<string, string> }[] };
      expect(so.triggers[0]?.metadata).toMatchObject({
        query: `sum(max by (state) (bullmq_queue_jobs{namespace="${OVERLAYS[overlay].namespace}",queue="${w.queue}",state=~"waiting|prioritized|active"}))`,
        threshold: String(w.defaultConcurrency),
      });
    }
  });

  it('takes SHUTDOWN_TIMEOUT_MS and the grace period of every Deployment from shutdown-timing.yaml', () => {
    const timing = readFileSync(join(K8S, 'base/shutdown-timing.yaml'), 'utf8');
    const timeoutMs = /shutdownTimeoutMs: "(\d+)"/.exec(timing)?.[1];
    const graceS = Number(/terminationGracePeriodSeconds: (\d+)/.exec(timing)?.[1]);
    const seen = deployments(rendered[overlay]).map((d) => ({
      name: d.metadata.name,
      graceS: podSpec(d)?.terminationGracePeriodSeconds,
      timeoutMs: podSpec(d)?.containers?.[0]?.env?.find((v) => v.name === 'SHUTDOWN_TIMEOUT_MS')?.value,
    }));
    expect(seen).toHaveLength(7);
    for (const s of seen) expect(s).toEqual({ name: s.name, graceS, timeoutMs });
    expect(graceS).toBeGreaterThanOrEqual(Number(timeoutMs) / 1000 + MIN_GRACE_MARGIN_S);
  });
});

describe('overlay differences', () => {
  const images = (overlay: Overlay) => deployments(rendered[overlay]).map((d) => podSpec(d)?.containers?.[0]?.image ?? '');
  const scaled = (overlay: Overlay) => rendered[overlay].filter((o) => o.kind === 'ScaledObject').map((o) => o['spec'] as { minReplicaCount: number; maxReplicaCount: number });
  const platformEnv = (overlay: Overlay) => rendered[overlay].find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('platform-env-'))?.['data'];

  it('dev: images tagged :dev, LOG_LEVEL=debug, one pod per worker up to 2, small requests', () => {
    expect(images('dev').every((i) => i.endsWith(':dev'))).toBe(true);
    expect(platformEnv('dev')).toEqual({ LOG_LEVEL: 'debug' });
    expect(scaled('dev').map((s) => [s.minReplicaCount, s.maxReplicaCount])).toEqual(WORKERS.map(() => [1, 2]));
    for (const d of deployments(rendered['dev'])) expect(podSpec(d)?.containers?.[0]?.resources?.requests).toEqual({ cpu: '25m', memory: '96Mi' });
  });

  it('prod: images pinned (no :latest or :dev, a version or a digest), LOG_LEVEL=info, 2 pods at least, a budget keeping one', () => {
    for (const image of images('prod')) expect(image).toMatch(/(:\d+\.\d+\.\d+|@sha256:[0-9a-f]{64})$/);
    expect(platformEnv('prod')).toEqual({ LOG_LEVEL: 'info' });
    for (const s of scaled('prod')) expect(s.minReplicaCount).toBe(2);
    for (const w of WORKERS) {
      const pdb = ofKind(rendered['prod'], 'PodDisruptionBudget', w.app).spec;
      expect(pdb).toMatchObject({ minAvailable: 1 });
      expect(pdb).not.toHaveProperty('maxUnavailable');
    }
    // Each worker has its own ceiling; enrichment's is the lowest (Apify's rate is shared).
    const max = Object.fromEntries(WORKERS.map((w) => [w.app, (ofKind(rendered['prod'], 'ScaledObject', w.app).spec as { maxReplicaCount: number }).maxReplicaCount]));
    expect(max).toEqual({ 'ads-worker': 4, 'email-worker': 10, 'enrichment-worker': 3, 'seo-worker': 6, 'voice-worker': 6, 'workflow-worker': 10 });
  });
});

// A spec that cannot fail proves nothing: each of these breaks one thing in a copy of the
// rendered prod overlay and expects the checks to name it.
describe('a broken manifest fails the checks', () => {
  type Mutation = (objects: KubeObject[]) => void;
  const deployment = (objects: KubeObject[], name: string) => ofKind(objects, 'Deployment', name) as unknown as { spec: { replicas?: number; template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } } };
  const seoContainer = (objects: KubeObject[]) => deployment(objects, 'seo-worker').spec.template.spec.containers[0] as { env: { name: string; value?: string }[]; readinessProbe: { httpGet: { port: unknown } }; securityContext: Record<string, unknown> };
  const seoTrigger = (objects: KubeObject[]) => (ofKind(objects, 'ScaledObject', 'seo-worker').spec as { triggers: { metadata: Record<string, string> }[] }).triggers[0] as { metadata: Record<string, string> };

  const cases: [string, Mutation, RegExp][] = [
    ['a grace period written as a string (schema)', (o) => void (deployment(o, 'seo-worker').spec.template.spec['terminationGracePeriodSeconds'] = '45'), /Deployment\/seo-worker: .*terminationGracePeriodSeconds must be integer/],
    ['a ScaledObject threshold as a number (KEDA schema)', (o) => void ((seoTrigger(o).metadata as Record<string, unknown>)['threshold'] = 2), /ScaledObject\/seo-worker: .*threshold must be string/],
    ['a fallback without failureThreshold (KEDA schema)', (o) => void ((ofKind(o, 'ScaledObject', 'email-worker').spec['fallback'] as Record<string, unknown>)['failureThreshold'] = undefined), /ScaledObject\/email-worker: .*failureThreshold/],
    ['a grace period shorter than the deadline plus margin', (o) => void (deployment(o, 'ads-worker').spec.template.spec['terminationGracePeriodSeconds'] = 35), /Deployment\/ads-worker: terminationGracePeriodSeconds 35/],
    ['a readiness probe on another port', (o) => void (seoContainer(o).readinessProbe.httpGet.port = 9999), /seo-worker: readiness probes port 9999/],
    ['a scrape annotation on another port', (o) => void (((deployment(o, 'email-worker').spec.template as unknown as { metadata: { annotations: Record<string, string> } }).metadata.annotations)['prometheus.io/port'] = '9105'), /email-worker: pods are not annotated for Prometheus to scrape \/metrics on 9101/],
    ['a threshold that is not the concurrency', (o) => void (seoTrigger(o).metadata['threshold'] = '3'), /ScaledObject\/seo-worker: threshold 3 is not the worker's concurrency 2/],
    ['WORKER_CONCURRENCY raised without the threshold', (o) => void seoContainer(o).env.push({ name: 'WORKER_CONCURRENCY', value: '4' }), /threshold 2 is not the worker's concurrency 4/],
    ['a query on the wrong queue', (o) => void (seoTrigger(o).metadata['query'] = seoTrigger(o).metadata['query']!.replace('"seo"', '"ads"')), /seo-worker: query does not read bullmq_queue_jobs of queue seo/],
    ['a query on another namespace\'s exporter', (o) => void (seoTrigger(o).metadata['query'] = seoTrigger(o).metadata['query']!.replace('namespace="jobs"', 'namespace="jobs-dev"')), /ScaledObject\/seo-worker: query reads namespace jobs-dev, not only jobs/],
    ['a query on every namespace\'s exporter', (o) => void (seoTrigger(o).metadata['query'] = seoTrigger(o).metadata['query']!.replace('namespace="jobs",', '')), /ScaledObject\/seo-worker: query reads namespace \(any\), not only jobs/],
    ['a query leaving out active jobs', (o) => void (seoTrigger(o).metadata['query'] = seoTrigger(o).metadata['query']!.replace('|active', '')), /query sums states prioritized\|waiting/],
    ['minReplicaCount 0', (o) => void (ofKind(o, 'ScaledObject', 'voice-worker').spec['minReplicaCount'] = 0), /voice-worker: minReplicaCount 0 < 1/],
    ['a literal secret', (o) => void seoContainer(o).env.push({ name: 'OPENAI_API_KEY', value: 'sk-not-a-real-key' }), /seo-worker: OPENAI_API_KEY is a literal/],
    ['a Redis password in a literal URL', (o) => void seoContainer(o).env.push({ name: 'BACKUP_REDIS', value: 'redis://:hunter2@redis:6379' }), /BACKUP_REDIS embeds a credential/],
    ['a container running as root', (o) => void (seoContainer(o).securityContext['runAsUser'] = 0), /container seo-worker runs as uid 0/],
    ['a writable root filesystem', (o) => void (seoContainer(o).securityContext['readOnlyRootFilesystem'] = false), /container seo-worker has a writable root filesystem/],
    ['a worker without its budget', (o) => void o.splice(o.indexOf(ofKind(o, 'PodDisruptionBudget', 'workflow-worker')), 1), /PodDisruptionBudget\/workflow-worker is missing/],
    ['a worker without its ScaledObject', (o) => void o.splice(o.indexOf(ofKind(o, 'ScaledObject', 'enrichment-worker')), 1), /ScaledObject\/enrichment-worker is missing/],
    ['a dashboard scaled to 2', (o) => void (deployment(o, 'dashboard').spec.replicas = 2), /Deployment\/dashboard has 2 replicas/],
    ['an object in another namespace', (o) => void ((ofKind(o, 'Service', 'seo-worker-metrics').metadata as { namespace?: string }).namespace = 'default'), /Service\/seo-worker-metrics is in namespace default/],
  ];

  it.each(cases)('%s', (_name, mutate, expected) => {
    const copy = structuredClone(rendered['prod']);
    expect(allProblems(copy, 'prod')).toEqual([]);
    mutate(copy);
    expect(allProblems(copy, 'prod')).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});

it('a misspelt optional field fails the unknown-field check, which the schemas pass', () => {
  const copy = structuredClone(rendered['prod']) as unknown as { kind: string; metadata: { name: string }; spec: Record<string, unknown> }[];
  const seo = copy.find((o) => o.kind === 'Deployment' && o.metadata.name === 'seo-worker')?.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
  const { readinessProbe, ...rest } = seo.template.spec.containers[0] as Record<string, unknown>;
  seo.template.spec.containers[0] = { ...rest, readinesProbe: readinessProbe };
  const scaled = copy.find((o) => o.kind === 'ScaledObject' && o.metadata.name === 'ads-worker')?.spec as { advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: Record<string, unknown> } } } };
  scaled.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown['stabilizationWindowSecond'] = 300;
  const objects = copy as unknown as KubeObject[];
  expect(objects.flatMap(schemaErrors)).toEqual([]);
  expect(unknownFieldErrors(objects)).toEqual([
    expect.stringMatching(/^Deployment\/seo-worker: .*'"readinesProbe"' does not exist/),
    expect.stringMatching(/^ScaledObject\/ads-worker: .*'"stabilizationWindowSecond"' does not exist/),
  ]);
});

describe('the kustomization sources', () => {
  let copy: string;
  beforeEach(() => {
    copy = mkdtempSync(join(tmpdir(), 'k8s-'));
    cpSync(K8S, copy, { recursive: true });
  });
  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  const setTiming = (timeoutMs: number, graceS: number) => {
    const file = join(copy, 'base/shutdown-timing.yaml');
    const text = readFileSync(file, 'utf8').replace(/shutdownTimeoutMs: "\d+"/, `shutdownTimeoutMs: "${timeoutMs}"`).replace(/terminationGracePeriodSeconds: \d+/, `terminationGracePeriodSeconds: ${graceS}`);
    writeFileSync(file, text);
  };

  it('a new shutdown timing set in shutdown-timing.yaml reaches every Deployment of both overlays', () => {
    setTiming(60_000, 75);
    for (const overlay of Object.keys(OVERLAYS) as Overlay[]) {
      const objects = renderKustomization(join(copy, 'overlays', overlay), renderer);
      expect(allProblems(objects, overlay)).toEqual([]);
      const seen = deployments(objects).map((d) => [podSpec(d)?.terminationGracePeriodSeconds, podSpec(d)?.containers?.[0]?.env?.find((v) => v.name === 'SHUTDOWN_TIMEOUT_MS')?.value]);
      expect(seen).toEqual(Array.from({ length: 7 }, () => [75, '60000']));
    }
  });

  it('a deadline raised without the grace period fails for every Deployment', () => {
    setTiming(60_000, 45);
    const problems = allProblems(renderKustomization(join(copy, 'overlays/prod'), renderer), 'prod');
    expect(problems.filter((p) => /terminationGracePeriodSeconds 45 is not SHUTDOWN_TIMEOUT_MS 60000/.test(p))).toHaveLength(7);
  });

  it("an overlay's ScaledObjects read the exporter of the overlay's namespace, whatever it is named", () => {
    // Kustomize names the Namespace object after the kustomization's namespace: field, and the
    // queries take their matcher from that object, so renaming the field renames all three.
    const file = join(copy, 'overlays/dev/kustomization.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('\nnamespace: jobs-dev\n', '\nnamespace: jobs-staging\n'));
    const queries = renderKustomization(join(copy, 'overlays/dev'), renderer)
      .filter((o) => o.kind === 'ScaledObject')
      .map((o) => (o['spec'] as { triggers: { metadata: Record<string, string> }[] }).triggers[0]?.metadata['query']);
    expect(queries).toHaveLength(WORKERS.length);
    for (const q of queries) expect(q).toContain('bullmq_queue_jobs{namespace="jobs-staging",');
  });

  it('a kustomization kustomize refuses is a KustomizeRenderError naming the problem', () => {
    const file = join(copy, 'base/kustomization.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  - seo-worker/pdb.yaml\n', '  - seo-worker/no-such-file.yaml\n'));
    expect(() => renderKustomization(join(copy, 'overlays/dev'), renderer)).toThrow(KustomizeRenderError);
    expect(() => renderKustomization(join(copy, 'overlays/dev'), renderer)).toThrow(/no-such-file\.yaml/);
  });
});

describe('finding kustomize', () => {
  let bin: string;
  beforeEach(() => (bin = mkdtempSync(join(tmpdir(), 'k8s-bin-'))));
  afterEach(() => rmSync(bin, { recursive: true, force: true }));
  const fake = (name: string, stdout: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' '${stdout}'\n`);
    chmodSync(join(bin, name), 0o755);
  };

  it('with no kubectl or kustomize on PATH, fails saying what to install', () => {
    expect(() => findKustomizeRenderer({ PATH: bin })).toThrow(KustomizeNotFoundError);
    expect(() => findKustomizeRenderer({ PATH: bin })).toThrow(/kustomize v5: `kubectl` 1\.27 or later .* found neither/);
  });

  it("refuses Debian bookworm's kubectl 1.20 (kustomize v2 has no replacements), and takes a kustomize v5 binary", () => {
    fake('kubectl', '{"clientVersion":{"gitVersion":"v1.20.2"},"kustomizeVersion":"v2.0.3"}');
    expect(() => findKustomizeRenderer({ PATH: bin })).toThrow(/found only kubectl with Kustomize v2\.0\.3/);
    fake('kustomize', 'v5.4.3');
    expect(findKustomizeRenderer({ PATH: bin })).toEqual({ argv: ['kustomize', 'build'], kustomizeVersion: 'v5.4.3' });
  });

  it('takes kubectl kustomize when kubectl carries kustomize v5', () => {
    expect(renderer).toEqual({ argv: ['kubectl', 'kustomize'], kustomizeVersion: expect.stringMatching(/^v5\./) });
  });
});
