import { DEFAULT_SETTINGS, offerDisplayName, readSettings, validateSettings } from './settings';

describe('settings', () => {
  test('defaults for missing or hostile jsonData', () => {
    expect(readSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(readSettings('x')).toEqual(DEFAULT_SETTINGS);
    expect(readSettings({ idleThreshold: 5, currency: 'dollars', currencyPerDollar: -1, referenceOffers: 'no' })).toEqual(DEFAULT_SETTINGS);
  });
  test('valid values are kept and cleaned', () => {
    const s = readSettings({
      datasourceUid: 'prom',
      idleThreshold: '0.2',
      currency: 'eur',
      currencyPerDollar: 0.9,
      referenceOffers: [{ offer: ' neocloud ', label: '' }, { nope: 1 }, null],
    });
    expect(s).toEqual({ datasourceUid: 'prom', idleThreshold: 0.2, currency: 'EUR', currencyPerDollar: 0.9, referenceOffers: [{ offer: 'neocloud', label: 'neocloud' }] });
  });
  test('an empty offer list stays empty (show every offer)', () => {
    expect(readSettings({ referenceOffers: [] }).referenceOffers).toEqual([]);
  });
  test('offer display names', () => {
    expect(offerDisplayName('neocloud_on_demand')).toBe('Neocloud on demand');
    expect(offerDisplayName('')).toBe('');
  });
  test('form validation names each problem', () => {
    expect(validateSettings({ idleThreshold: '0.1', currency: 'usd', currencyPerDollar: '1' })).toEqual([]);
    expect(validateSettings({ idleThreshold: '2', currency: 'US', currencyPerDollar: '0' })).toHaveLength(3);
  });
});
