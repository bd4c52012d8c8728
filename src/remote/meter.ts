/** Counts bytes and objects moved, for a progress line with a rate (`12.0 MB at 41.3 MB/s`). */

/** Bytes and objects of a push or pull so far. */
export class TransferMeter {
  bytes = 0;
  objects = 0;
  private readonly started = performance.now();

  /** Adds `n` bytes (pass as a transfer's OnBytes). */
  readonly add = (n: number): void => {
    this.bytes += n;
  };

  /** Seconds since the meter started. */
  seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** Bytes per second so far. */
  rate(): number {
    const s = this.seconds();
    return s > 0 ? this.bytes / s : 0;
  }

  /** `3 objects, 12.0 MB at 41.3 MB/s`. */
  line(): string {
    return transferLine(this.objects, this.bytes, this.seconds());
  }
}

/** `3 objects, 12.0 MB at 41.3 MB/s`. */
export function transferLine(objects: number, bytes: number, seconds: number): string {
  return `${objects} object${objects === 1 ? '' : 's'}, ${formatBytes(bytes)} at ${formatBytes(seconds > 0 ? bytes / seconds : 0)}/s`;
}

/** 1234567 -> `1.2 MB` (decimal units, as transfer rates are usually given). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
