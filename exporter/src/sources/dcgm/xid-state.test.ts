import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { XidState } from './xid-state.js';

const counts = (state: XidState, key: string) => [...state.counts(key)];

describe('XidState', () => {
  it('takes the first value as a baseline and counts each change to a non-zero code', () => {
    const state = new XidState();
    state.observe('gpu', 48);
    assert.deepEqual(counts(state, 'gpu'), []);
    state.observe('gpu', 48);
    state.observe('gpu', 79);
    state.observe('gpu', 31);
    state.observe('gpu', 79);
    assert.deepEqual(counts(state, 'gpu'), [
      [79, 2],
      [31, 1],
    ]);
  });

  it('does not count a return to 0, and counts the same code again after it', () => {
    const state = new XidState();
    state.observe('gpu', 0);
    state.observe('gpu', 13);
    state.observe('gpu', 0);
    state.observe('gpu', 13);
    assert.deepEqual(counts(state, 'gpu'), [[13, 2]]);
  });

  it('keeps devices apart and forgets the ones not retained', () => {
    const state = new XidState();
    for (const key of ['a', 'b']) {
      state.observe(key, 0);
      state.observe(key, 62);
    }
    state.retainOnly(new Set(['a']));
    assert.equal(state.size, 1);
    assert.deepEqual(counts(state, 'a'), [[62, 1]]);
    assert.deepEqual(counts(state, 'b'), []);
    state.observe('b', 62); // back: a new baseline
    assert.deepEqual(counts(state, 'b'), []);
  });
});
