/**
 * A remote store in a folder (a shared or network filesystem): `file:///path`. Objects are files under
 * it; writes go through a temp file and a rename, so a reader never sees half an object, and
 * `putIfAbsent` is a hard link of a complete temp file, which the filesystem refuses when the name is
 * taken: a conditional write without a server.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { HeygenBuildError } from '../errors.js';
import { tempPathFor, removeQuietly, writeFileAtomic } from '../fsx/atomic.js';
import { storeError } from './errors.js';
import type { OnBytes, RemoteStore } from './store.js';

/** A folder that cannot be used at all: the store is unreachable (the build carries on without it). */
const UNREACHABLE = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EIO', 'ESTALE', 'ENOTCONN', 'EHOSTDOWN', 'ETIMEDOUT', 'EROFS', 'ELOOP']);

/** A folder used as the remote store. */
export class FileStore implements RemoteStore {
  readonly display: string;

  constructor(private readonly root: string) {
    this.display = `file://${root}`;
  }

  /**
   * The store's folder must exist: an unmounted share is not made into a local folder (where nothing
   * another machine wrote would be found, and a claim won there would guard nothing). Checked per
   * operation (a share can come back); a failure is E_REMOTE_UNREACHABLE, like a server that is down.
   */
  private async run<T>(op: string, key: string, fn: () => Promise<T>): Promise<T> {
    try {
      const st = await fsp.stat(this.root);
      if (!st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      return await fn();
    } catch (e) {
      throw folderError(e, this.display, op, key);
    }
  }

  private path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async get(key: string): Promise<Buffer | undefined> {
    return this.run('read', key, () =>
      fsp.readFile(this.path(key)).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return undefined;
        throw e;
      }),
    );
  }

  async put(key: string, body: string | Buffer): Promise<void> {
    await this.run('write', key, async () => {
      await fsp.mkdir(dirname(this.path(key)), { recursive: true });
      await writeFileAtomic(this.path(key), body);
    });
  }

  async putIfAbsent(key: string, body: string | Buffer): Promise<boolean> {
    return this.run('claim', key, () => this.link(key, body));
  }

  private async link(key: string, body: string | Buffer): Promise<boolean> {
    const target = this.path(key);
    await fsp.mkdir(dirname(target), { recursive: true });
    const temp = tempPathFor(target);
    try {
      await fsp.writeFile(temp, body, { flush: true });
      await fsp.link(temp, target);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    } finally {
      await removeQuietly(temp);
    }
  }

  conditionalWrites(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async has(key: string): Promise<boolean> {
    return this.run('look up', key, async () => (await fsp.stat(this.path(key)).catch(() => undefined))?.isFile() ?? false);
  }

  async upload(key: string, file: string, onBytes?: OnBytes, signal?: AbortSignal): Promise<void> {
    const target = this.path(key);
    await this.run('upload', key, async () => {
      await fsp.mkdir(dirname(target), { recursive: true });
      await copyStream(file, target, onBytes, signal);
    });
  }

  async download(key: string, file: string, onBytes?: OnBytes, signal?: AbortSignal, onData?: (chunk: Buffer) => void): Promise<boolean> {
    if (!(await this.has(key))) return false;
    await fsp.mkdir(dirname(file), { recursive: true });
    // Only reading the store's side can make it unreachable: a local write error stays what it is.
    await copyStream(this.path(key), file, onBytes, signal, onData);
    return true;
  }

  async *list(prefix: string): AsyncIterable<string> {
    const base = this.path(prefix.replace(/\/$/, ''));
    const entries = await this.run('list', prefix, () => fsp.readdir(base, { recursive: true, withFileTypes: true }).catch(() => []));
    for (const e of entries) {
      // Temp files of writes in progress (`.<name>.<pid>.<hex>.tmp`) are not objects.
      if (!e.isFile() || e.name.startsWith('.')) continue;
      yield relative(this.root, join(e.parentPath, e.name)).split(sep).join('/');
    }
  }

  async delete(key: string): Promise<void> {
    await this.run('delete', key, () => fsp.rm(this.path(key), { force: true }));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Copies through a temp file renamed into place, counting bytes; memory stays at one chunk. */
async function copyStream(from: string, to: string, onBytes?: OnBytes, signal?: AbortSignal, onData?: (chunk: Buffer) => void): Promise<void> {
  const temp = tempPathFor(to, 'part');
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      onBytes?.(chunk.length);
      onData?.(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(from, { highWaterMark: 256 << 10 }), count, createWriteStream(temp, { flush: true }), ...(signal ? [{ signal }] : []));
    await fsp.rename(temp, to);
  } catch (e) {
    await removeQuietly(temp);
    throw e;
  }
}

/** A filesystem error of the store's folder as a coded store error (see UNREACHABLE); others as E_REMOTE. */
function folderError(e: unknown, store: string, op: string, key: string): HeygenBuildError {
  if (e instanceof HeygenBuildError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && UNREACHABLE.has(code)) {
    return new HeygenBuildError('E_REMOTE_UNREACHABLE', `${store}: the folder could not be used to ${op} ${key} (${code})`, {
      hint: 'check that remote.url names an existing folder that is mounted and writable here: a build carries on without the store, and `heygen-build push` sends what is pending later',
    });
  }
  return storeError(e, store, op, key);
}
