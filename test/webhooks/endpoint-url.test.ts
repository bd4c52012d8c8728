/** `webhooks register --url`: https, or plain http to this machine only; refused URLs are named without their secrets. */
import { describe, expect, it } from 'vitest';
import { HeygenBuildError } from '../../src/errors.js';
import { checkEndpointUrl, endpointUrlProblem } from '../../src/webhooks/endpoint-url.js';

function refusal(url: string): HeygenBuildError {
  try {
    checkEndpointUrl(url);
  } catch (e) {
    if (e instanceof HeygenBuildError) return e;
    throw e;
  }
  throw new Error(`${url} was accepted`);
}

describe('the webhook endpoint URL rule', () => {
  it.each([
    'https://hooks.example.com/h',
    'https://hooks.example.com:8443/heygen?route=a',
    'HTTPS://Hooks.Example.com/h',
    'http://localhost:8787/',
    'http://LOCALHOST/h',
    'http://127.0.0.1:4010/hooks',
    'http://127.0.0.2/',
    'http://127.255.255.254/x',
    'http://127.1/',
    'http://[::1]:8080/',
    'http://[0:0:0:0:0:0:0:1]/',
  ])('accepts %s', (url) => {
    expect(endpointUrlProblem(url)).toBeUndefined();
    expect(() => checkEndpointUrl(url)).not.toThrow();
  });

  it.each([
    ['http://hooks.example.com', /plain http/],
    ['http://hooks.example.com/h', /plain http/],
    ['http://128.0.0.1/', /plain http/],
    ['http://10.0.0.5:8787/', /plain http/],
    ['http://localhost.example.com/', /plain http/],
    ['http://[::2]/', /plain http/],
    ['ftp://hooks.example.com/h', /scheme ftp/, /only to https/],
    ['ws://localhost:8787/', /scheme ws/, /only to https/],
    ['not a url', /not an absolute URL/, /https:\/\/hooks/],
    ['hooks.example.com/h', /not an absolute URL/, /with its scheme/],
    ['https:hooks.example.com/h', /not an absolute URL/, /with its scheme/],
    [' https://hooks.example.com/h', /not an absolute URL/, /with its scheme/],
    ['https://hooks.example.com/a b', /whitespace/, /%20/],
    ['https://', /not a URL/, /with its scheme/],
    ['https://user:pass@hooks.example.com/h', /user:password@/, /signature/],
    ['http://token@localhost/h', /user:password@/, /signature/],
  ])('refuses %s', (url, why, fix = /cloudflared/) => {
    expect(endpointUrlProblem(url)?.why).toMatch(why);
    const e = refusal(url);
    expect(e.code).toBe('E_WEBHOOK_URL');
    expect(e.message).toMatch(/^webhooks register --url /);
    expect(e.hint).toMatch(fix);
  });

  it('names the URL in the message without its userinfo or query string', () => {
    const e = refusal('http://admin:s3cret@hooks.example.com/h?token=abc123');
    expect(e.message).toContain('http://[REDACTED]@hooks.example.com/h?…');
    expect(e.message).not.toContain('s3cret');
    expect(e.message).not.toContain('abc123');
    const q = refusal('http://hooks.example.com/h?token=abc123');
    expect(q.message).toContain('"http://hooks.example.com/h?…"');
    expect(q.message).not.toContain('abc123');
  });
});
