/** Finding a setting in a config's text: the config is TypeScript, not data we parse, so its keys are searched for. */

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The line and column of `keys` (a setting's path, `['heygen', 'poll', 'minMs']`) in a config's text: each key
 * searched for after the previous one. The last key found when a later one is not (a shorthand property).
 */
export function searchKeys(text: string, keys: readonly string[]): { line: number; column: number } | undefined {
  let from = 0;
  let found: { line: number; column: number } | undefined;
  for (const key of keys) {
    const re = new RegExp(`(^|[\\s{,])(['"\`]?)${escape(key)}\\2\\s*:`, 'gm');
    re.lastIndex = from;
    const m = re.exec(text);
    if (!m) return found;
    const at = m.index + (m[1] ?? '').length;
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    found = { line, column: at - before.lastIndexOf('\n') };
    from = at + key.length;
  }
  return found;
}
