/** One fenced code block of a Markdown document and the `## ` section it sits in. */
export interface MarkdownCodeBlock {
  /** Title of the enclosing `## ` heading (without the hashes). */
  readonly section: string;
  /** The info string after the opening fence, e.g. `typescript`. */
  readonly lang: string;
  /** The block's text, without its fences. */
  readonly code: string;
}

/**
 * The fenced (```) code blocks of `markdown`, in order, each with the title of the `## ` section
 * it belongs to. Only top-level fences (at the start of a line) count.
 */
export function markdownCodeBlocks(markdown: string): MarkdownCodeBlock[] {
  const blocks: MarkdownCodeBlock[] = [];
  let section = '';
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    if (open) {
      if (/^```\s*$/.test(line)) {
        blocks.push({ section, lang: open.lang, code: open.lines.join('\n') });
        open = undefined;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    const fence = /^```(\S*)/.exec(line);
    if (fence) open = { lang: fence[1] ?? '', lines: [] };
    else if (line.startsWith('## ')) section = line.slice(3).trim();
  }
  return blocks;
}
