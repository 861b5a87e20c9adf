import { DEFAULT_SCALE_OPTIONS, parseScaleOptions } from './scale-options';
import { ScaleOptionsError } from './scale-options-error';

describe('parseScaleOptions', () => {
  it('gives the defaults for no arguments', () => {
    expect(parseScaleOptions([])).toEqual(DEFAULT_SCALE_OPTIONS);
    expect(DEFAULT_SCALE_OPTIONS).toMatchObject({ jobs: 20_000, processes: [1, 2, 4], concurrency: 50, repeats: 3, cluster: false });
  });

  it('reads --flag value and --flag=value', () => {
    expect(parseScaleOptions(['--jobs', '500', '--processes=1,3', '--concurrency', '7', '--repeats=1', '--run-ceiling-ms', '9000'])).toEqual({
      jobs: 500,
      processes: [1, 3],
      concurrency: 7,
      repeats: 1,
      runCeilingMs: 9000,
      cluster: false,
    });
  });

  it.each([
    [['--jobs'], /--jobs needs a whole number, got nothing/],
    [['--jobs', '0'], /--jobs must be between 1 and/],
    [['--jobs', '1e3'], /--jobs needs a whole number, got "1e3"/],
    [['--processes', '1,,2'], /--processes needs a whole number/],
    [['--processes', '2,2'], /lists a count twice/],
    [['--processes', '65'], /between 1 and 64/],
    [['--concurrency', '1001'], /between 1 and 1000/],
    [['--workers', '2'], /unknown argument "--workers"/],
    [['--cluster=yes'], /--cluster takes no value, got "--cluster=yes"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseScaleOptions(argv)).toThrow(ScaleOptionsError);
    expect(() => parseScaleOptions(argv)).toThrow(message);
  });

  it('reads --cluster, wherever it stands, beside the other flags', () => {
    expect(parseScaleOptions(['--cluster'])).toEqual({ ...DEFAULT_SCALE_OPTIONS, cluster: true });
    expect(parseScaleOptions(['--jobs', '10', '--cluster', '--repeats=2'])).toEqual({ ...DEFAULT_SCALE_OPTIONS, jobs: 10, repeats: 2, cluster: true });
  });
});
