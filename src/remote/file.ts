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
import { tempPathFor, removeQuietly, writeFileAtomic } from '../fsx/atomic.js';
import type { OnBytes, RemoteStore } from './store.js';

/** A folder used as the remote store. */
export class FileStore implements RemoteStore {
  readonly display: string;

  constructor(private readonly root: string) {
    this.display = `file://${root}`;
  }

  private path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async get(key: string): Promise<Buffer | undefined> {
    return fsp.readFile(this.path(key)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
  }

  async put(key: string, body: string | Buffer): Promise<void> {
    await fsp.mkdir(dirname(this.path(key)), { recursive: true });
    await writeFileAtomic(this.path(key), body);
  }

  async putIfAbsent(key: string, body: string | Buffer): Promise<boolean> {
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
    return (await fsp.stat(this.path(key)).catch(() => undefined))?.isFile() ?? false;
  }

  async upload(key: string, file: string, onBytes?: OnBytes, signal?: AbortSignal): Promise<void> {
    const target = this.path(key);
    await fsp.mkdir(dirname(target), { recursive: true });
    await copyStream(file, target, onBytes, signal);
  }

  async download(key: string, file: string, onBytes?: OnBytes, signal?: AbortSignal, onData?: (chunk: Buffer) => void): Promise<boolean> {
    if (!(await this.has(key))) return false;
    await fsp.mkdir(dirname(file), { recursive: true });
    await copyStream(this.path(key), file, onBytes, signal, onData);
    return true;
  }

  async *list(prefix: string): AsyncIterable<string> {
    const base = this.path(prefix.replace(/\/$/, ''));
    const entries = await fsp.readdir(base, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      // Temp files of writes in progress (`.<name>.<pid>.<hex>.tmp`) are not objects.
      if (!e.isFile() || e.name.startsWith('.')) continue;
      yield relative(this.root, join(e.parentPath, e.name)).split(sep).join('/');
    }
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.path(key), { force: true });
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
