import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { parseExposition, type ParsedSample } from './parser.js';

const ORIGIN = 'http://127.0.0.1:9400/metrics';

function parse(text: string) {
  return parseExposition(text, ORIGIN);
}

/** Plain-object view of a sample, for deepEqual. */
function plain(sample: ParsedSample | undefined) {
  assert.ok(sample, 'expected a sample');
  return { name: sample.name, labels: { ...sample.labels }, value: sample.value, lineNumber: sample.lineNumber };
}

describe('parseExposition: valid input', () => {
  it('parses HELP, TYPE and samples with labels', () => {
    const result = parse(
      '# HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).\n' +
        '# TYPE DCGM_FI_DEV_GPU_TEMP gauge\n' +
        'DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-1"} 25\n',
    );
    assert.deepEqual(result.errors, []);
    assert.equal(result.helps.get('DCGM_FI_DEV_GPU_TEMP'), 'GPU temperature (in C).');
    assert.equal(result.types.get('DCGM_FI_DEV_GPU_TEMP'), 'gauge');
    assert.deepEqual(plain(result.samples[0]), {
      name: 'DCGM_FI_DEV_GPU_TEMP',
      labels: { gpu: '0', UUID: 'GPU-1' },
      value: 25,
      lineNumber: 3,
    });
  });

  it('parses a sample without labels and with an empty label set', () => {
    const result = parse('up 1\nother{} 2\n');
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.samples.map(plain), [
      { name: 'up', labels: {}, value: 1, lineNumber: 1 },
      { name: 'other', labels: {}, value: 2, lineNumber: 2 },
    ]);
  });

  it('resolves the three escapes in label values', () => {
    const result = parse('m{a="back\\\\slash",b="say \\"hi\\"",c="two\\nlines"} 1');
    assert.deepEqual(result.errors, []);
    assert.deepEqual({ ...result.samples[0]?.labels }, { a: 'back\\slash', b: 'say "hi"', c: 'two\nlines' });
  });

  it('keeps a raw backslash that starts no valid escape (dcgm-exporter does not escape pod labels)', () => {
    const result = parse('m{pod="C:\\temp\\x",path="a\\b"} 1');
    assert.deepEqual(result.errors, []);
    assert.deepEqual({ ...result.samples[0]?.labels }, { pod: 'C:\\temp\\x', path: 'a\\b' });
  });

  it('accepts an empty HELP text with a trailing space, and HELP/TYPE without samples', () => {
    const result = parse('# HELP TEST_METRIC \n# TYPE TEST_METRIC gauge\n# HELP lonely Nobody samples me.\n');
    assert.deepEqual(result.errors, []);
    assert.equal(result.helps.get('TEST_METRIC'), '');
    assert.equal(result.helps.get('lonely'), 'Nobody samples me.');
    assert.equal(result.samples.length, 0);
  });

  it('unescapes HELP text', () => {
    const result = parse('# HELP m first\\nsecond \\\\ and \\q\n');
    assert.equal(result.helps.get('m'), 'first\nsecond \\ and \\q');
  });

  it('parses NaN, +Inf, -Inf, exponents and signs', () => {
    const result = parse('a NaN\nb +Inf\nc -Inf\nd 1.5e3\ne -0.25\nf .5\ng 9223372036854775794\nh Inf\n');
    assert.deepEqual(result.errors, []);
    const values = result.samples.map((s) => s.value);
    assert.ok(Number.isNaN(values[0]));
    assert.deepEqual(values.slice(1), [Infinity, -Infinity, 1500, -0.25, 0.5, 9223372036854775794, Infinity]);
  });

  it('accepts and ignores a timestamp after the value', () => {
    const result = parse('m{a="1"} 3 1712345678901\nn 4 -5\n');
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.samples.map((s) => s.value),
      [3, 4],
    );
  });

  it('accepts a missing final newline, CRLF line ends, blank lines and comments', () => {
    const result = parse('# just a comment\r\n\r\n   \r\nm{a="x"} 1\r\n\n# another\nn 2');
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.samples.map(plain), [
      { name: 'm', labels: { a: 'x' }, value: 1, lineNumber: 4 },
      { name: 'n', labels: {}, value: 2, lineNumber: 7 },
    ]);
  });

  it('accepts blanks around label separators and a trailing comma', () => {
    const result = parse('m{gpu="0", UUID = "GPU-1" ,} 7');
    assert.deepEqual(result.errors, []);
    assert.deepEqual({ ...result.samples[0]?.labels }, { gpu: '0', UUID: 'GPU-1' });
  });

  it('keeps a label named __proto__ as data, not as a prototype', () => {
    const result = parse('m{__proto__="x"} 1\nm{__proto__="x",__proto__="y"} 2');
    assert.deepEqual(result.errors, [`${ORIGIN}:2: duplicate label __proto__`]);
    const labels = result.samples[0]?.labels ?? {};
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
    assert.deepEqual(Object.entries(labels), [['__proto__', 'x']]);
    assert.ok(Object.hasOwn(labels, '__proto__'));
  });
});

