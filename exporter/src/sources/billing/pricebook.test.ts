import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SourceError } from '../source.js';
import { isGlob, loadPriceBook, parsePriceBook } from './pricebook.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const TESTDATA = join(here, 'testdata', 'pricebook.yaml');
const EXAMPLE = join(here, '..', '..', '..', 'examples', 'pricebook.yaml');

const VALID_NODE = `
  - match: gpu-1
    provider: lambda
    infra: bare_metal
    pricing: on_demand
    team: research
    gpus: 8
    gpu_hourly_cost: 2.5
`;

/** The SourceError message for a price book text, or a failure if it parses. */
function errorOf(text: string): string {
  try {
    parsePriceBook(text, 'book.yaml');
  } catch (err) {
    assert.ok(err instanceof SourceError, `expected SourceError, got ${String(err)}`);
    return err.message;
  }
  assert.fail('expected the price book to be rejected');
}

describe('price book loading', () => {
  it('reads the test price book', async () => {
    const book = await loadPriceBook(TESTDATA);
    assert.equal(book.file, TESTDATA);
    assert.deepEqual(book.namedNodes(), ['dc1-gpu-01', 'lambda-01', 'gpu-b-01', 'gpu-b-02']);
    const owned = book.entryFor('dc1-gpu-01');
    assert.ok(owned?.gpuHourlyCost !== undefined && Math.abs(owned.gpuHourlyCost - 1.4546077625570776) < 1e-9);
    assert.equal(owned.pricing, 'owned');
    assert.equal(book.entryFor('lambda-01')?.gpuHourlyCost, 2.1);
    assert.equal(book.entryForResourceId('bm-7781')?.match, 'lambda-01');
    assert.equal(book.entryFor('gpu-a-17')?.provider, 'lambda');
    assert.equal(book.entryFor('gpu-b-02')?.gpus, 4);
    assert.equal(book.entryFor('aws-p5-01')?.gpus, undefined);
    assert.equal(book.entryFor('aws-p5-01')?.gpuHourlyCost, undefined);
    assert.equal(book.entryFor('elsewhere'), undefined);
    assert.deepEqual(book.references, [
      { model: 'NVIDIA H100 80GB HBM3', offer: 'hyperscaler_on_demand', gpuHourlyCost: 6.98 },
      { model: 'NVIDIA H100 80GB HBM3', offer: 'neocloud_on_demand', gpuHourlyCost: 2.99 },
    ]);
  });

  it('reads the documented example', async () => {
    const book = await loadPriceBook(EXAMPLE);
    assert.ok(book.entries.length > 0);
    assert.ok(book.references.length > 0);
  });

  it('names the file when it cannot be read', async () => {
    await assert.rejects(loadPriceBook(join(here, 'testdata', 'missing.yaml')), (err: Error) => {
      assert.ok(err instanceof SourceError);
      assert.match(err.message, /missing\.yaml: cannot read price book/);
      return true;
    });
  });

  it('refuses a directory and an oversized file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gpufleet-pricebook-'));
    try {
      await assert.rejects(loadPriceBook(dir), /not a regular file/);
      const big = join(dir, 'big.yaml');
      await writeFile(big, `# ${'x'.repeat(9 * 1024 * 1024)}\n`);
      await assert.rejects(loadPriceBook(big), /more than the \d+ accepted/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('defaults to an empty fleet, USD and PUE 1 without colocation', () => {
    const book = parsePriceBook(
      `nodes:
  - match: own-1
    provider: own
    infra: bare_metal
    pricing: owned
    team: t
    gpus: 4
    owned: { capex: 87600, years: 1, power_kw: 0, energy_cost_per_kwh: 0.1 }
`,
      'book.yaml',
    );
    // 87600 / 8760 = 10 $/h over 4 GPUs
    assert.equal(book.entryFor('own-1')?.gpuHourlyCost, 2.5);
    assert.deepEqual(book.fleet, []);
    assert.deepEqual(book.references, []);
  });
});

describe('price book matching', () => {
  it('tells exact names from globs', () => {
    assert.equal(isGlob('gpu-a-*'), true);
    assert.equal(isGlob('gpu-?'), true);
    assert.equal(isGlob('node{1,2}'), true);
    assert.equal(isGlob('gpu-a-01'), false);
    assert.equal(isGlob('ip-10-0-0-1.ec2.internal'), false);
  });

  it('takes the first matching entry', () => {
    const book = parsePriceBook(
      `nodes:
  - match: "gpu-a-0*"
    provider: first
    infra: vm
    pricing: spot
    team: t
  - match: "gpu-*"
    provider: second
    infra: vm
    pricing: spot
    team: t
`,
      'book.yaml',
    );
    assert.equal(book.entryFor('gpu-a-01')?.provider, 'first');
    assert.equal(book.entryFor('gpu-b-01')?.provider, 'second');
    assert.equal(book.entryFor('gpu-a-01')?.provider, 'first'); // cached answer
    assert.deepEqual(book.namedNodes(), []);
  });
});

describe('price book errors name file:line:column', () => {
  it('points at a value of the wrong type', () => {
    const message = errorOf(`nodes:${VALID_NODE}  - match: gpu-2
    provider: lambda
    infra: bare_metal
    pricing: on_demand
    team: research
    gpus: eight
`);
    assert.match(message, /^book\.yaml:14:11: nodes\[1\]\.gpus: /);
  });

  it('points at an unknown key', () => {
    const message = errorOf(`nodes:${VALID_NODE}    gpu_hourly_costs: 3
`);
    assert.match(message, /^book\.yaml:9:5: nodes\[0\]: Unrecognized key/);
  });

  it('points at the mapping missing a key', () => {
    const message = errorOf(`nodes:
  - match: gpu-1
    infra: vm
    pricing: spot
    team: t
`);
    assert.match(message, /^book\.yaml:2:5: nodes\[0\]\.provider: /);
  });

  it('points at a bad enum value', () => {
    const message = errorOf(`nodes:
  - match: gpu-1
    provider: p
    infra: kubernetes
    pricing: spot
    team: t
`);
    assert.match(message, /^book\.yaml:4:12: nodes\[0\]\.infra: /);
  });

  it('reports YAML syntax errors with their position', () => {
    const message = errorOf('nodes:\n  - match: [unclosed\n');
    assert.match(message, /^book\.yaml:\d+:\d+: /);
  });

  it('rejects duplicate keys', () => {
    const message = errorOf('currency: USD\ncurrency: USD\n');
    assert.match(message, /^book\.yaml:2:1: .*unique/i);
  });

  it('rejects an empty file and a non-mapping', () => {
    assert.match(errorOf(''), /^book\.yaml:1:1: the price book is empty/);
    assert.match(errorOf('- a\n- b\n'), /^book\.yaml:1:1: /);
  });

  it('rejects currencies other than USD', () => {
    assert.match(errorOf('currency: EUR\n'), /^book\.yaml:1:11: currency: only USD/);
  });

  it('rejects both a rate and owned hardware', () => {
    const message = errorOf(`nodes:${VALID_NODE.replace('pricing: on_demand', 'pricing: owned')}    owned: { capex: 1, years: 1, power_kw: 1, energy_cost_per_kwh: 1 }
`);
    assert.match(message, /^book\.yaml:9:12: nodes\[0\]\.owned: give either gpu_hourly_cost or owned/);
  });

  it('rejects owned hardware without pricing: owned or without gpus', () => {
    const message = errorOf(`nodes:
  - match: own-1
    provider: own
    infra: bare_metal
    pricing: reserved
    team: t
    owned: { capex: 1, years: 1, power_kw: 1, energy_cost_per_kwh: 1 }
`);
    assert.match(message, /nodes\[0\]\.owned: owned hardware needs pricing: owned/);
    assert.match(message, /book\.yaml:2:5: nodes\[0\]\.gpus: owned hardware needs gpus/);
  });

  it('rejects a PUE below 1, zero years and negative money', () => {
    const message = errorOf(`nodes:
  - match: own-1
    provider: own
    infra: bare_metal
    pricing: owned
    team: t
    gpus: 8
    owned: { capex: -1, years: 0, power_kw: 1, energy_cost_per_kwh: 1, pue: 0.9 }
`);
    assert.match(message, /nodes\[0\]\.owned\.capex/);
    assert.match(message, /nodes\[0\]\.owned\.years/);
    assert.match(message, /nodes\[0\]\.owned\.pue: PUE is at least 1/);
  });

  it('rejects resource_ids on a glob entry', () => {
    const message = errorOf(`nodes:
  - match: "gpu-*"
    provider: p
    infra: vm
    pricing: spot
    team: t
    resource_ids: [i-1]
`);
    assert.match(message, /^book\.yaml:7:19: nodes\[0\]\.resource_ids: resource_ids need an exact node name/);
  });

  it('rejects an exact name hidden behind an earlier glob', () => {
    const message = errorOf(`nodes:
  - match: "gpu-*"
    provider: p
    infra: vm
    pricing: spot
    team: t
${VALID_NODE.slice(1)}`);
    assert.match(message, /^book\.yaml:7:12: nodes\[1\]\.match: node "gpu-1" is already matched by nodes\[0\]/);
  });

  it('rejects the same node, resource id or reference twice', () => {
    const twice = errorOf(`nodes:${VALID_NODE}${VALID_NODE}`);
    assert.match(twice, /nodes\[1\]\.match: node "gpu-1" is already priced by nodes\[0\]/);
    const ids = errorOf(`nodes:
  - match: a
    provider: p
    infra: vm
    pricing: spot
    team: t
    resource_ids: [i-1]
  - match: b
    provider: p
    infra: vm
    pricing: spot
    team: t
    resource_ids: [i-2, i-1]
`);
    assert.match(ids, /^book\.yaml:13:25: nodes\[1\]\.resource_ids\[1\]: resource id "i-1" already belongs to nodes\[0\]/);
    const refs = errorOf(`references:
  - { model: H100, offer: list, gpu_hourly_cost: 1 }
  - { model: H100, offer: list, gpu_hourly_cost: 2 }
`);
    assert.match(refs, /^book\.yaml:3:5: references\[1\]: reference "H100" \/ "list" is listed twice/);
  });

  it('rejects a fleet name no entry describes', () => {
    const message = errorOf(`fleet: [gpu-1, stray-9]
nodes:${VALID_NODE}`);
    assert.match(message, /^book\.yaml:1:16: fleet\[1\]: fleet node "stray-9" matches no nodes entry/);
  });

  it('refuses alias bombs', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    assert.match(errorOf(lines.join('\n')), /^book\.yaml:1:1: .*alias/i);
  });
});
