/** proxy-from-env ships no types: its one function (https://github.com/Rob--W/proxy-from-env). */
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from HTTP(S)_PROXY, ALL_PROXY and NO_PROXY, or '' when it goes direct. */
  export function getProxyForUrl(url: string | URL): string;
}
