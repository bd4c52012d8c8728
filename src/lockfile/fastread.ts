/**
 * A fast reader for exactly the YAML subset `serializeLockfile` writes (block maps, 2-space
 * indents, one `key: scalar` or `key: [scalar, ...]` per line). `yaml` needs 10–20 s for a 10k-video lockfile; this
 * reads it in well under a second. It returns undefined for anything outside the subset (a
 * hand-edited file, a comment after a value, a tab...), and the caller then uses `yaml`, which
 * stays the reference: tests check both agree on every text this one accepts.
 */
import { quotedEnd, readFlowList, readScalar } from './scalar.js';

type Obj = Record<string, unknown>;

/** Reads the lockfile subset described above, or undefined when the text is outside it. */
export function readCanonical(text: string): Obj | undefined {
  if (text.includes('\r') || text.includes('\t')) return undefined;
  const root: Obj = {};
  // Open maps by indent; `childIndent` is set when the last line was `key:` opening a map.
  const stack: { indent: number; obj: Obj }[] = [{ indent: 0, obj: root }];
  let childIndent = -1;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    const content = line.slice(indent);

    if (childIndent >= 0) {
      if (indent !== childIndent) return undefined; // `key:` then no deeper line: YAML reads null
      childIndent = -1;
    } else {
      while (stack.length > 1 && (stack[stack.length - 1] as { indent: number }).indent > indent) stack.pop();
    }
    const top = stack[stack.length - 1] as { indent: number; obj: Obj };
    if (top.indent !== indent) return undefined;

    const keyEnd = content.startsWith('"') ? quotedEnd(content) : content.indexOf(':');
    if (keyEnd <= 0) return undefined;
    const key = readScalar(content.slice(0, keyEnd));
    if (typeof key !== 'string' || Object.hasOwn(top.obj, key)) return undefined;
    const rest = content.slice(keyEnd);
    if (rest === ':') {
      const child: Obj = {};
      set(top.obj, key, child);
      stack.push({ indent: indent + 2, obj: child });
      childIndent = indent + 2;
      continue;
    }
    if (!rest.startsWith(': ')) return undefined;
    const valueText = rest.slice(2);
    if (valueText === '{}') {
      set(top.obj, key, {});
      continue;
    }
    // `null`: a format-3 clip's way of saying it has no Idempotency-Key (compact.ts).
    const value = valueText === 'null' ? null : valueText.startsWith('[') ? readFlowList(valueText) : readScalar(valueText);
    if (value === undefined) return undefined;
    set(top.obj, key, value);
  }
  if (childIndent >= 0) return undefined;
  return root;
}

function set(obj: Obj, key: string, value: unknown): void {
  // A plain assignment of "__proto__" would change the prototype instead of adding data.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}


