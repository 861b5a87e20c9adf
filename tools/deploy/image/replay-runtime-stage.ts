import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, posix, relative } from 'node:path';
import { dockerDurationMs } from './docker-duration';
import { DockerfileReplayError } from './dockerfile-replay-error';
import { commandOf, type DockerfileStage } from './parse-dockerfile';
import { hostToolEnv, stageEnv, stageVariables } from './stage-variables';

/** A HEALTHCHECK: the command and Docker's timing options (`--interval=15s` → 15000). */
export interface Healthcheck {
  readonly argv: readonly string[];
  readonly execForm: boolean;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly startPeriodMs: number;
  readonly retries: number;
}

/** The runtime stage laid out in a folder, and what a container of it would run. */
export interface RuntimeStageReplay {
  /** The stage's filesystem root: an empty temp folder at the start (`/` ↦ this folder). */
  readonly root: string;
  /** The WORKDIR, mapped under `root`: where RUN ran and where CMD runs. */
  readonly workdir: string;
  /** The container's environment from the stage's ENV lines. */
  readonly env: Readonly<Record<string, string>>;
  /** USER as written after substitution (e.g. `1000:1000`); '' when there is none. */
  readonly user: string;
  readonly exposed: readonly string[];
  readonly stopSignal: NodeJS.Signals;
  /** ENTRYPOINT then CMD, as Docker joins them. */
  readonly command: { readonly argv: readonly string[]; readonly execForm: boolean };
  readonly healthcheck: Healthcheck | undefined;
  /** The RUN commands run, in order. */
  readonly ran: readonly string[];
  /** Deletes `root`. */
  remove(): void;
}

/** Docker's default for an option left out. */
const durationMs = (text: string | undefined, fallbackMs: number): number => (text === undefined ? fallbackMs : dockerDurationMs(text));

/**
 * Replays the runtime stage into an empty temp folder standing for the image's `/`: WORKDIR
 * creates the folder; `COPY --from=<stage>` copies from that stage's WORKDIR, which is
 * `fromStages[stage]` on this machine (the build stage's `/workspace` is the checkout); RUN
 * runs with `sh -c` in the WORKDIR with the stage's ARGs and ENVs (as the current user, as
 * Docker runs RUN as root before USER); CMD, ENTRYPOINT, USER, EXPOSE, STOPSIGNAL and
 * HEALTHCHECK are recorded for the caller to run. The folder is made readable (not writable) to
 * every user, as the image's files are to its non-root user.
 * @throws DockerfileReplayError when a RUN exits non-zero, a COPY source is missing, or for an instruction the replay does not model.
 */
