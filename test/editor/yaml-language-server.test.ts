/**
 * The schema in a real editor: the yaml-language-server that VS Code's YAML extension runs, driven over
 * stdio LSP the way an editor drives it. A manifest with the README's modeline gets the scene and
 * background snippets as completions and the schema's Markdown on hover, which is what the schema's
 * editor keywords are for. The client is the few lines of JSON-RPC with Content-Length framing that
 * this needs; the server's own messages (logs, diagnostics) are ignored.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The document lives (only in the editor's memory) where the README puts manifests: the modeline is relative to it. */
const DOC_URI = pathToFileURL(`${REPO}videos/editor-check.yaml`).href;
const SERVER = createRequire(import.meta.url).resolve('yaml-language-server/bin/yaml-language-server');
/** Bounds every request: a server that never answers fails the test instead of hanging it. */
const REPLY_MS = 20_000;

type Message = { id?: number; method?: string; result?: unknown; error?: { message: string } };
type CompletionItem = { label: string; insertText?: string; textEdit?: { newText: string }; documentation?: string | { value: string } };
type Hover = { contents: { kind: string; value: string } | string | Array<string | { value: string }> };

/** A minimal LSP client: requests with ids, replies matched by id, server requests answered with null. */
class LspClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`yaml-language-server exited (${String(code)})`));
      this.pending.clear();
    });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${method} in ${REPLY_MS} ms`)), REPLY_MS);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(m: Message): void {
    if (m.id !== undefined && m.method !== undefined) {
      // A request from the server (configuration, capability registration): an editor with no opinion.
      this.send({ jsonrpc: '2.0', id: m.id, result: null });
      return;
    }
    if (m.id === undefined) return;
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (m.error) p?.reject(new Error(m.error.message));
    else p?.resolve(m.result);
  }
}

const MANIFEST = [
  '# yaml-language-server: $schema=../schema/video.schema.json',
  'title: Editor check',
  'caption: true',
  'dimension: ',
  'background: ',
  'scenes:',
  '  - ',
  'translations:',
  '  - ',
  'text:',
  '  - ',
  '',
].join('\n');

/** The LSP position of `column` on the first line starting with `prefix` after the line starting with `after`. */
function at(prefix: string, column: number, after = ''): { line: number; character: number } {
  const lines = MANIFEST.split('\n');
  const from = after ? lines.findIndex((l) => l.startsWith(after)) : -1;
  const line = after && from < 0 ? -1 : lines.findIndex((l, i) => i > from && l.startsWith(prefix));
  if (line < 0) throw new Error(`no line starts with ${prefix}`);
  return { line, character: column };
}

const snippetText = (i: CompletionItem): string => i.insertText ?? i.textEdit?.newText ?? '';

let child: ChildProcessWithoutNullStreams | undefined;
let client: LspClient;

beforeAll(async () => {
  child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
  child.stderr.resume();
  client = new LspClient(child);
  await client.request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(REPO).href,
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } }, hover: { contentFormat: ['markdown', 'plaintext'] } } },
  });
  client.notify('initialized', {});
  // No schema store: the test reads only the schema named in the modeline, and never the network.
  client.notify('workspace/didChangeConfiguration', {
    settings: { yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false } } },
  });
  client.notify('textDocument/didOpen', { textDocument: { uri: DOC_URI, languageId: 'yaml', version: 1, text: MANIFEST } });
}, 60_000);

afterAll(() => {
  child?.kill();
});

async function complete(position: { line: number; character: number }): Promise<CompletionItem[]> {
  const r = await client.request<{ items: CompletionItem[] } | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri: DOC_URI }, position });
  return Array.isArray(r) ? r : (r?.items ?? []);
}

describe('the schema in yaml-language-server', () => {
  it('offers a whole scene inside scenes:', async () => {
    const items = await complete(at('  - ', 4, 'scenes:'));
    const scene = items.find((i) => i.label === 'script scene');
    expect(items.map((i) => i.label)).toContain('script scene');
    expect(snippetText(scene!)).toMatch(/^script: /);
  });

  it('offers a background object at background:', async () => {
    const items = await complete(at('background: ', 'background: '.length));
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['color background', 'image background', 'video background']));
    expect(snippetText(items.find((i) => i.label === 'image background')!)).toMatch(/image: .*\n.*fit: cover/s);
  });

  it('offers a translation object and a text overlay in their lists', async () => {
    const translations = await complete(at('  - ', 4, 'translations:'));
    expect(snippetText(translations.find((i) => i.label === 'translation')!)).toMatch(/^language: .*\n\s*mode: speed/s);
    const text = await complete(at('  - ', 4, 'text:'));
    expect(snippetText(text.find((i) => i.label === 'text overlay')!)).toMatch(/^value: .*\n\s*position: lower-third\n\s*start: 0\n\s*end: 4/s);
  });

  it('explains each enum value it offers', async () => {
    const items = await complete(at('dimension: ', 'dimension: '.length));
    const doc = items.find((i) => i.label === '9:16')?.documentation;
    expect(typeof doc === 'string' ? doc : doc?.value).toContain('1080×1920');
  });

  it('shows the Markdown description on hover over a key', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: DOC_URI }, position: at('caption:', 2) });
    const c = hover?.contents;
    const text = typeof c === 'string' ? c : Array.isArray(c) ? c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n') : (c?.value ?? '');
    expect(text).toContain('a sidecar `.srt` next to the video');
  });
});
