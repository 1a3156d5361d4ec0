import { expect } from 'vitest';

/** The PNG every transport must carry: at most this many bytes (issue 14). */
export const MAX_PNG_BYTES = 250 * 1024;

/**
 * Checks bytes are a PNG as a viewer reads them: the 8-byte signature, then the IHDR chunk
 * (length 13) with the width and height; at most {@link MAX_PNG_BYTES}. Returns the size.
 */
export function expectPng(bytes: Uint8Array): { width: number; height: number; bytes: number } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect([...b.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(b.readUInt32BE(8)).toBe(13);
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR');
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  expect(width).toBeGreaterThan(0);
  expect(height).toBeGreaterThan(0);
  // The last chunk is IEND: a truncated file is caught too.
  expect(b.subarray(b.length - 8, b.length - 4).toString('latin1')).toBe('IEND');
  expect(b.length).toBeLessThanOrEqual(MAX_PNG_BYTES);
  return { width, height, bytes: b.length };
}
