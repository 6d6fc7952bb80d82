import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue, mergeFamilies, renderFamilies } from './render.js';

test('renders HELP, TYPE and samples with escaped label values', () => {
  const text = renderFamilies([
    {
      name: 'gpufleet_gpu_info',
      help: 'GPU identity.\nOne per GPU \\ instance.',
      type: 'gauge',
      samples: [{ labels: { node: 'n1', pod: 'a"b\\c\nd' }, value: 1 }],
    },
  ]);
  assert.equal(
    text,
    '# HELP gpufleet_gpu_info GPU identity.\\nOne per GPU \\\\ instance.\n' +
      '# TYPE gpufleet_gpu_info gauge\n' +
      'gpufleet_gpu_info{node="n1",pod="a\\"b\\\\c\\nd"} 1\n',
  );
});

test('leaves out families without samples and renders special values', () => {
  assert.equal(renderFamilies([{ name: 'x', help: 'h', type: 'gauge', samples: [] }]), '');
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(Infinity), '+Inf');
  assert.equal(formatValue(-Infinity), '-Inf');
  assert.equal(formatValue(0.25), '0.25');
  assert.equal(renderFamilies([{ name: 'y', help: '', type: 'counter', samples: [{ labels: {}, value: 3 }] }]), '# HELP y \n# TYPE y counter\ny 3\n');
});

test('merges families of the same name from several sources', () => {
  const merged = mergeFamilies([
    [{ name: 'a', help: 'first', type: 'gauge', samples: [{ labels: { s: '1' }, value: 1 }] }],
    [{ name: 'a', help: 'second', type: 'gauge', samples: [{ labels: { s: '2' }, value: 2 }] }],
  ]);
  assert.equal(merged.length, 1);
  assert.equal(merged[0]?.help, 'first');
  assert.deepEqual(merged[0]?.samples.map((s) => s.value), [1, 2]);
});
