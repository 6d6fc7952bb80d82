import { InstantSample } from './prometheus';
import { rankStragglers, summariseWorkloads } from './stragglers';

const s = (labels: Record<string, string>, value: number): InstantSample => ({ labels: { cluster: 'c', ...labels }, value });

describe('straggler ranking', () => {
  test('flagged first, then by score, then by name', () => {
    const rows = rankStragglers(
      [s({ node: 'a' }, 1), s({ node: 'b' }, 5), s({ node: 'c' }, 4), s({ node: 'd' }, 1)],
      [s({ node: 'c', cause: 'thermal' }, 1)],
      [s({ node: 'a' }, 0.9), s({ node: 'b' }, 0.5), s({ node: 'c' }, 0.6), s({ node: 'd' }, 0.9)]
    );
    expect(rows.map((r) => r.node)).toEqual(['c', 'b', 'a', 'd']);
    expect(rows[0]).toMatchObject({ flagged: true, cause: 'thermal', score: 4, smActive: 0.6 });
    expect(rows[1]).toMatchObject({ flagged: false, cause: null });
  });
  test('several causes are kept, nodes without a score rank last', () => {
    const rows = rankStragglers(
      [s({ node: 'a' }, 2)],
      [s({ node: 'x', cause: 'xid' }, 1), s({ node: 'x', cause: 'nvme_stall' }, 1), s({ node: 'y', cause: 'thermal' }, 0)],
      [s({ node: 'z' }, 0.1)]
    );
    expect(rows.map((r) => r.node)).toEqual(['x', 'a', 'z']);
    expect(rows[0].cause).toBe('nvme_stall, xid');
  });
  test('workloads with stragglers first', () => {
    const list = summariseWorkloads(
      [s({ workload: 'w1' }, 0.8), s({ workload: 'w2' }, 0.7), s({ workload: 'w0' }, Number.NaN)],
      [s({ workload: 'w2' }, 2), s({ workload: 'unknown' }, 9)]
    );
    expect(list.map((w) => [w.workload, w.stragglers])).toEqual([
      ['w2', 2],
      ['w0', 0],
      ['w1', 0],
    ]);
    expect(list[1].median).toBeNull();
  });
  test('1,000 nodes rank quickly', () => {
    const scores = Array.from({ length: 1000 }, (_, i) => s({ node: `n${i}` }, (i * 7919) % 1000));
    const started = performance.now();
    const rows = rankStragglers(scores, [], scores);
    expect(rows).toHaveLength(1000);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
