import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { isDcgmBlank } from './sentinel.js';

describe('isDcgmBlank', () => {
  it('recognises the int64 blanks, which all round to 2^63 as doubles', () => {
    for (const text of ['9223372036854775792', '9223372036854775794', '9223372036854775807', '1e19']) {
      assert.equal(isDcgmBlank(Number(text)), true, text);
    }
  });

  it('recognises the int32 blanks 2147483632..2147483647', () => {
    for (let v = 0x7ffffff0; v <= 0x7fffffff; v++) assert.equal(isDcgmBlank(v), true, String(v));
    assert.equal(isDcgmBlank(0x7ffffff0 - 1), false);
    assert.equal(isDcgmBlank(0x7fffffff + 1), false);
  });

  it('recognises the fp64 blank codes at 2^47 and nothing just past them', () => {
    assert.equal(isDcgmBlank(2 ** 47), true);
    assert.equal(isDcgmBlank(2 ** 47 + 3), true);
    assert.equal(isDcgmBlank(2 ** 47 + 16), false);
    assert.equal(isDcgmBlank(2 ** 47 - 1), false);
  });

  it('leaves ordinary readings alone', () => {
    for (const v of [0, 1, 0.5, 25, 8.969, 128996013, 15109, 1.41e9, 2 ** 62, -1])
      assert.equal(isDcgmBlank(v), false, String(v));
  });
});
