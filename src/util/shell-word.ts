/** `path` as one shell word: bare when it is plain, else single-quoted (for commands a hint suggests). */
export function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
