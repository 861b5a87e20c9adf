// Loaded after the test framework in every project (jest.preset.cjs): a test file that leaves a
// worker process or throwaway Redis running fails, and the process is killed.
import { killLeftoverProcesses } from './lib/leak-check';

afterAll(() => {
  const left = killLeftoverProcesses();
  if (left > 0) throw new Error(`${left} child process(es) were left running by this test file`);
});
