import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './kube-object';
import { KustomizeNotFoundError } from './kustomize-not-found-error';
import { KustomizeRenderError } from './kustomize-render-error';

/** A program that renders a kustomization: `argv` plus the directory prints the objects as YAML. */
export interface KustomizeRenderer {
  readonly argv: readonly string[];
  /** kustomize's version, as the program reports it (e.g. `v5.5.0`). */
  readonly kustomizeVersion: string;
}

const MIN_KUSTOMIZE_MAJOR = 5;

function majorOf(version: string): number {
  const match = /v?(\d+)\./.exec(version);
  return match ? Number(match[1]) : 0;
}

function run(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * Finds a kustomize v5 renderer on PATH: `kubectl kustomize` first (kubectl carries kustomize
 * since 1.14; v5 since 1.27), else the `kustomize` binary (`kustomize build`).
 * @param env - where PATH is looked up; defaults to `process.env`.
 * @throws KustomizeNotFoundError when neither is there, or only an older kustomize is.
 */
export function findKustomizeRenderer(env: NodeJS.ProcessEnv = process.env): KustomizeRenderer {
  const found: string[] = [];
  const kubectl = run(['kubectl', 'version', '--client', '-o', 'json'], env);
  if (kubectl.status === 0) {
    const version = String((JSON.parse(kubectl.stdout) as { kustomizeVersion?: unknown }).kustomizeVersion ?? '');
    if (majorOf(version) >= MIN_KUSTOMIZE_MAJOR) return { argv: ['kubectl', 'kustomize'], kustomizeVersion: version };
    found.push(`kubectl with Kustomize ${version || 'of unknown version'}`);
  }
  const kustomize = run(['kustomize', 'version'], env);
  if (kustomize.status === 0) {
    const version = kustomize.stdout.trim();
    if (majorOf(version) >= MIN_KUSTOMIZE_MAJOR) return { argv: ['kustomize', 'build'], kustomizeVersion: version };
    found.push(`kustomize ${version}`);
  }
  throw new KustomizeNotFoundError(found.length > 0 ? found.join(' and ') : undefined);
}

/**
 * Renders the kustomization in `dir` and parses its output.
 * @param dir - a directory with a kustomization.yaml.
 * @param renderer - defaults to {@link findKustomizeRenderer}'s.
 * @returns every rendered object, in kustomize's order.
 * @throws KustomizeNotFoundError (see {@link findKustomizeRenderer}); KustomizeRenderError when
 * kustomize refuses the kustomization or prints something that is not YAML objects.
 */
export function renderKustomization(dir: string, renderer: KustomizeRenderer = findKustomizeRenderer()): KubeObject[] {
  const r = run([...renderer.argv, dir]);
  if (r.status !== 0) throw new KustomizeRenderError(dir, r.stderr || `exit status ${r.status}`);
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(r.stdout)) {
    if (doc.errors.length > 0) throw new KustomizeRenderError(dir, `output is not YAML: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new KustomizeRenderError(dir, 'output has a document that is not an object');
    objects.push(value as KubeObject);
  }
  return objects;
}
