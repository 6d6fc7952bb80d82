import { describeError, diagnoseEmpty } from './diagnosis';

describe('diagnosis', () => {
  test('no raw series: the exporter is not scraped', () => {
    expect(diagnoseEmpty({ recorded: null, raw: null }, undefined).action).toMatch(/exporter scraped/);
    expect(diagnoseEmpty({ recorded: null, raw: null }, 'east').title).toBe('No gpufleet series in cluster "east"');
  });
  test('raw but no recorded series: the rules are not loaded', () => {
    expect(diagnoseEmpty({ recorded: null, raw: 8 }, undefined).action).toMatch(/recording rules/);
  });
  test('both present: widen the range', () => {
    expect(diagnoseEmpty({ recorded: 1, raw: 8 }, undefined).action).toMatch(/time range/);
  });
  test('errors name the data source and the reason', () => {
    expect(describeError({ status: 502, data: { message: 'connection refused' } }, 'Prom').title).toBe('"Prom" did not answer (502)');
    expect(describeError({ status: 400, data: { error: 'bad_data: parse error' } }, 'Prom').action).toBe('bad_data: parse error');
    expect(describeError({ status: 404 }, 'Prom').title).toMatch(/not found/);
    expect(describeError(new Error('boom'), 'Prom').action).toBe('boom');
  });
});
