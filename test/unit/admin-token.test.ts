/**
 * The admin token `npm start` generates is pasted into commands (`leadpact report --token T`, curl):
 * letters and digits only. A base64url token starts with "-" one time in 64, and node's parseArgs then
 * reads `--token -f_Z0...` as a missing value ("Option '--token' argument is ambiguous").
 */
import { describe, expect, it } from 'vitest';
import { generatedAdminToken } from '../../local/runtime.ts';

describe('the generated admin token', () => {
  it('is 36 hex digits (144 random bits), never starting with "-"', () => {
    // Act
    const tokens = Array.from({ length: 500 }, () => generatedAdminToken());

    // Assert
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{36}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
