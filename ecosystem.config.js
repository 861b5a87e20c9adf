// PM2 ecosystem: every built worker and the dashboard, each its own PM2 app, started from the
// repository root after `npx nx run-many -t build`:
//
//   pm2 start ecosystem.config.js            # all of them
//   pm2 start ecosystem.config.js --only seo-worker,email-worker
//   pm2 stop all                             # graceful: each app finishes or hands back its jobs
//
// Variables reach the apps from the shell that runs `pm2 start` (PM2 passes its environment on)
// and from `.env` of the repository root, which each app loads itself (a variable already set
// wins). Read by this file only, never by the apps:
//   PM2_<APP>_INSTANCES     processes of that app (default 1; APP is the app's name upper-cased,
//                           '-' as '_': PM2_SEO_WORKER_INSTANCES). Not for the dashboard.
//   PM2_<APP>_HEALTH_PORT   the app's /healthz /readyz /metrics port (default: the app's own,
//                           9101–9107); with N instances, instance i listens on port + i.
//
// tools/pm2-ecosystem.deploy.spec.ts starts this file with the real pm2 and checks its numbers
// against the code they repeat (node flags, health ports, the shutdown default, the exit code).
'use strict';

const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parseEnv } = require('node:util');

/**
 * Thrown while PM2 loads this file when a PM2_* or SHUTDOWN_TIMEOUT_MS value cannot work; PM2
 * prints the message and starts nothing.
 */
class EcosystemConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'EcosystemConfigError';
  }
}

// The apps and their default health ports (apps/<app>/src/config.ts `healthPort`). The dashboard
// belongs here: it is the one exporter of queue depth (bullmq_queue_jobs …) that the alert
// rules and any autoscaling read, and the UI operators use to retry jobs; a PM2 host with only
// the workers would have neither.
const APPS = [
  { name: 'email-worker', healthPort: 9101 },
  { name: 'voice-worker', healthPort: 9102 },
  { name: 'enrichment-worker', healthPort: 9103 },
  { name: 'workflow-worker', healthPort: 9104 },
  { name: 'seo-worker', healthPort: 9105 },
  { name: 'ads-worker', healthPort: 9106 },
  { name: 'dashboard', healthPort: 9107, singleInstance: true },
];

// tools/build/esbuild.config.cjs WORKER_NODE_FLAGS: the flags `npm start` and the image use.
const NODE_FLAGS = ['--max-semi-space-size=2'];

// The kit's and the dashboard's default of SHUTDOWN_TIMEOUT_MS (libs/worker-kit/src/lib/worker-config.ts)
// and the bounds they accept.
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;
const MIN_SHUTDOWN_TIMEOUT_MS = 100;
const MAX_SHUTDOWN_TIMEOUT_MS = 3_600_000;

// PM2 sends SIGKILL kill_timeout after its stop signal. The app forces its own exit (code 1,
// with a log line saying what was still running) at SHUTDOWN_TIMEOUT_MS; the margin lets that
// happen first, with room for closing connections and a loaded machine's event-loop lag, so a
// SIGKILL only ever hits an app that is really stuck.
const KILL_MARGIN_MS = 5_000;

// Exit code of an app whose configuration was refused (the kit's EXIT_CONFIG_ERROR): restarting
// cannot fix a missing variable, so PM2 leaves the app stopped and its log says which one.
const EXIT_CONFIG_ERROR = 2;

const ROOT = __dirname;

/** `seo-worker` → `PM2_SEO_WORKER_<suffix>`. */
const pm2Variable = (app, suffix) => `PM2_${app.toUpperCase().replace(/-/g, '_')}_${suffix}`;

