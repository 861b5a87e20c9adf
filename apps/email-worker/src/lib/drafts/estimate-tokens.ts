/**
 * A deliberately high estimate of a text's token count for any chat model: about 3.5 ASCII
 * characters per token and one token per other character (CJK and emoji often take one or
 * more). Exact counts need the model's own tokenizer, which is unknown for Azure or self-hosted
 * deployments; erring high keeps prompts inside the context window, and a server that still
 * says `context_length_exceeded` gets a smaller prompt (see the draft handler).
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 128) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / 3.5) + other;
}
