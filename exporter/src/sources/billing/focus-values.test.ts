import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellText, parseDecimal, parseTimestamp } from './focus-values.js';

const JAN1 = Date.UTC(2024, 0, 1);

describe('FOCUS cell values', () => {
  it('treats empty cells and the literal NULL as null', () => {
    assert.equal(cellText(''), undefined);
    assert.equal(cellText('   '), undefined);
    assert.equal(cellText('NULL'), undefined);
    assert.equal(cellText('null'), undefined);
    assert.equal(cellText(undefined), undefined);
    assert.equal(cellText(' gpu-a-01 '), 'gpu-a-01');
    assert.equal(cellText('NULLIFY'), 'NULLIFY');
  });

  it('parses plain decimals only', () => {
    assert.equal(parseDecimal('12.5'), 12.5);
    assert.equal(parseDecimal('-0.25'), -0.25);
    assert.equal(parseDecimal('+3'), 3);
    assert.equal(parseDecimal('.5'), 0.5);
    assert.equal(parseDecimal('1e3'), 1000);
    assert.equal(parseDecimal(' 7 '), 7);
    for (const bad of ['', 'NULL', 'abc', '0x10', 'Infinity', '1,5', '1.2.3', '$5', '1e999', '--1']) {
      assert.ok(Number.isNaN(parseDecimal(bad)), bad);
    }
  });

  it('accepts the timestamp spellings seen in exports', () => {
    for (const text of [
      '2024-01-01T00:00:00Z',
      '2024-01-01T00:00:00.000Z',
      '2024-01-01 00:00:00',
      '2024-01-01T00:00:00+00:00',
      '2024-01-01T00:00:00+0000',
      '2024-01-01 00:00:00 UTC',
      '2024-01-01',
      '2024-01-01T00:00',
    ]) {
      assert.equal(parseTimestamp(text), JAN1, text);
    }
  });

  it('applies offsets and fractions', () => {
    assert.equal(parseTimestamp('2024-01-01T02:00:00+02:00'), JAN1);
    assert.equal(parseTimestamp('2023-12-31T19:00:00-05:00'), JAN1);
    assert.equal(parseTimestamp('2024-01-01T00:00:00.5Z'), JAN1 + 500);
    assert.equal(parseTimestamp('2024-01-01T00:00:00.123456Z'), JAN1 + 123);
  });

  it('rejects dates that do not exist or are not dates', () => {
    for (const bad of [
      '',
      'NULL',
      '2024-02-30T00:00:00Z',
      '2023-02-29',
      '2024-13-01',
      '2024-01-01T24:00:00Z',
      '2024-01-01T00:60:00Z',
      '01/01/2024',
      'Jan 1 2024',
      '2024-01-01T00:00:00+25:00',
      '1704067200',
    ]) {
      assert.ok(Number.isNaN(parseTimestamp(bad)), bad);
    }
    assert.equal(parseTimestamp('2024-02-29'), Date.UTC(2024, 1, 29));
  });
});