describe('parseExposition: malformed lines are reported and skipped', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['bad metric name', '1bad 2', /:1: invalid metric name/],
    ['unterminated label value', 'm{a="open} 1', /:1: unterminated value for label a/],
    ['missing value', 'm{a="x"}', /:1: missing value for m/],
    ['missing value without labels', 'm   ', /:1: missing value for m/],
    ['garbage value', 'm 12abc', /:1: invalid value "12abc" for m/],
    ['hexadecimal value', 'm 0x1F', /:1: invalid value "0x1F" for m/],
    ['duplicate label name', 'm{a="1",a="2"} 1', /:1: duplicate label a/],
    ['label without quotes', 'm{a=1} 1', /:1: expected quoted value for label a/],
    ['bad label name', 'm{1a="x"} 1', /:1: invalid label name/],
    ['missing comma between labels', 'm{a="1" b="2"} 1', /:1: expected "," or "}" after label a/],
    ['unterminated label set', 'm{a="1"', /:1: unterminated label set/],
    ['value glued to the name', 'm{a="1"}5', /:1: unexpected character after m/],
    ['garbage in the name', 'm-x 1', /:1: unexpected character after m/],
    ['bad timestamp', 'm 1 soon', /:1: invalid timestamp "soon" for m/],
    ['text after timestamp', 'm 1 2 3', /:1: unexpected text after timestamp of m/],
    ['bad TYPE', '# TYPE m sometimes', /:1: invalid type "sometimes" for m/],
    ['TYPE without name', '# TYPE', /:1: TYPE line without a valid metric name/],
    ['HELP with bad name', '# HELP 9m text', /:1: HELP line without a valid metric name/],
    ['second TYPE', '# TYPE m gauge\n# TYPE m counter', /:2: second TYPE line for m/],
    ['second HELP', '# HELP m a\n# HELP m b', /:2: second HELP line for m/],
  ];
  for (const [title, text, expected] of cases) {
    it(title, () => {
      const result = parse(text);
      assert.equal(result.errors.length, 1, `errors: ${result.errors.join(' | ')}`);
      assert.match(result.errors[0] ?? '', expected);
      assert.ok(result.errors[0]?.startsWith(`${ORIGIN}:`));
    });
  }

  it('keeps parsing after a bad line', () => {
    const result = parse('good 1\nbad{ 2\nalso_good{a="b"} 3\n');
    assert.deepEqual(result.errors, [`${ORIGIN}:2: invalid label name at "2"`]);
    assert.deepEqual(
      result.samples.map((s) => [s.name, s.lineNumber]),
      [
        ['good', 1],
        ['also_good', 3],
      ],
    );
  });

  it('keeps at most maxErrors messages and summarises the rest', () => {
    const result = parseExposition('x\n'.repeat(10), 'file.prom', { maxErrors: 3 });
    assert.deepEqual(result.errors, [
      'file.prom:1: missing value for x',
      'file.prom:2: missing value for x',
      'file.prom:3: missing value for x',
      'file.prom: 7 more malformed line(s) not listed',
    ]);
  });
});

describe('parseExposition: cost', () => {
  it('stays linear on a huge single line and on many lines', () => {
    const longValue = 'a'.repeat(4 * 1024 * 1024);
    let started = performance.now();
    const oneLine = parse(`m{a="${longValue}`);
    const oneLineMs = performance.now() - started;
    assert.equal(oneLine.errors.length, 1);

    const manyLines = 'DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-1",pod="p"} 25\n'.repeat(100_000);
    started = performance.now();
    const many = parse(manyLines);
    const manyMs = performance.now() - started;
    assert.equal(many.samples.length, 100_000);
    // Generous bounds: a quadratic parser takes seconds to minutes here.
    assert.ok(oneLineMs < 1000, `4 MiB line took ${oneLineMs} ms`);
    assert.ok(manyMs < 2000, `100k lines took ${manyMs} ms`);
  });
});

describe('parseExposition: real dcgm-exporter captures', () => {
  const fixtureDir = fileURLToPath(new URL('../../../../shared/fixtures/dcgm/', import.meta.url));

  it('finds the shared fixtures', () => {
    assert.ok(existsSync(fixtureDir), `fixture directory missing: ${fixtureDir}`);
  });

  const files = existsSync(fixtureDir) ? readdirSync(fixtureDir).filter((f) => f.endsWith('.prom')) : [];
  it('has all six captures', () => assert.equal(files.length, 6, `found ${files.join(', ')}`));
  for (const file of files) {
    it(`parses ${file} with zero errors`, () => {
      const result = parseExposition(readFileSync(fixtureDir + file, 'utf8'), file);
      assert.deepEqual(result.errors, []);
      assert.ok(result.samples.length > 0);
    });
  }
});
