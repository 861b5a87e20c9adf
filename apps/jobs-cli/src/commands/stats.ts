import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import type { CliContext } from '../lib/cli-context';
import { formatStatsTable } from '../lib/format-stats-table';
import { parseIntegerOption } from '../lib/parse-integer-option';
import { readAllQueueStats } from '../lib/read-all-queue-stats';
import { writeJson } from '../lib/write-json';

/** `stats --watch` refresh interval when `--interval` is not given, in ms. */
export const DEFAULT_WATCH_INTERVAL_MS = 2000;

/**
 * `jobs-cli stats [--watch] [--interval <ms>] [--json]`: job counts of every queue (the contracts'
 * `getQueueStats` shape) as a table with a total row, or `getAllQueueStats`'s object with
 * `--json`. `--watch` reads again every interval until Ctrl-C (then exits 0): on a terminal the
 * table is redrawn in place; otherwise (a log, a pipe) each reading is printed below the last,
 * and with `--json` each is one line of JSON.
 */
export function statsCommand(ctx: CliContext): Command {
  return new Command('stats')
    .description('job counts of every queue (waiting, active, completed, failed, delayed, paused)')
    .option('--watch', 'read again every --interval until Ctrl-C')
    .option('--interval <ms>', 'refresh interval of --watch, in ms', parseIntegerOption('--interval', 100), DEFAULT_WATCH_INTERVAL_MS)
    .option('--json', 'print the counts as JSON (one line per reading with --watch)')
    .addHelpText('after', '\nExamples:\n  $ jobs-cli stats\n  $ jobs-cli stats --json\n  $ jobs-cli stats --watch --interval 5000')
    .action(async (opts: { watch?: boolean; interval: number; json?: boolean }) => {
      if (!opts.watch) {
        const stats = await readAllQueueStats(ctx);
        if (opts.json) writeJson(ctx.stdout, stats);
        else ctx.stdout.write(`${formatStatsTable(stats)}\n`);
        return;
      }
      await watch(ctx, opts.interval, opts.json === true);
    });
}

async function watch(ctx: CliContext, intervalMs: number, json: boolean): Promise<void> {
  const signal = ctx.signal;
  let drawnLines = 0;
  while (!signal?.aborted) {
    const stats = await readAllQueueStats(ctx);
    if (signal?.aborted) break;
    if (json) {
      writeJson(ctx.stdout, stats, true);
    } else {
      const text = `${new Date(ctx.now()).toISOString()}  prefix ${ctx.prefix}  every ${intervalMs} ms, Ctrl-C to stop\n${formatStatsTable(stats)}\n`;
      // On a terminal: cursor up over the last drawing, clear to the end, draw again.
      if (ctx.interactive && drawnLines > 0) ctx.stdout.write(`\x1b[${drawnLines}A\x1b[0J`);
      ctx.stdout.write(text);
      drawnLines = text.split('\n').length - 1;
    }
    try {
      await sleep(intervalMs, undefined, { signal });
    } catch {
      break; // aborted: Ctrl-C
    }
  }
}
