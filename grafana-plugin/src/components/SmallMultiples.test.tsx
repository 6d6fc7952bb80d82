import React from 'react';
import { render, screen } from '@testing-library/react';
import { SmallMultiples } from './SmallMultiples';
import { testIds } from './testIds';
import { StragglerRow } from '../lib/stragglers';

const row = (node: string, flagged = false): StragglerRow => ({ cluster: 'c', node, score: 0, smActive: 0.8, flagged, cause: null });

describe('SmallMultiples', () => {
  test('a young job with one sample per node shows a dot for each node and for the median', () => {
    const seriesByNode = new Map([
      ['n1', { labels: { node: 'n1' }, times: [1000], values: [0.8] }],
      ['n2', { labels: { node: 'n2' }, times: [1000], values: [0.5] }],
    ]);
    const median = { labels: {}, times: [1000], values: [0.65] };
    render(<SmallMultiples rows={[row('n2', true), row('n1')]} seriesByNode={seriesByNode} median={median} />);
    for (const cell of screen.getAllByTestId(testIds.stragglers.multiple)) {
      const dots = [...cell.querySelectorAll('path')].map((p) => p.getAttribute('d') ?? '').filter((d) => d.endsWith('h0'));
      expect(dots).toHaveLength(2); // the node's sample and the median's
    }
  });

  test('two samples draw a line across the cell', () => {
    const seriesByNode = new Map([['n1', { labels: { node: 'n1' }, times: [1000, 1015], values: [0.8, 0.7] }]]);
    render(<SmallMultiples rows={[row('n1')]} seriesByNode={seriesByNode} />);
    const paths = [...screen.getByTestId(testIds.stragglers.multiple).querySelectorAll('path')].map((p) => p.getAttribute('d'));
    expect(paths).toEqual([expect.stringMatching(/^M3\.0,[\d.]+L157\.0,[\d.]+$/)]);
  });
});
