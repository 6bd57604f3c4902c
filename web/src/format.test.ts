// Unit tests of the dashboard's pure formatting helpers (vitest; scripts/check-web.sh runs them).
import { afterEach, describe, expect, it } from 'vitest';

import {
  ago,
  esc,
  flagBadges,
  html,
  int,
  pct,
  raw,
  setTokenDecimals,
  short,
  time,
  tokens,
} from './format';

afterEach(() => setTokenDecimals(8));

describe('tokens', () => {
  it('scales base units exactly, groups thousands and trims the fraction', () => {
    expect(tokens('123456789')).toBe('1.2345');
    expect(tokens('123456789', 8)).toBe('1.23456789');
    expect(tokens('100000000000000000')).toBe('1,000,000,000');
    expect(tokens('150000000')).toBe('1.5');
  });

  it('stays exact beyond 2^53 (BigInt, not floating point)', () => {
    expect(tokens('123456789012345678901234567', 8)).toBe('1,234,567,890,123,456,789.01234567');
  });

  it('shows a dust amount as the smallest visible fraction, never as zero', () => {
    expect(tokens('1')).toBe('0.0001');
    expect(tokens('0')).toBe('0');
  });

  it('follows the network decimals', () => {
    setTokenDecimals(2);
    expect(tokens('12345')).toBe('123.45');
  });

  it('passes through what is not an integer and marks a missing value', () => {
    expect(tokens('12.5')).toBe('12.5');
    expect(tokens(undefined)).toBe('–');
    expect(tokens(null)).toBe('–');
  });
});

describe('numbers and times', () => {
  it('groups integers given as numbers or strings', () => {
    expect(int(1234567)).toBe('1,234,567');
    expect(int('18446744073709551615')).toBe('18,446,744,073,709,551,615');
    expect(int(undefined)).toBe('–');
  });

  it('turns parts per million into a percentage', () => {
    expect(pct(123_456)).toBe('12.3 %');
    expect(pct(1_000_000, 0)).toBe('100 %');
  });

  it('prints UTC times and rejects what is not one', () => {
    expect(time(0)).toBe('1970-01-01 00:00:00 UTC');
    expect(time('1700000000000')).toBe('2023-11-14 22:13:20 UTC');
    expect(time('soon')).toBe('–');
  });

  it('says how long ago, in the largest whole unit, never negative', () => {
    const now = 1_000_000_000;
    expect(ago(now - 5_000, now)).toBe('5s ago');
    expect(ago(now - 120_000, now)).toBe('2m ago');
    expect(ago(now - 7_200_000, now)).toBe('2h ago');
    expect(ago(now - 3 * 86_400_000, now)).toBe('3d ago');
    expect(ago(now + 10_000, now)).toBe('0s ago');
  });

  it('shortens long keys around an ellipsis and leaves short ones alone', () => {
    expect(short('abcdefghijklmnop', 3)).toBe('abc…nop');
    expect(short('abcdefg', 3)).toBe('abcdefg');
  });
});

describe('html', () => {
  it('escapes every character that could open markup or an attribute', () => {
    expect(esc(`<a href='x'>&"`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&quot;');
    expect(esc(null)).toBe('');
  });

  it('escapes interpolated values, arrays included, and inserts raw() as is', () => {
    const evil = '<img src=x onerror=alert(1)>';
    expect(html`<b>${evil}</b>`.html).toBe('<b>&lt;img src=x onerror=alert(1)&gt;</b>');
    const items = ['<', raw('<li>ok</li>')];
    expect(html`<ul>${items}</ul>`.html).toBe('<ul>&lt;<li>ok</li></ul>');
    expect(html`${raw('<i>')}${1}`.html).toBe('<i>1');
  });

  it('renders flags as escaped badges', () => {
    expect(flagBadges(undefined).html).toContain('no flags');
    expect(flagBadges(['uptime_not_met', '<x>']).html).toBe(
      '<span class="badge warn">uptime not met</span><span class="badge warn">&lt;x&gt;</span>',
    );
  });
});
