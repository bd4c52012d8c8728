/**
 * The watch state the preview shows, and the open pages it is pushed to over server-sent events
 * (`/events`): each state change of the attached watch, batched, and a heartbeat to keep them open.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WatchHandle, WatchState } from '../types.js';

/** What the preview reads a watch through: its state now, and each change as it happens. */
export type StateSource = Pick<WatchHandle, 'state' | 'subscribe'>;

function startingState(): WatchState {
  return { status: 'starting', provider: 'local', root: '', runs: 0, updatedAt: new Date().toISOString(), videos: [], diagnostics: [] };
}

/** The state of the attached watch (a starting one until then), pushed to every page following it. */
export class LiveState {
  private source: StateSource | undefined;
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe = (): void => undefined;
  private readonly heartbeat = setInterval(() => {
    for (const c of this.clients) c.write(': ping\n\n');
  }, 15_000).unref();

  current(): WatchState {
    return this.source?.state ?? startingState();
  }

  private message(): string {
    return `event: state\ndata: ${JSON.stringify(this.current())}\n\n`;
  }

  // Several state changes in a few milliseconds (a run's events) become one message.
  private readonly broadcast = (): void => {
    if (this.timer || this.clients.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const m = this.message();
      for (const c of this.clients) c.write(m);
    }, 30);
  };

  /** Shows `handle` from now on (instead of the one attached before). */
  attach(handle: StateSource): void {
    this.unsubscribe();
    this.source = handle;
    const off = handle.subscribe(this.broadcast);
    this.unsubscribe = () => void off();
    this.broadcast();
  }

  /** Answers `/events`: the state now, then each change, until the page goes. */
  follow(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 1000\n\n');
    res.write(this.message());
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  /** Stops following the watch and ends every page's stream. */
  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }
}
