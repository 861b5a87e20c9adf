/**
 * The chat API refused the prompt as longer than the model's context (OpenAI's error code
 * `context_length_exceeded`): our token estimate fell short of the server's tokenizer.
 *
 * Thrown by the reply writer. writeReply catches it and rebuilds the prompt with half the
 * budget, up to three times; after that toJobError leaves it as it is and the job's attempt
 * fails (retried with backoff).
 */
export class ContextLengthExceededError extends Error {
  override readonly name = 'ContextLengthExceededError';
}
