import { ANOMALY_MERGE_GAP_DAYS, ANOMALY_MIN_DAYS, seriesAnomalies, type SeriesPoint } from './series-anomalies';
import { robustZScores } from './robust-z-scores';
import { addDays } from './day-range';

function points(values: readonly number[], start = '2024-03-01'): SeriesPoint[] {
  return values.map((value, i) => ({ date: addDays(start, i), value }));
}

/** 20 values wobbling ±2 % around 100. */
const steady = [100, 101, 99, 102, 98, 100, 101, 99, 100, 102, 98, 101, 99, 100, 100, 101, 99, 102, 98, 100];

describe('robustZScores', () => {
  it('is 0.6745 (x − median) / MAD', () => {
    // median 3, |x − 3| = 2,1,0,1,6 → MAD 1
    const r = robustZScores([1, 2, 3, 4, 9])!;
    expect(r.center).toBe(3);
    expect(r.scores).toEqual([-1.349, -0.6745, 0, 0.6745, 4.047]);
  });

  it('falls back to the mean absolute deviation when the MAD is 0', () => {
    // median 5, MAD 0 (four of five equal), meanAD = 10 / 5 = 2
    const r = robustZScores([5, 5, 5, 5, 15])!;
    expect(r.center).toBe(5);
    expect(r.scores[4]).toBeCloseTo(10 / (1.253314 * 2), 12);
    expect(r.scores[0]).toBe(0);
  });

  it('is null for a constant or empty series', () => {
    expect(robustZScores([7, 7, 7])).toBeNull();
    expect(robustZScores([])).toBeNull();
  });
});

describe('seriesAnomalies', () => {
  const base = { campaignId: 'c1', metric: 'cost' as const };

  it('finds nothing in a steady series', () => {
    expect(seriesAnomalies({ ...base, points: points(steady), daysWithData: steady.length })).toEqual([]);
  });

  it('groups consecutive days in the same direction and reports the median, the extreme and the top score', () => {
    const values = [...steady];
    values[5] = 300;
    values[6] = 250;
    values[7] = 10; // next day, other direction: its own run
    values[15] = 280;
    const found = seriesAnomalies({ ...base, points: points(values), daysWithData: values.length });
    expect(found.map((a) => [a.direction, a.startDate, a.endDate, a.days, a.observed])).toEqual([
      ['up', '2024-03-06', '2024-03-07', 2, 300],
      ['down', '2024-03-08', '2024-03-08', 1, 10],
      ['up', '2024-03-16', '2024-03-16', 1, 280],
    ]);
    const center = robustZScores(values)!.center;
    for (const a of found) {
      expect(a).toMatchObject({ campaignId: 'c1', metric: 'cost', expected: center });
      expect(a.score).toBeGreaterThan(3.5);
    }
    expect(found[0].score).toBe(Math.abs(robustZScores(values)!.scores[5]));
  });

  it('bridges a day without a value inside a run (a CPA series with a day without conversions)', () => {
    const values = [...steady];
    values[8] = 400;
    values[10] = 400;
    // 2024-03-10 had no conversions, so no CPA: one gap day after a one-day run is bridged.
    const shifted = points(values).filter((p) => p.date !== '2024-03-10');
    const found = seriesAnomalies({ ...base, metric: 'cpa', points: shifted, daysWithData: shifted.length });
    expect(found.map((a) => [a.startDate, a.endDate, a.days])).toEqual([['2024-03-09', '2024-03-11', 2]]);
  });

  it('merges a lasting shift that dips back into the band now and then into one anomaly; days counts the days out of band', () => {
    // 80 days around 100, then 60 days around 50 of which every fifth day, and 3 days in a row, are back at 100 (noise).
    const before = Array.from({ length: 80 }, (_, i) => 99 + (i % 3));
    const after = Array.from({ length: 60 }, (_, j) => (j % 5 === 0 || (j >= 30 && j < 33) ? 100 : 50 + (j % 2)));
    const series = [...before, ...after];
    const found = seriesAnomalies({ ...base, points: points(series), daysWithData: series.length });
    const outOfBand = series.slice(80).filter((v) => v < 60).length;
    expect(found.map((a) => [a.direction, a.startDate, a.endDate, a.days])).toEqual([['down', addDays('2024-03-01', 81), addDays('2024-03-01', 139), outOfBand]]);
    expect(found[0].observed).toBe(50);
  });

  it(`keeps two changes apart when the gap is longer than the run before it (or than ${ANOMALY_MERGE_GAP_DAYS} days)`, () => {
    const spike = [...steady, ...steady];
    spike[5] = 300;
    spike[6] = 300; // two days up, then three days in band
    spike[10] = 300;
    spike[11] = 300;
    spike[12] = 300;
    spike[13] = 300; // four days up, eight in band
    spike[22] = 300;
    const found = seriesAnomalies({ ...base, points: points(spike), daysWithData: spike.length });
    expect(found.map((a) => [a.startDate, a.endDate, a.days])).toEqual([
      ['2024-03-06', '2024-03-07', 2],
      ['2024-03-11', '2024-03-14', 4],
      ['2024-03-23', '2024-03-23', 1],
    ]);
    // Two days apart after a two-day run: bridged.
    spike[8] = 300;
    spike[9] = 300;
    expect(seriesAnomalies({ ...base, points: points(spike), daysWithData: spike.length }).map((a) => [a.startDate, a.endDate, a.days])).toEqual([
      ['2024-03-06', '2024-03-14', 8],
      ['2024-03-23', '2024-03-23', 1],
    ]);
  });

  it(`stays silent below ${ANOMALY_MIN_DAYS} days with data`, () => {
    const values = [...steady.slice(0, ANOMALY_MIN_DAYS - 1), 1000];
    expect(seriesAnomalies({ ...base, points: points(values), daysWithData: ANOMALY_MIN_DAYS - 1 })).toEqual([]);
    expect(seriesAnomalies({ ...base, points: points(values), daysWithData: ANOMALY_MIN_DAYS })).toHaveLength(1);
  });

  it('ignores days less than 20 % from the median, however high their score', () => {
    const flat = Array.from({ length: 20 }, (_, i) => 1000 + (i % 2)); // MAD 0.5
    flat[10] = 1150; // z ≈ 200, only +15 %
    expect(seriesAnomalies({ ...base, points: points(flat), daysWithData: 20 })).toEqual([]);
    flat[10] = 1250;
    expect(seriesAnomalies({ ...base, points: points(flat), daysWithData: 20 })).toHaveLength(1);
  });

  it('scores a series whose MAD is 0 by its mean absolute deviation (a campaign spending its budget every day)', () => {
    const capped = Array.from({ length: 20 }, () => 200);
    expect(seriesAnomalies({ ...base, points: points(capped), daysWithData: 20 })).toEqual([]);
    capped[12] = 0;
    expect(seriesAnomalies({ ...base, points: points(capped), daysWithData: 19 }).map((a) => [a.direction, a.startDate, a.expected, a.observed])).toEqual([
      ['down', '2024-03-13', 200, 0],
    ]);
  });
});
