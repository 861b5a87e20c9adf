// Entry point of the dashboard: Bull Board behind a login over every queue. Configuration is read
// here, once; nothing below reads the environment.
import { ConfigError, createLogger, EXIT_CONFIG_ERROR, EXIT_START_FAILED, loadDotEnv } from '@jobs/worker-kit';
import { DASHBOARD_APP_NAME, loadConfig } from './config';
import { startDashboard } from './lib/start-dashboard';

async function main(): Promise<void> {
  try {
    // `.env` of the current directory, if any; variables already set win.
    loadDotEnv();
    const config = loadConfig();
    const log = createLogger({ level: config.logLevel, name: DASHBOARD_APP_NAME });
    await startDashboard({ config, log });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(EXIT_CONFIG_ERROR);
    }
    process.stderr.write(`${DASHBOARD_APP_NAME} failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(EXIT_START_FAILED);
  }
}

void main();
