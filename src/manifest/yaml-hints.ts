/**
 * YAML syntax errors a script writer makes most, said in their words: yaml's own message names the
 * parser's state ("Nested mappings are not allowed in compact mappings"), not the mistake.
 */

import type { SourceLines } from './frame.js';
import type { SyntaxProblem } from './source.js';

/** A clearer message (yaml's kept in brackets) and a hint with the fix. */
export interface SyntaxExplained {
  message: string;
  hint: string;
}

/** `key: value` (or `- key: value`) with a plain value: a key, then the text after `: `. */
const PLAIN_PAIR = /^\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+([^\s"'[{|>&*!#].*)$/;

/** The value written in double quotes, as it could be pasted back. */
function quoted(value: string): string {
  return `"${value.replace(/\s+#.*$/, '').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * `script: Step 1: open the app`: a plain value holding `: ` reads as a second key on one line. The
 * fix is to quote the value (or write it as a block).
 */
function colonInValue(e: SyntaxProblem, source: SourceLines): SyntaxExplained | undefined {
  if (e.code !== 'BLOCK_AS_IMPLICIT_KEY') return undefined;
  const m = PLAIN_PAIR.exec(source.line(e.line));
  if (!m) return undefined;
  const [, key, value] = m as unknown as [string, string, string];
  if (!/:(\s|$)/.test(value)) return undefined;
  const example = value.length <= 60 ? `${key}: ${quoted(value)}` : `${key}: "…" around the whole text`;
  return {
    message: `the value of "${key}" contains ": " (a colon and a space), which YAML reads as the start of another key (YAML: ${e.message})`,
    hint: `put the value in double quotes, ${example} (a " inside becomes \\"), or write it as a block: \`${key}: >-\` with the text on the lines below, indented`,
  };
}

/** A quote that is never closed (placed at the opening quote by parseYaml): the text runs to the end of the file. */
function unclosedQuote(e: SyntaxProblem, source: SourceLines): SyntaxExplained | undefined {
  const q = source.line(e.line).charAt(e.column - 1);
  if (e.code !== 'MISSING_CHAR' || (q !== '"' && q !== "'")) return undefined;
  const inside = q === '"' ? 'a " inside double quotes is written \\"' : "a ' inside single quotes is written ''";
  return {
    message: `the ${q} opened here is never closed, so the text runs on to the end of the file (YAML: ${e.message})`,
    hint: `close the text with ${q} where it ends (${inside}), or remove the opening ${q}`,
  };
}

/** What to say instead of yaml's message, when the mistake is one of those above. */
export function explainSyntax(e: SyntaxProblem, source: SourceLines): SyntaxExplained | undefined {
  return colonInValue(e, source) ?? unclosedQuote(e, source);
}
