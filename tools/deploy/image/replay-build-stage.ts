import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileReplayError } from './dockerfile-replay-error';
import { type DockerfileStage } from './parse-dockerfile';
import { hostToolEnv, stageVariables } from './stage-variables';

/** What the build-stage replay did, for the test's log and assertions. */
export interface BuildStageReplay {
  /** The RUN commands run in the checkout, in order, as written in the Dockerfile. */
  readonly ran: readonly string[];
  /** The RUN commands stood in for by the checkout's own `npm ci` (see replayBuildStage). */
  readonly skipped: readonly string[];
  /** Maps a path of the stage's WORKDIR (e.g. `/workspace`) to the checkout. */
  readonly workdir: string;
}

/**
 * Replays the build stage against the checkout at `root`, which stands for the stage's WORKDIR:
 * its `COPY` lines copy the build context (the checkout) onto itself, so they only check that
 * their sources exist;
 * a `RUN npm ci …` is what CI did before the tests from the same lockfile, so it is not run
 * again (reinstalling node_modules under the other tests' feet); every other RUN runs with
 * `sh -c` in `root`, with the stage's ARGs and ENVs in its environment, as Docker runs it.
 * @throws DockerfileReplayError when a RUN exits non-zero, or for an instruction the replay does not model.
 */
export function replayBuildStage(stage: DockerfileStage, buildArgs: Readonly<Record<string, string>>, globalArgs: Readonly<Record<string, string>>, root: string): BuildStageReplay {
  const ran: string[] = [];
  const skipped: string[] = [];
  let workdir = '/';
  for (const step of stageVariables(stage, buildArgs, globalArgs)) {
    const { instruction, vars } = step;
    switch (instruction.keyword) {
      case 'ARG':
      case 'ENV':
        break;
      case 'COPY': {
        // The context is the checkout and so is the destination: only check that what Docker would copy is there.
        if (Object.keys(instruction.flags).length > 0) throw new DockerfileReplayError(`line ${instruction.line}: COPY --${Object.keys(instruction.flags).join(', --')} in the build stage is not replayed`);
        const missing = step.value.split(/\s+/).slice(0, -1).filter((src) => !existsSync(join(root, src)));
        if (missing.length > 0) throw new DockerfileReplayError(`line ${instruction.line}: COPY source ${missing.join(', ')} is not in the build context`);
        break;
      }
      case 'WORKDIR':
        workdir = step.value;
        break;
      case 'RUN': {
        for (const flag of Object.keys(instruction.flags)) {
          if (flag !== 'mount' || !(instruction.flags[flag] as string).startsWith('type=cache,')) throw new DockerfileReplayError(`line ${instruction.line}: RUN --${flag} is not replayed`);
        }
        if (/^npm ci(\s|$)/.test(instruction.args)) {
          skipped.push(instruction.args);
          break;
        }
        const run = spawnSync('sh', ['-c', instruction.args], { cwd: root, env: { ...hostToolEnv(), ...vars }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        if (run.status !== 0) throw new DockerfileReplayError(`line ${instruction.line}: RUN ${instruction.args} exited ${run.status}:\n${run.stdout.slice(-2000)}${run.stderr.slice(-2000)}`);
        ran.push(instruction.args);
        break;
      }
      default:
        throw new DockerfileReplayError(`line ${instruction.line}: ${instruction.keyword} in the build stage is not replayed`);
    }
  }
  return { ran, skipped, workdir };
}