export function replayRuntimeStage(
  stage: DockerfileStage,
  buildArgs: Readonly<Record<string, string>>,
  globalArgs: Readonly<Record<string, string>>,
  fromStages: Readonly<Record<string, { readonly imageWorkdir: string; readonly hostDir: string }>>,
): RuntimeStageReplay {
  const root = mkdtempSync(join(tmpdir(), `image-${stage.name}-`));
  chmodSync(root, 0o755);
  const remove = (): void => rmSync(root, { recursive: true, force: true });
  const under = (imagePath: string): string => join(root, posix.resolve('/', imagePath));
  let workdirImage = '/';
  let user = '';
  let stopSignal: NodeJS.Signals = 'SIGTERM';
  let healthcheck: Healthcheck | undefined;
  let entrypoint: ReturnType<typeof commandOf> | undefined;
  let cmd: ReturnType<typeof commandOf> | undefined;
  const exposed: string[] = [];
  const ran: string[] = [];
  try {
    for (const { instruction, vars, value } of stageVariables(stage, buildArgs, globalArgs)) {
      const where = `line ${instruction.line}`;
      switch (instruction.keyword) {
        case 'ARG':
        case 'ENV':
        case 'LABEL':
          break;
        case 'WORKDIR':
          workdirImage = posix.resolve(workdirImage, value);
          mkdirSync(under(workdirImage), { recursive: true, mode: 0o755 });
          break;
        case 'COPY': {
          const unknown = Object.keys(instruction.flags).filter((f) => f !== 'from');
          if (unknown.length > 0) throw new DockerfileReplayError(`${where}: COPY --${unknown.join(', --')} is not replayed`);
          const from = instruction.flags['from'];
          const source = from === undefined ? undefined : fromStages[from];
          if (!source) throw new DockerfileReplayError(`${where}: COPY ${from === undefined ? 'from the build context' : `--from=${from}`} is not replayed (only --from a replayed stage)`);
          const paths = value.split(/\s+/);
          const dest = paths.pop() as string;
          const destHost = under(posix.resolve(workdirImage, dest));
          for (const src of paths) {
            const rel = relative(source.imageWorkdir, posix.resolve(source.imageWorkdir, src));
            if (rel.startsWith('..') || isAbsolute(rel)) throw new DockerfileReplayError(`${where}: ${src} is outside the ${from} stage's WORKDIR ${source.imageWorkdir}`);
            const srcHost = join(source.hostDir, rel);
            let isDir: boolean;
            try {
              isDir = statSync(srcHost).isDirectory();
            } catch {
              throw new DockerfileReplayError(`${where}: COPY source ${src} (${srcHost}) does not exist`);
            }
            // Docker copies a directory's contents; a file goes into dest/ when dest ends with / or there are several sources.
            const target = isDir || !(dest.endsWith('/') || paths.length > 1) ? destHost : join(destHost, basename(srcHost));
            cpSync(srcHost, target, { recursive: true });
          }
          break;
        }
        case 'RUN': {
          for (const flag of Object.keys(instruction.flags)) {
            // A cache mount only keeps npm's cache between builds: the host's npm cache (HOME) stands in.
            if (flag !== 'mount' || !(instruction.flags[flag] as string).startsWith('type=cache,')) throw new DockerfileReplayError(`${where}: RUN --${flag} is not replayed`);
          }
          const { argv } = commandOf(value);
          const run = spawnSync(argv[0] as string, argv.slice(1), { cwd: under(workdirImage), env: { ...hostToolEnv(), ...vars }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
          if (run.status !== 0) throw new DockerfileReplayError(`${where}: RUN ${value} exited ${run.status}:\n${run.stdout.slice(-2000)}${run.stderr.slice(-2000)}`);
          ran.push(value);
          break;
        }
        case 'USER':
          user = value;
          break;
        case 'EXPOSE':
          exposed.push(...value.split(/\s+/));
          break;
        case 'STOPSIGNAL':
          stopSignal = value as NodeJS.Signals;
          break;
        case 'ENTRYPOINT':
          entrypoint = commandOf(value);
          break;
        case 'CMD':
          cmd = commandOf(value);
          break;
        case 'HEALTHCHECK': {
          const check = /^CMD\s+(.*)$/s.exec(value);
          if (!check) throw new DockerfileReplayError(`${where}: HEALTHCHECK ${value} has no CMD`);
          const f = instruction.flags;
          healthcheck = {
            ...commandOf(check[1] as string),
            intervalMs: durationMs(f['interval'], 30_000),
            timeoutMs: durationMs(f['timeout'], 30_000),
            startPeriodMs: durationMs(f['start-period'], 0),
            retries: f['retries'] === undefined ? 3 : Number(f['retries']),
          };
          break;
        }
        default:
          throw new DockerfileReplayError(`${where}: ${instruction.keyword} in the runtime stage is not replayed`);
      }
    }
    if (!cmd && !entrypoint) throw new DockerfileReplayError(`stage ${stage.name} has neither CMD nor ENTRYPOINT`);
    // Shell-form ENTRYPOINT ignores CMD; exec-form ENTRYPOINT takes CMD's argv as arguments.
    const command = entrypoint
      ? { argv: entrypoint.execForm ? [...entrypoint.argv, ...(cmd?.argv ?? [])] : entrypoint.argv, execForm: entrypoint.execForm }
      : (cmd as ReturnType<typeof commandOf>);
    spawnSync('chmod', ['-R', 'a+rX,go-w', root]);
    return { root, workdir: under(workdirImage), env: stageEnv(stage, buildArgs, globalArgs), user, exposed, stopSignal, command, healthcheck, ran, remove };
  } catch (err) {
    remove();
    throw err;
  }
}
