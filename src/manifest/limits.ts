/**
 * The largest manifest read. The schema bounds a video at 50 scenes of at most 5,000
 * characters, i.e. under 1 MB of script even in 4-byte UTF-8; twice that leaves room for
 * comments and long paths. A bigger file is generated data gone wrong, and parsing it costs
 * ~100 bytes of memory per byte of YAML (more when one bad indent cascades into an error per
 * line), so it is refused before parsing.
 */
export const MAX_MANIFEST_BYTES = 2 * 1024 * 1024;

const mb = (n: number): string => `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;

/** The E_MANIFEST_TOO_LARGE problem for a file over MAX_MANIFEST_BYTES, or undefined if it is small enough to parse. */
export function tooLarge(size: number): { code: 'E_MANIFEST_TOO_LARGE'; message: string; hint: string } | undefined {
  if (size <= MAX_MANIFEST_BYTES) return undefined;
  return {
    code: 'E_MANIFEST_TOO_LARGE',
    message: `the manifest is ${mb(size)}; the limit is ${mb(MAX_MANIFEST_BYTES)}`,
    hint: 'a manifest describes one video (at most 50 scenes): split it into one file per video; if a script generated it, check the script',
  };
}
