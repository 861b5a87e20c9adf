import type { SpreadRun, SpreadServerLoad } from './measure-spread-run';
import { formatSpreadTable, spreadGain, spreadRows } from './spread-table';

const ONE = (share: number): SpreadServerLoad[] => [{ address: '127.0.0.1:1', queues: ['seo', 'ads', 'email'], cpuShare: share, cpuUsPerJob: 60 }];
const THREE = (shares: [number, number, number]): SpreadServerLoad[] =>
  (['seo', 'ads', 'email'] as const).map((queue, i) => ({ address: `127.0.0.1:${i + 2}`, queues: [queue], cpuShare: shares[i], cpuUsPerJob: 20 }));

const run = (layout: SpreadRun['layout'], side: SpreadRun['side'], jobsPerSecond: number, servers: SpreadServerLoad[]): SpreadRun => ({
  layout,
  side,
  jobsPerQueue: 100,
  jobsPerSecond,
  servers,
  redisCpuUsPerJob: servers.reduce((sum, s) => sum + s.cpuUsPerJob, 0),
  workerCpuUsPerJob: side === 'kit' ? 150 : 80,
  perQueue: { seo: 100, ads: 100, email: 100 },
});

describe('spreadRows / formatSpreadTable / spreadGain', () => {
  const runs = [
    run('cluster', 'kit', 3000, THREE([0.2, 0.3, 0.25])),
    run('one Redis', 'kit', 2000, ONE(0.8)),
    run('one Redis', 'raw', 4000, ONE(0.9)),
    run('cluster', 'raw', 5000, THREE([0.3, 0.4, 0.35])),
    run('one Redis', 'kit', 2400, ONE(0.6)),
    run('one Redis', 'raw', 3000, ONE(0.7)),
  ];

  it('gives one row per layout, one Redis first, with medians per side and each server named by its queues', () => {
    const [one, cluster] = spreadRows(runs);
    expect(one).toMatchObject({ layout: 'one Redis', busiestShare: { kit: 0.7, raw: 0.8 }, redisCpuUsPerJob: { kit: 60, raw: 60 } });
    expect(one.kit).toEqual({ min: 2000, median: 2200, max: 2400, runs: 2 });
    expect(one.serverShares).toEqual([{ queues: 'seo+ads+email', kit: 0.7, raw: 0.8 }]);
    expect(cluster.busiestShare).toEqual({ kit: 0.3, raw: 0.4 });
    expect(cluster.serverShares.map((s) => s.queues)).toEqual(['seo', 'ads', 'email']);
    expect(cluster.workerCpuUsPerJob).toEqual({ kit: 150, raw: 80 });
  });

  it('prints a Markdown table with both layouts side by side', () => {
    const table = formatSpreadTable(spreadRows(runs)).split('\n');
    expect(table).toHaveLength(4);
    expect(table[0]).toMatch(/^\| layout +\| kit jobs\/s median \(min-max\) +\| raw jobs\/s/);
    expect(table[2]).toMatch(/^\| one Redis +\| 2200 \(2000-2400\) +\| 3500 \(3000-4000\) +\| 60\.0 \/ 60\.0 +\| 70 \/ 80 +\| seo\+ads\+email 70 \/ 80 +\| 150 \/ 80 +\|$/);
    expect(table[3]).toMatch(/^\| cluster, 3 masters +\| 3000 \(3000-3000\) +\| 5000 \(5000-5000\) +\| 60\.0 \/ 60\.0 +\| 30 \/ 40 +\| seo 20 \/ 30, ads 30 \/ 40, email 25 \/ 35 +\|/);
  });

  it('says what the cluster changed against one Redis, and nothing without both layouts', () => {
    const gain = spreadGain(spreadRows(runs));
    expect(gain?.jobsPerSecond.kit).toBeCloseTo(3000 / 2200);
    expect(gain?.busiestShare.raw).toBeCloseTo(0.4 / 0.8);
    expect(spreadGain(spreadRows(runs.filter((r) => r.layout === 'cluster')))).toBeUndefined();
  });

  it('refuses a layout without runs of both sides', () => {
    expect(() => spreadRows([run('cluster', 'kit', 1, THREE([0.1, 0.1, 0.1]))])).toThrow(/no values/);
  });
});
