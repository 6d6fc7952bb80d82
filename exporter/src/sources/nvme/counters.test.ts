import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NvmeCounterTracker, advanceWrapping } from './counters.js';
import type { DiskstatsRecord } from './diskstats.js';

function record(device: string, fields: Partial<DiskstatsRecord> = {}): DiskstatsRecord {
  return {
    device,
    major: 259,
    minor: 0,
    line: 1,
    readsCompleted: 10,
    readsMerged: 0,
    sectorsRead: 100,
    readTimeMs: 5,
    writesCompleted: 20,
    writesMerged: 0,
    sectorsWritten: 300,
    writeTimeMs: 7,
    ioInProgress: 0,
    ioTimeMs: 1000,
    weightedIoTimeMs: 12,
    ...fields,
  };
}

const TWO_32 = 2 ** 32;

describe('NvmeCounterTracker', () => {
  it('converts sectors to bytes at 512 bytes each and milliseconds to seconds', () => {
    const tracker = new NvmeCounterTracker();
    const [c] = tracker.observe([record('nvme0n1', { sectorsRead: 8, sectorsWritten: 16, ioTimeMs: 2500 })]);
    assert.deepEqual(c, {
      device: 'nvme0n1',
      readBytes: 4096,
      writtenBytes: 8192,
      ioTimeSeconds: 2.5,
      readsCompleted: 10,
      writesCompleted: 20,
    });
  });

  it('carries io_ticks across the 32-bit wrap', () => {
    const tracker = new NvmeCounterTracker();
    tracker.observe([record('nvme0n1', { ioTimeMs: TWO_32 - 1000 })]);
    const [after] = tracker.observe([record('nvme0n1', { ioTimeMs: 500 })]);
    assert.equal(after!.ioTimeSeconds, (TWO_32 + 500) / 1000);
    // And keeps counting from there, through a second wrap.
    const [later] = tracker.observe([record('nvme0n1', { ioTimeMs: TWO_32 - 10 })]);
    assert.equal(later!.ioTimeSeconds, (2 * TWO_32 - 10) / 1000);
    const [again] = tracker.observe([record('nvme0n1', { ioTimeMs: 20 })]);
    assert.equal(again!.ioTimeSeconds, (2 * TWO_32 + 20) / 1000);
  });

  it('treats a small drop as a reset, not a wrap', () => {
    const tracker = new NvmeCounterTracker();
    tracker.observe([record('nvme0n1', { ioTimeMs: 3_000_000_000 })]);
    const [c] = tracker.observe([record('nvme0n1', { ioTimeMs: 2_000_000_000 })]);
    assert.equal(c!.ioTimeSeconds, 2_000_000);
  });

  it('forgets the wraps of a reset device', () => {
    const tracker = new NvmeCounterTracker();
    tracker.observe([record('nvme0n1', { ioTimeMs: TWO_32 - 5 })]);
    tracker.observe([record('nvme0n1', { ioTimeMs: 5 })]);
    const [reset] = tracker.observe([record('nvme0n1', { ioTimeMs: 3 })]);
    assert.equal(reset!.ioTimeSeconds, 0.003);
  });

  it('passes count fields through so a re-created device shows as a counter reset', () => {
    const tracker = new NvmeCounterTracker();
    tracker.observe([record('nvme0n1', { sectorsRead: 1_000_000, readsCompleted: 5000 })]);
    const [c] = tracker.observe([record('nvme0n1', { sectorsRead: 10, readsCompleted: 1 })]);
    assert.equal(c!.readBytes, 5120);
    assert.equal(c!.readsCompleted, 1);
  });

  it('forgets vanished devices and starts afresh when they reappear', () => {
    const tracker = new NvmeCounterTracker();
    tracker.observe([record('nvme0n1', { ioTimeMs: TWO_32 - 1 }), record('nvme1n1')]);
    tracker.observe([record('nvme0n1', { ioTimeMs: 1 }), record('nvme1n1')]);
    assert.equal(tracker.trackedDevices, 2);
    const without = tracker.observe([record('nvme1n1')]);
    assert.deepEqual(
      without.map((c) => c.device),
      ['nvme1n1'],
    );
    assert.equal(tracker.trackedDevices, 1);
    const [back] = tracker.observe([record('nvme0n1', { ioTimeMs: 7 }), record('nvme1n1')]);
    assert.equal(back!.ioTimeSeconds, 0.007);
  });

  it('keeps every device independent', () => {
    const tracker = new NvmeCounterTracker();
    tracker.observe([record('nvme0n1', { ioTimeMs: TWO_32 - 1 }), record('nvme1n1', { ioTimeMs: 100 })]);
    const out = tracker.observe([record('nvme0n1', { ioTimeMs: 1 }), record('nvme1n1', { ioTimeMs: 200 })]);
    assert.equal(out[0]!.ioTimeSeconds, (TWO_32 + 1) / 1000);
    assert.equal(out[1]!.ioTimeSeconds, 0.2);
  });
});

describe('advanceWrapping', () => {
  it('never wraps a value that was never 32-bit', () => {
    const field = { lastRaw: TWO_32 * 4, wraps: 0 };
    assert.equal(advanceWrapping(field, 10), 10);
    assert.equal(field.wraps, 0);
  });

  it('is monotonic over a long series of 32-bit samples', () => {
    const field = { lastRaw: 0, wraps: 0 };
    let truth = 0;
    let previous = -1;
    for (let i = 0; i < 2000; i++) {
      truth += 97_654_321; // ~27 hours of busy time per step: wraps every ~44 steps
      const value = advanceWrapping(field, truth % TWO_32);
      assert.equal(value, truth);
      assert.ok(value > previous);
      previous = value;
    }
  });
});
