import { type DockerfileInstruction, type DockerfileStage } from './parse-dockerfile';
import { substituteBuildVariables } from './substitute-build-variables';

/** One instruction of a stage with the variables in force at it and its arguments substituted. */
export interface StageStep {
  readonly instruction: DockerfileInstruction;
  /** ARGs declared so far in the stage and ENVs set so far (ENV wins), after this instruction. */
  readonly vars: Readonly<Record<string, string>>;
  /** The instruction's arguments with `${NAME}` substituted (RUN/CMD/HEALTHCHECK: as written). */
  readonly value: string;
}

const SUBSTITUTED = new Set(['FROM', 'ARG', 'ENV', 'WORKDIR', 'COPY', 'USER', 'EXPOSE', 'STOPSIGNAL', 'LABEL']);

/** `A=1 B="two"` (or the legacy `A 1`) → `{ A: '1', B: 'two' }`. */
function assignments(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const pairs = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g;
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) {
    const [name, ...value] = text.split(/\s+/);
    out[name as string] = value.join(' ');
    return out;
  }
  for (const m of text.matchAll(pairs)) out[m[1] as string] = (m[2] as string).startsWith('"') ? (JSON.parse(m[2] as string) as string) : (m[2] as string);
  return out;
}

/**
 * Walks a stage's instructions keeping Docker's variable scoping: a stage sees a build argument
 * only after its own `ARG NAME` (default: the global ARG's value, then the `ARG NAME=default`),
 * and ENV values persist to later instructions and to the container.
 */
export function stageVariables(stage: DockerfileStage, buildArgs: Readonly<Record<string, string>>, globalArgs: Readonly<Record<string, string>>): StageStep[] {
  const vars: Record<string, string> = {};
  const steps: StageStep[] = [];
  for (const instruction of stage.instructions) {
    const value = SUBSTITUTED.has(instruction.keyword) ? substituteBuildVariables(instruction.args, vars) : instruction.args;
    if (instruction.keyword === 'ARG') {
      const [name, fallback] = instruction.args.split('=', 2) as [string, string | undefined];
      const given = buildArgs[name] ?? globalArgs[name] ?? (fallback === undefined ? undefined : substituteBuildVariables(fallback, vars));
      if (given !== undefined) vars[name] = given;
    } else if (instruction.keyword === 'ENV') {
      Object.assign(vars, assignments(value));
    }
    steps.push({ instruction, vars: { ...vars }, value });
  }
  return steps;
}

/** The ENV instructions of a stage alone (what a container of it starts with). */
export function stageEnv(stage: DockerfileStage, buildArgs: Readonly<Record<string, string>>, globalArgs: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const step of stageVariables(stage, buildArgs, globalArgs)) if (step.instruction.keyword === 'ENV') Object.assign(env, assignments(step.value));
  return env;
}

/**
 * Variables of the host's network set-up that a replayed step inherits, as a `docker build` on a
 * machine behind a proxy is given them (`--build-arg HTTPS_PROXY=…`, a CA file for
 * `NODE_EXTRA_CA_CERTS`, a registry mirror): npm needs them to reach the registry. Without the
 * CA, npm's Node 24 binary (which carries its own CA list, unlike Debian's Node 20 built against
 * the system's) failed every registry request here with SELF_SIGNED_CERT_IN_CHAIN and fell back
 * to its cache after ~2.5 minutes of retries, per app. Of npm's settings only those about
 * reaching the registry: the rest of what `npm test` exports (`npm_config_omit`,
 * `npm_config_ignore_scripts` …) would change what the replayed `npm ci` installs.
 */
const HOST_NETWORK_VARIABLES = /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|(HTTPS?|NO|ALL)_PROXY|(https?|no|all)_proxy|(npm_config|NPM_CONFIG)_(registry|cafile|ca|proxy|https_proxy|noproxy|strict_ssl|REGISTRY|CAFILE|CA|PROXY|HTTPS_PROXY|NOPROXY|STRICT_SSL))$/;

/**
 * What the host lends to a replayed step in place of the image's own tools: PATH (node and npm
 * of this machine stand for the image's), HOME (npm's config and cache: the stand-in for the
 * `--mount=type=cache,target=/root/.npm` build cache) and the network set-up (CA file,
 * proxies, npm's registry/CA/proxy settings; {@link HOST_NETWORK_VARIABLES}). Nothing else: the app's settings
 * (REDIS_URL …) come only from the Dockerfile and what `docker run -e` would add.
 * @param env - the host's environment; defaults to `process.env`.
 */
export function hostToolEnv(env: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  const lent: Record<string, string> = { PATH: env['PATH'] ?? '/usr/bin:/bin' };
  if (env['HOME']) lent['HOME'] = env['HOME'];
  for (const [name, value] of Object.entries(env)) if (value !== undefined && HOST_NETWORK_VARIABLES.test(name)) lent[name] = value;
  return lent;
}

/** Values of the ARGs declared before the first FROM: `buildArgs` first, then their defaults. */
export function globalArgValues(globalArgs: readonly DockerfileInstruction[], buildArgs: Readonly<Record<string, string>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const arg of globalArgs) {
    const [name, fallback] = arg.args.split('=', 2) as [string, string | undefined];
    const value = buildArgs[name] ?? fallback;
    if (value !== undefined) values[name] = value;
  }
  return values;
}
