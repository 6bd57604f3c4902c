// Unit tests of the ranking helpers (vitest; scripts/check-web.sh runs them).
import { describe, expect, it } from 'vitest';

import type { Device } from './api';
import { TOP_DEVICES, topByLatestReward } from './rank';

function device(key: string, amount: string | null): Device {
  return {
    key,
    latest: amount === null ? null : { amount },
  } as unknown as Device;
}

describe('topByLatestReward', () => {
  it('lists the documented 50, largest reward first, ties by key', () => {
    const devices = Array.from({ length: 60 }, (_, i) =>
      device(`k${String(i).padStart(2, '0')}`, String(i % 30)),
    );
    const top = topByLatestReward(devices);
    expect(TOP_DEVICES).toBe(50);
    expect(top).toHaveLength(50);
    expect(top[0].key).toBe('k29');
    expect(top[1].key).toBe('k59');
    expect(top.map((d) => d.latest?.amount)).not.toContain('0');
  });

  it('compares amounts beyond 2^53 exactly and puts devices without a reward last', () => {
    const top = topByLatestReward(
      [device('a', null), device('b', '9007199254740993'), device('c', '9007199254740992')],
      3,
    );
    expect(top.map((d) => d.key)).toEqual(['b', 'c', 'a']);
  });
});
