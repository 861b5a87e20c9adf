import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_VERSION } from './cli-version';

it('CLI_VERSION is the root package.json version', () => {
  const root = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  expect(CLI_VERSION).toBe(root.version);
});
