// Unit tests of the API client's error handling, against a stubbed fetch (vitest).
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiError, get } from './api';

function answer(status: number, body: string): void {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(body, { status })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('get', () => {
  it('returns the parsed body of a 200', async () => {
    answer(200, '{"height": "42"}');
    await expect(get<{ height: string }>('/v1/network/summary')).resolves.toEqual({ height: '42' });
  });

  it("turns the node's JSON error into an ApiError with its code and message", async () => {
    answer(404, '{"error": {"code": "not_found", "message": "no such device"}}');
    const e = await get('/v1/devices/x').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 404, code: 'not_found', message: 'no such device' });
  });

  it('names the HTTP status when an error body has no error object', async () => {
    answer(503, '{}');
    await expect(get('/v1/x')).rejects.toMatchObject({ status: 503, code: 'http_503' });
  });

  it('refuses a body that is not JSON', async () => {
    answer(502, '<html>bad gateway</html>');
    await expect(get('/v1/x')).rejects.toMatchObject({ status: 502, code: 'bad_response' });
  });
});
