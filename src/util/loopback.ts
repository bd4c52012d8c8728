/**
 * Whether a URL's host is this machine: `localhost`, 127.0.0.0/8 or `[::1]`, as a parsed URL (WHATWG)
 * spells its hostname (it has already turned 127.1, 0x7f.0.0.1 and the like into dotted decimal).
 */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]' || hostname === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
