/**
 * A store's failures as coded errors. The message names the store, the operation and the object, and the
 * server's error name, never its message or the request: those can carry an access key id or a signed URL.
 */
import { ERROR_CODES, HeygenBuildError } from '../errors.js';

const AUTH = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'InvalidToken',
  'AccessDenied',
  'CredentialsProviderError',
  'AuthorizationHeaderMalformed',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'TimeoutError', 'RequestTimeout']);

interface SdkError {
  name?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function status(e: unknown): number | undefined {
  return (e as SdkError | undefined)?.$metadata?.httpStatusCode;
}

function nameOf(e: unknown): string {
  const x = e as SdkError | undefined;
  return x?.Code ?? x?.code ?? x?.name ?? 'Error';
}

/** The object is not there (404, NoSuchKey, NotFound). */
export function isMissing(e: unknown): boolean {
  const n = nameOf(e);
  return n === 'NoSuchKey' || n === 'NotFound' || (status(e) === 404 && n !== 'NoSuchBucket');
}

/** A conditional write lost: the key was already taken (412), or taken concurrently (409). */
export function isPreconditionFailed(e: unknown): boolean {
  const n = nameOf(e);
  return n === 'PreconditionFailed' || n === 'ConditionalRequestConflict' || status(e) === 412;
}

/** Whether the store could not be reached at all (the build carries on and leaves the push pending). */
export function isUnreachable(e: unknown): boolean {
  return e instanceof HeygenBuildError && e.code === 'E_REMOTE_UNREACHABLE';
}

/** Turns an SDK or filesystem error into E_REMOTE_AUTH, E_REMOTE_UNREACHABLE or E_REMOTE. */
export function storeError(e: unknown, store: string, op: string, key: string): HeygenBuildError {
  if (e instanceof HeygenBuildError) return e;
  const name = nameOf(e);
  const errno = (e as { code?: string; cause?: { code?: string } } | undefined)?.cause?.code ?? (e as SdkError | undefined)?.code;
  // The SDK found no credentials at all: nothing was sent, so nothing was refused.
  if (name === 'CredentialsProviderError') {
    return new HeygenBuildError('E_REMOTE_AUTH', `${store}: no AWS credentials were found to ${op} ${key} (environment, profile, SSO, web identity and instance role were tried)`, {
      hint: ERROR_CODES.E_REMOTE_AUTH,
    });
  }
  if (AUTH.has(name) || status(e) === 403 || status(e) === 401) {
    return new HeygenBuildError('E_REMOTE_AUTH', `${store}: the store refused the credentials to ${op} ${key} (${name})`, {
      hint: ERROR_CODES.E_REMOTE_AUTH,
    });
  }
  if (NETWORK.has(name) || (errno && NETWORK.has(errno))) {
    return new HeygenBuildError('E_REMOTE_UNREACHABLE', `${store}: the store could not be reached to ${op} ${key} (${errno ?? name})`, {
      hint: ERROR_CODES.E_REMOTE_UNREACHABLE,
    });
  }
  const code = status(e) ? ` (HTTP ${status(e)} ${name})` : ` (${name})`;
  return new HeygenBuildError('E_REMOTE', `${store}: could not ${op} ${key}${code}`, {
    hint: ERROR_CODES.E_REMOTE,
  });
}
