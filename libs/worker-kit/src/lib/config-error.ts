/** A bad configuration value; the message names the environment variable and the problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