/** An integer variable within [min, max], or `fallback` when unset or empty. */
function intFrom(env, name, fallback, min, max) {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new EcosystemConfigError(`${name}=${raw} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * SHUTDOWN_TIMEOUT_MS as the apps will see it: the environment first, then `.env` of the
 * repository root (the apps' working directory, which they load), then the kit's default.
 */
function shutdownTimeoutMs(env, dotEnvDir) {
  const dotEnvPath = join(dotEnvDir, '.env');
  const dotEnv = existsSync(dotEnvPath) ? parseEnv(readFileSync(dotEnvPath, 'utf8')) : {};
  const merged = { ...dotEnv, ...env };
  return intFrom(merged, 'SHUTDOWN_TIMEOUT_MS', DEFAULT_SHUTDOWN_TIMEOUT_MS, MIN_SHUTDOWN_TIMEOUT_MS, MAX_SHUTDOWN_TIMEOUT_MS);
}

/**
 * The PM2 app list for `env` (default `process.env`), with `.env` read from `dotEnvDir` (default
 * the repository root, the apps' working directory).
 * @throws EcosystemConfigError
 */
function ecosystemApps(env = process.env, dotEnvDir = ROOT) {
  const killTimeoutMs = shutdownTimeoutMs(env, dotEnvDir) + KILL_MARGIN_MS;
  const apps = APPS.map((app) => {
    const instances = app.singleInstance ? 1 : intFrom(env, pm2Variable(app.name, 'INSTANCES'), 1, 1, 64);
    // Port 0 (a free port) is refused: a supervised app must be reachable where its probes look.
    const healthPort = intFrom(env, pm2Variable(app.name, 'HEALTH_PORT'), app.healthPort, 1, 65535 - (instances - 1));
    return {
      name: app.name,
      script: `dist/apps/${app.name}/main.js`,
      cwd: ROOT,
      node_args: NODE_FLAGS,
      // fork: each instance is a plain `node main.js`, as in the image. Cluster mode would put the
      // app behind PM2's cluster module to share a listening port, which workers do not need
      // (they pull jobs from Redis) and which would give every instance the same health port.
      exec_mode: 'fork',
      instances,
      // With several instances each needs its own health port: instance i gets HEALTH_PORT + i.
      ...(instances > 1 ? { increment_var: 'HEALTH_PORT' } : {}),
      // Set for each app even at its default, so a HEALTH_PORT in the shell cannot put every app
      // on one port (the app's env here wins over the shell's).
      env: { HEALTH_PORT: String(healthPort) },
      // `pm2 stop`/`reload` send SIGINT (pm2 7 has no per-app signal; PM2_KILL_SIGNAL in the
      // daemon's environment changes it for all), which the apps handle as SIGTERM: stop taking
      // jobs, let running ones finish within SHUTDOWN_GRACE_MS, hand back the rest, exit 0.
      kill_timeout: killTimeoutMs,
      autorestart: true,
      // A crash is restarted after 100 ms, 1.5 times longer on each crash in a row up to PM2's
      // 15 s cap, back to 100 ms once the app has stayed up 30 s: a dependency that stays down
      // does not become a restart storm, a single crash costs almost nothing.
      exp_backoff_restart_delay: 100,
      // An app that exits within 10 s of starting (its health port taken, a crash while starting;
      // an unreachable Redis does not exit, it keeps /readyz at 503) counts as an unstable start;
      // after 10 of those PM2 marks it errored instead of looping for ever.
      min_uptime: 10_000,
      max_restarts: 10,
      // Not restarted (pm2 7.0.4 still labels it "waiting restart" because a restart delay is
      // set, but schedules none: restarts stay 0, exit code 2, the log names the variables).
      stop_exit_codes: [EXIT_CONFIG_ERROR],
      // Deployed code changes only by a new build and `pm2 reload`; watching dist/ would restart
      // workers in the middle of jobs while a build writes its files.
      watch: false,
      // One log file per app, not one per instance; every line is pino JSON with its own `time`
      // and `pid`, so PM2's time prefix is off (it would break the JSON lines).
      merge_logs: true,
      time: false,
    };
  });
  assertDistinctHealthPorts(apps);
  return apps;
}

/** Refuses two apps whose health port ranges overlap (they would fail to start, one by one). */
function assertDistinctHealthPorts(apps) {
  const ranges = apps.map((app) => ({ name: app.name, first: Number(app.env.HEALTH_PORT), last: Number(app.env.HEALTH_PORT) + app.instances - 1 }));
  for (const [i, a] of ranges.entries()) {
    for (const b of ranges.slice(i + 1)) {
      if (a.first <= b.last && b.first <= a.last) {
        const describe = (r) => (r.first === r.last ? `${r.name} (${r.first})` : `${r.name} (${r.first}-${r.last})`);
        throw new EcosystemConfigError(
          `${describe(a)} and ${describe(b)} would share a health port: move one with ${pm2Variable(a.name, 'HEALTH_PORT')} or ${pm2Variable(b.name, 'HEALTH_PORT')}`,
        );
      }
    }
  }
}

module.exports = {
  apps: ecosystemApps(),
  // For tools/pm2-ecosystem.deploy.spec.ts.
  ecosystemApps,
  EcosystemConfigError,
  NODE_FLAGS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  KILL_MARGIN_MS,
  EXIT_CONFIG_ERROR,
};
