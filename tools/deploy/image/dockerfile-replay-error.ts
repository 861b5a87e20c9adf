/** Thrown when docker/Dockerfile uses something the replay does not model (it never guesses). */
export class DockerfileReplayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerfileReplayError';
  }
}
