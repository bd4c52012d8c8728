/** A temp copy of the watch fixture project, and a recorder that waits on watch events. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import type { WatchEvent } from '../../src/watch/index.js';

export const FIXTURE = fileURLToPath(new URL('./fixture', import.meta.url));

/** A one-colour PNG, so an asset edit changes the draft's content key. */
export function writePng(file: string, color: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${color}:s=64x36`, '-frames:v', '1', file]);
}

export function fixtureProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hb-watch-'));
  cpSync(FIXTURE, dir, { recursive: true });
  writePng(join(dir, 'assets', 'bg.png'), '0x336699');
  return dir;
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export type EventOf<T extends WatchEvent['type']> = Extract<WatchEvent, { type: T }>;

export interface Recorder {
  events: WatchEvent[];
  /** A plain function (no `this`), so it can be handed to watch() as is. */
  emit: (e: WatchEvent) => void;
  /** Index to start looking from: events before it are history. */
  mark(): number;
  /** The first event from `from` on matching `pred`, waiting for it when needed. */
  waitFor<T extends WatchEvent['type']>(type: T, pred?: (e: EventOf<T>) => boolean, from?: number, timeoutMs?: number): Promise<EventOf<T>>;
  since<T extends WatchEvent['type']>(type: T, from: number): EventOf<T>[];
}

export function recorder(): Recorder {
  const events: WatchEvent[] = [];
  let waiters: Array<() => void> = [];
  const find = <T extends WatchEvent['type']>(type: T, pred: (e: EventOf<T>) => boolean, from: number): EventOf<T> | undefined =>
    events.slice(from).find((e): e is EventOf<T> => e.type === type && pred(e as EventOf<T>));
  return {
    events,
    emit: (e) => {
      events.push(e);
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    },
    mark: () => events.length,
    since: (type, from) => events.slice(from).filter((e): e is EventOf<typeof type> => e.type === type),
    waitFor(type, pred = () => true, from = 0, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const seen = events.slice(from).map((e) => JSON.stringify(e).slice(0, 200)).join("\n");
          reject(new Error(`no ${type} event within ${timeoutMs} ms; saw: ${seen}`));
        }, timeoutMs);
        const check = (): void => {
          const hit = find(type, pred, from);
          if (hit) {
            clearTimeout(timer);
            resolve(hit);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}
