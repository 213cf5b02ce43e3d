/**
 * Which addresses a deployed webhook sender refuses (lambdas/domain/webhook-config.ts): the URL check at
 * synth and the check of what a receiver's name resolves to before each post use the same test.
 */
import { describe, expect, it } from 'vitest';
import { isInternalAddress } from '../../lambdas/domain/webhook-config.ts';

describe('isInternalAddress', () => {
  it.each([
    '169.254.169.254',
    '127.0.0.1',
    '10.0.3.7',
    '::1',
    '::',
    'fd00:ec2::254',
    'fe80::1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    // IPv4-compatible, NAT64 and 6to4 forms of the instance metadata address and of loopback
    '::169.254.169.254',
    '::a9fe:a9fe',
    '::ffff:0:a9fe:a9fe',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::127.0.0.1',
    '2002:a9fe:a9fe::1',
    '2002:7f00:1::',
    // a network's own NAT64 prefix, Teredo
    '64:ff9b:1::a9fe:a9fe',
    '2001:0:4136:e378::1',
  ])('refuses %s', (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '::ffff:0:808:808',
    // what DNS64 answers for a public IPv4-only receiver: still sent
    '64:ff9b::808:808',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
  ])('sends to %s', (address) => {
    expect(isInternalAddress(address)).toBe(false);
  });
});
