import { DockerfileReplayError } from './dockerfile-replay-error';

/**
 * Replaces `${NAME}` and `$NAME` in `text` with `vars[NAME]` (empty when unset), as Docker does in
 * FROM, ARG, ENV, WORKDIR, COPY, USER, EXPOSE and STOPSIGNAL (RUN, CMD and HEALTHCHECK are left
 * to the shell or run as written).
 * @throws DockerfileReplayError for the `${NAME:-default}`-style modifiers, which the replay does not model.
 */
export function substituteBuildVariables(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? (bare as string);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new DockerfileReplayError(`\${${name}}: only plain \${NAME} substitution is replayed`);
    return vars[name] ?? '';
  });
}
