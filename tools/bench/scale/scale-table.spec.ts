import type { ScaleRun } from './measure-scale-run';
import { formatScaleTable, memoryPerJob, scaleRows } from './scale-table';

const run = (side: 'kit' | 'raw', processes: number, jobsPerSecond: number, extra: Partial<ScaleRun> = {}): ScaleRun => ({
  layout: 'one Redis',
  side,
  processes,
  jobs: 100,
  jobsPerSecond,
  redisCpuUsPerJob: 50,
  otherServersCpuUsPerJob: 0,
  redisCpuShare: 0.5,
  redisCommandsPerJob: 30,
  workerCpuUsPerJob: 120,
  enqueueRedisCpuUsPerJob: 20,
  enqueueCommandsPerJob: 10,
  waitingBytesPerJob: 1000,
  waitingJobHashBytes: 700,
  completedKept: 100,
  completedJobHashBytes: 1400,
  keptBytes: 2_000_000,
  eventsStreamBytes: 1_000_000,
  perProcess: [100],
  ...extra,
});

describe('scaleRows / formatScaleTable', () => {
  const runs = [
    run('kit', 2, 1500),
    run('kit', 1, 900),
    run('kit', 1, 1000),
    run('kit', 1, 1100),
    run('raw', 1, 2000),
    run('raw', 2, 3000, { redisCpuUsPerJob: 40 }),
    run('kit', 2, 1800, { redisCpuUsPerJob: 60 }),
  ];

  it('takes medians per process count and side, kit/raw, and scaling against the smallest count', () => {
    const [one, two] = scaleRows(runs);
    expect(one).toMatchObject({ processes: 1, kitOverRaw: 0.5, kitScaling: 1, rawScaling: 1 });
    expect(one.kit).toEqual({ min: 900, median: 1000, max: 1100, runs: 3 });
    expect(two).toMatchObject({ processes: 2, kitOverRaw: 1650 / 3000, kitScaling: 1.65, rawScaling: 1.5 });
    expect(two.redisCpuUsPerJob).toEqual({ kit: 55, raw: 40 });
  });

  it('prints one Markdown row per process count', () => {
    const table = formatScaleTable(scaleRows(runs)).split('\n');
    expect(table).toHaveLength(4);
    expect(table[2]).toMatch(/^\| 1 +\| 1000 \(900-1100\) +\| 2000 \(2000-2000\) +\| 0\.50 +\| 1\.00 \/ 1\.00/);
    expect(table[3]).toMatch(/^\| 2 +\| 1650 \(1500-1800\) +\| 3000 \(3000-3000\) +\| 0\.55 +\| 1\.65 \/ 1\.50 +\| 55\.0 \/ 40\.0 +\| 50 \/ 50 +\| 30\.0 \/ 30\.0 +\| 120 \/ 120 +\|$/);
  });

  it('refuses a process count without runs of both sides', () => {
    expect(() => scaleRows([run('kit', 1, 100)])).toThrow(/no values/);
  });

  it('summarises memory as medians', () => {
    expect(memoryPerJob([run('kit', 1, 1), run('raw', 1, 1, { waitingBytesPerJob: 3000 }), run('raw', 1, 1, { waitingBytesPerJob: 2000 })]).waitingBytesPerJob).toBe(2000);
  });
});
