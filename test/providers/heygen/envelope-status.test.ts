import { describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../../src/providers/heygen/envelope.js';
import { extractFailure, normalizeTranslationStatus, normalizeVideoStatus } from '../../../src/providers/heygen/status.js';

describe('parseEnvelope', () => {
  it('reads v1: code 100 is success, any other code an error', () => {
    expect(parseEnvelope(200, { code: 100, data: { video_id: 'v' }, message: 'Success' })).toEqual({ ok: true, data: { video_id: 'v' }, httpStatus: 200 });
    expect(parseEnvelope(200, { code: 40009, data: null, message: 'Invalid credentials' })).toEqual({ ok: false, code: '40009', message: 'Invalid credentials', httpStatus: 200 });
    expect(parseEnvelope(200, { code: 400, msg: 'bad', data: null })).toMatchObject({ ok: false, code: '400', message: 'bad' });
  });

  it('reads v2: a null error is success; a string or object error is an error', () => {
    expect(parseEnvelope(200, { error: null, data: { video_id: 'v' } })).toEqual({ ok: true, data: { video_id: 'v' }, httpStatus: 200 });
    expect(parseEnvelope(200, { error: 'avatar not found', data: null })).toMatchObject({ ok: false, message: 'avatar not found' });
    expect(parseEnvelope(400, { error: { code: 'invalid_parameter', message: 'voice_id is invalid' }, data: null })).toMatchObject({
      ok: false,
      code: 'invalid_parameter',
      message: 'voice_id is invalid',
      httpStatus: 400,
    });
  });

  it('reads v3: data on 2xx, error{code,message,param} with the HTTP status', () => {
    expect(parseEnvelope(200, { data: [1, 2], has_more: false })).toEqual({ ok: true, data: [1, 2], httpStatus: 200 });
    expect(parseEnvelope(402, { error: { code: 'insufficient_credit', message: 'Not enough credits', param: null, doc_url: 'x' } })).toEqual({
      ok: false,
      code: 'insufficient_credit',
      message: 'Not enough credits',
      httpStatus: 402,
    });
    expect(parseEnvelope(400, { error: { code: 'validation_error', message: 'bad', param: 'aspect_ratio' } })).toMatchObject({ param: 'aspect_ratio' });
  });

  it('never calls a 4xx/5xx a success, and names statuses without a body', () => {
    expect(parseEnvelope(500, { data: { ok: 1 } })).toMatchObject({ ok: false, httpStatus: 500 });
    expect(parseEnvelope(503, undefined)).toMatchObject({ ok: false, code: 'server_error' });
    expect(parseEnvelope(200, undefined)).toMatchObject({ ok: false, code: 'bad_response' });
    expect(parseEnvelope(200, { something: 1 })).toMatchObject({ ok: false, code: 'bad_response' });
  });
});

describe('status vocabularies (reference §12)', () => {
  it.each([
    ['waiting', 'queued'],
    ['pending', 'queued'],
    ['queued', 'queued'],
    ['processing', 'running'],
    ['running', 'running'],
    ['completed', 'completed'],
    ['success', 'completed'],
    ['succeeded', 'completed'],
    ['failed', 'failed'],
    ['not_found', 'not_found'],
    ['COMPLETED', 'completed'],
  ])('%s -> %s', (raw, want) => {
    expect(normalizeVideoStatus(raw)).toBe(want);
    expect(normalizeTranslationStatus(raw)).toBe(want);
  });

  it('treats an unknown status as still running, never as done or failed', () => {
    for (const raw of ['rendering_v9', 'thinking', '', undefined, 42]) {
      expect(normalizeVideoStatus(raw)).toBe('running');
      expect(normalizeTranslationStatus(raw)).toBe('running');
    }
  });
});

describe('extractFailure', () => {
  it('reads v1 data.error{code,message,detail}', () => {
    expect(extractFailure({ status: 'failed', error: { code: 40119, message: 'Video is too long', detail: '(> 3600.0s)' } })).toEqual({
      code: '40119',
      message: 'Video is too long: (> 3600.0s)',
    });
  });
  it('reads v2/v3 failure_code/failure_message', () => {
    expect(extractFailure({ status: 'failed', failure_code: 'download_failed', failure_message: 'could not fetch audio', error: null })).toEqual({
      code: 'download_failed',
      message: 'could not fetch audio',
    });
  });
  it('reads translation message/failure_message', () => {
    expect(extractFailure({ status: 'failed', message: 'unsupported language' })).toEqual({ message: 'unsupported language' });
    expect(extractFailure({ status: 'failed', failure_message: 'no speech detected' })).toEqual({ message: 'no speech detected' });
  });
  it('finds nothing in a success payload', () => {
    expect(extractFailure({ status: 'completed', error: null, video_url: 'x' })).toBeUndefined();
  });
});
