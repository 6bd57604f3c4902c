// Ranking helpers shared by pages: pure, so vitest covers them (rank.test.ts).
import type { Device } from './api';

/** How many devices the map's table lists (docs/dashboard.md: "the 50 largest rewards"). */
export const TOP_DEVICES = 50;

/**
 * The `n` devices with the largest reward in the latest epoch, largest first, ties by key.
 * Amounts are base-unit decimal strings compared as BigInt (exact beyond 2^53).
 */
export function topByLatestReward(devices: readonly Device[], n: number = TOP_DEVICES): Device[] {
  return [...devices]
    .sort((a, b) => {
      const x = BigInt(b.latest?.amount ?? '0') - BigInt(a.latest?.amount ?? '0');
      return x > 0n ? 1 : x < 0n ? -1 : a.key.localeCompare(b.key);
    })
    .slice(0, n);
}
