/**
 * Opening a preview in the browser, as HeyGen's skill recommends: `open` (macOS), `start` (Windows),
 * `xdg-open` (elsewhere, when there is a display). Where none can run, the caller prints the URL.
 */
import { spawn } from 'node:child_process';

/** The opener command for this platform, or undefined where none can show anything (no display). */
export function opener(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): { cmd: string; args: string[] } | undefined {
  if (platform === 'darwin') return { cmd: 'open', args: [] };
  if (platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '""'] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return { cmd: 'xdg-open', args: [] };
}

/** Tries to open `url`; resolves to whether an opener started. */
export function openUrl(url: string): Promise<boolean> {
  const o = opener();
  if (!o) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(o.cmd, [...o.args, url], { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
