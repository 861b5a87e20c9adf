import { DockerfileReplayError } from './dockerfile-replay-error';

/** One instruction: `keyword` upper-cased, leading `--flag=value` options split off, the rest as written. */
export interface DockerfileInstruction {
  readonly keyword: string;
  /** `--mount=type=cache,target=/x` → `{ mount: 'type=cache,target=/x' }`; a flag given twice keeps the last. */
  readonly flags: Readonly<Record<string, string>>;
  /** The arguments after the flags, continuation lines joined with a space. */
  readonly args: string;
  /** 1-based line of the instruction's first line in the file. */
  readonly line: number;
}

/** A `FROM … AS name` stage and its instructions in order. */
export interface DockerfileStage {
  readonly name: string;
  /** The image reference as written (may hold `${ARG}`s declared before the first FROM). */
  readonly from: string;
  readonly instructions: readonly DockerfileInstruction[];
}

/** A parsed Dockerfile: the ARGs before the first FROM, then the stages. */
export interface ParsedDockerfile {
  readonly globalArgs: readonly DockerfileInstruction[];
  readonly stages: readonly DockerfileStage[];
}

const FLAG = /^--([a-z-]+)=(\S+)\s+/;

/**
 * Parses Dockerfile text the way Docker's parser reads it: `#` lines are comments (a parser
 * directive such as `# syntax=` too), a trailing `\` continues the instruction on the next line
 * (comment lines inside a continuation are skipped), keywords are case-insensitive.
 * @throws DockerfileReplayError for an instruction before the first FROM other than ARG, or a stage without a name.
 */
export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions: DockerfileInstruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const first = (lines[i] as string).trim();
    if (first === '' || first.startsWith('#')) continue;
    const start = i + 1;
    let joined = first;
    while (joined.endsWith('\\') && i + 1 < lines.length) {
      joined = joined.slice(0, -1).trimEnd();
      i += 1;
      const next = (lines[i] as string).trim();
      if (next.startsWith('#')) continue;
      joined = `${joined} ${next}`.trimEnd();
    }
    const keyword = (/^\S+/.exec(joined) as RegExpExecArray)[0].toUpperCase();
    let rest = joined.slice(keyword.length).trimStart();
    const flags: Record<string, string> = {};
    for (let flag = FLAG.exec(`${rest} `); flag; flag = FLAG.exec(`${rest} `)) {
      flags[flag[1] as string] = flag[2] as string;
      rest = rest.slice(flag[0].length - 1).trimStart();
    }
    instructions.push({ keyword, flags, args: rest, line: start });
  }
  const globalArgs: DockerfileInstruction[] = [];
  const stages: { name: string; from: string; instructions: DockerfileInstruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = /^(\S+)\s+AS\s+(\S+)$/i.exec(instruction.args);
      if (!match) throw new DockerfileReplayError(`line ${instruction.line}: FROM without "AS <name>" (every stage is named so the replay can find it)`);
      stages.push({ from: match[1] as string, name: match[2] as string, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new DockerfileReplayError(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
      globalArgs.push(instruction);
    } else {
      (stages[stages.length - 1] as { instructions: DockerfileInstruction[] }).instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/**
 * The command of a CMD, ENTRYPOINT, RUN or HEALTHCHECK CMD: exec form (a JSON array of strings)
 * when `args` parses as one, otherwise shell form, which Docker runs as `/bin/sh -c args` — as
 * Docker does, a malformed JSON array silently becomes shell form, so callers check `execForm`.
 */
export function commandOf(args: string): { readonly execForm: boolean; readonly argv: readonly string[] } {
  if (args.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(args);
      if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((p) => typeof p === 'string')) return { execForm: true, argv: parsed as string[] };
    } catch {
      // Not JSON: shell form, below.
    }
  }
  return { execForm: false, argv: ['/bin/sh', '-c', args] };
}
