/**
 * The proxy a request goes through (HeyGen's API, uploads, downloads, drafts' avatar pictures, the S3
 * remote store: remote/s3-proxy.ts), from the environment as curl, git and HeyGen's own CLI (Go's
 * net/http) read it: `HTTPS_PROXY` for https URLs, `HTTP_PROXY` for http ones, `ALL_PROXY` for either
 * (lower-case names too), none for a host `NO_PROXY` lists (proxy-from-env reads all of these), and never
 * for this machine (localhost, 127.0.0.0/8, ::1: Go's rule too), so the emulator and a local receiver are
 * reached directly whatever the environment says. https goes through a CONNECT tunnel
 * (https-proxy-agent), http as absolute-form requests (http-proxy-agent). Their code loads only when a
 * proxy variable is set: a build without a proxy pays nothing for this.
 */
import type { Agent, AgentOptions } from 'node:http';
import { isLoopbackHost } from './loopback.js';
import { urlSecrets } from './url-secrets.js';

const NAMES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'] as const;

/** Whether any proxy variable is set (else every request goes direct, with no lookup). */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return NAMES.some((n) => (env[n] ?? '') !== '');
}

/** The userinfo and query secrets of the proxy variables: never shown in a message. */
export function proxySecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  return NAMES.flatMap((n) => urlSecrets(env[n]));
}

/** Keep-alive agents through the configured proxies, one per proxy and scheme. */
export class ProxyAgents {
  private readonly agents = new Map<string, Promise<Agent>>();

  constructor(private readonly options: AgentOptions) {}

  /** The agent for `url` through its proxy, or undefined when it goes direct. */
  async agentFor(url: URL): Promise<Agent | undefined> {
    if (isLoopbackHost(url.hostname)) return undefined;
    const { getProxyForUrl } = await import('proxy-from-env');
    const proxy = getProxyForUrl(url.href);
    if (proxy === '') return undefined;
    const key = `${url.protocol} ${proxy}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = url.protocol === 'https:'
        ? import('https-proxy-agent').then(({ HttpsProxyAgent }) => new HttpsProxyAgent(proxy, this.options))
        : import('http-proxy-agent').then(({ HttpProxyAgent }) => new HttpProxyAgent(proxy, this.options));
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** The agents made so far. */
  async all(): Promise<Agent[]> {
    return Promise.all(this.agents.values());
  }
}
