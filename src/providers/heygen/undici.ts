/**
 * undici, loaded on the first request: it is the largest module the CLI would otherwise load at
 * start (~40 ms of CPU), and `plan` without a key, `validate` and drafts never send a request.
 */
type Undici = typeof import('undici');

let loading: Promise<Undici> | undefined;

/** The undici module, imported once. */
export function undici(): Promise<Undici> {
  loading ??= import('undici');
  return loading;
}
