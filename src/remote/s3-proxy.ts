/**
 * The remote store through the same proxy variables as every HeyGen request (util/proxy.ts): the AWS SDK
 * takes the proxy's agent as its own. Which proxy, and whether `NO_PROXY` lets the store go direct, is
 * decided by the host the SDK sends to: `<bucket>.<endpoint host>` (virtual-hosted addressing) or the
 * endpoint's own host (`forcePathStyle`), and for AWS itself `<bucket>.s3.<region>.amazonaws.com`.
 */
import type { Agent } from 'node:http';
import { ProxyAgents, proxyConfigured } from '../util/proxy.js';
import type { RemoteConfig } from './store.js';

/** The SDK's `requestHandler` agents for the store: none (the SDK's own, direct) without a proxy for its host. */
export interface StoreAgents {
  httpAgent?: Agent;
  httpsAgent?: Agent;
}

/**
 * The URL the SDK sends the store's requests to. A bucket name with a dot or a capital cannot be a host
 * label under https, and the SDK addresses it by path then, as with `forcePathStyle`.
 */
export function storeUrl(cfg: RemoteConfig, bucket: string, region: string): URL {
  const base = new URL(cfg.endpoint ?? `https://s3.${region}.amazonaws.com`);
  const byPath = cfg.forcePathStyle === true || !/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket);
  if (!byPath) base.hostname = `${bucket}.${base.hostname}`;
  return base;
}

/** The proxy agents for a store at `url`, loaded only when a proxy variable is set. */
export async function storeAgents(url: URL): Promise<StoreAgents> {
  if (!proxyConfigured()) return {};
  const agent = await new ProxyAgents({ keepAlive: true }).agentFor(url);
  if (!agent) return {};
  return url.protocol === 'https:' ? { httpsAgent: agent } : { httpAgent: agent };
}
