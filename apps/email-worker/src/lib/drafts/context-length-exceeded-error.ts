/** The server refused the prompt as longer than the model's context (`context_length_exceeded`). */
export class ContextLengthExceededError extends Error {
  override readonly name = 'ContextLengthExceededError';
}
