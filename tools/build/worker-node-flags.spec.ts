import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** WORKER_NODE_FLAGS as tools/build/esbuild.config.cjs declares them (read as text: that module exports esbuild's options). */
function declaredFlags(): string[] {
  const config = readFileSync(join(ROOT, 'tools/build/esbuild.config.cjs'), 'utf8');
  const match = /^const WORKER_NODE_FLAGS = (\[.*\]);$/m.exec(config);
  if (!match) throw new Error('tools/build/esbuild.config.cjs declares no WORKER_NODE_FLAGS on one line');
  return JSON.parse((match[1] as string).replace(/'/g, '"')) as string[];
}

// A built worker started with `npm start` (the documented way) and the image's CMD must run
// with the same Node flags, or the memory measured for one is not what the other gets.
describe('worker Node flags', () => {
  it('the Dockerfile CMD starts node with WORKER_NODE_FLAGS, then main.js', () => {
    const flags = declaredFlags();
    expect(flags.length).toBeGreaterThan(0);
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8'));
    expect(cmd).not.toBeNull();
    expect(JSON.parse((cmd as RegExpExecArray)[1] as string)).toEqual(['node', ...flags, 'main.js']);
  });
});
