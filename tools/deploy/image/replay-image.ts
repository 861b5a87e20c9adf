import { DockerfileReplayError } from './dockerfile-replay-error';
import { parseDockerfile } from './parse-dockerfile';
import { type BuildStageReplay, replayBuildStage } from './replay-build-stage';
import { replayRuntimeStage, type RuntimeStageReplay } from './replay-runtime-stage';
import { globalArgValues } from './stage-variables';
import { substituteBuildVariables } from './substitute-build-variables';

/** Both stages of docker/Dockerfile replayed for one set of build arguments. */
export interface ImageReplay {
  /** The runtime stage's base image after substitution (e.g. `node:24-bookworm-slim`). */
  readonly baseImage: string;
  readonly build: BuildStageReplay;
  readonly runtime: RuntimeStageReplay;
}

/**
 * Replays a two-stage Dockerfile (a build stage, then the runtime stage, which is the image)
 * as `docker build --build-arg …` would run it, without a container engine: the build stage in
 * the checkout `root` (see replayBuildStage), the runtime stage in an empty temp folder (see
 * replayRuntimeStage; call `runtime.remove()` when done).
 * @throws DockerfileReplayError when the file has other than two stages or a step fails.
 */
export function replayImage(dockerfile: string, buildArgs: Readonly<Record<string, string>>, root: string): ImageReplay {
  const parsed = parseDockerfile(dockerfile);
  if (parsed.stages.length !== 2) throw new DockerfileReplayError(`expected a build stage and a runtime stage, found ${parsed.stages.length} stages`);
  const [buildStage, runtimeStage] = parsed.stages as [(typeof parsed.stages)[0], (typeof parsed.stages)[0]];
  const globals = globalArgValues(parsed.globalArgs, buildArgs);
  const build = replayBuildStage(buildStage, buildArgs, globals, root);
  const runtime = replayRuntimeStage(runtimeStage, buildArgs, globals, { [buildStage.name]: { imageWorkdir: build.workdir, hostDir: root } });
  return { baseImage: substituteBuildVariables(runtimeStage.from, globals), build, runtime };
}
