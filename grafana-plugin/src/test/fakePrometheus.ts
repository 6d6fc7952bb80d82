/**
 * A fake of the Prometheus HTTP API for page tests: answers are chosen by the first rule whose
 * pattern matches the query, in the shape the real API returns.
 */
export interface FakeRule {
  match: RegExp;
  /** Instant answer: one sample per entry. */
  vector?: Array<{ labels: Record<string, string>; value: number }>;
  /** Range answer: one series per entry, values at 60 s steps from t=1000. */
  matrix?: Array<{ labels: Record<string, string>; values: number[] }>;
  error?: { status: number; message: string };
}

export interface FakeRequest {
  url: string;
  params: Record<string, string>;
}

export function answer(rules: FakeRule[], request: FakeRequest): { status: number; body: unknown } {
  const labelMatch = /\/label\/([^/]+)\/values$/.exec(request.url);
  if (labelMatch) {
    return { status: 200, body: { status: 'success', data: ['cluster-a'] } };
  }
  const query = request.params.query ?? '';
  const isRange = request.url.endsWith('/query_range');
  const rule = rules.find((r) => r.match.test(query));
  if (rule?.error) {
    return { status: rule.error.status, body: { status: 'error', error: rule.error.message } };
  }
  if (isRange) {
    const result = (rule?.matrix ?? []).map((s) => ({ metric: s.labels, values: s.values.map((v, i) => [1000 + i * 60, String(v)]) }));
    return { status: 200, body: { status: 'success', data: { resultType: 'matrix', result } } };
  }
  const result = (rule?.vector ?? []).map((s) => ({ metric: s.labels, value: [2000, String(s.value)] }));
  return { status: 200, body: { status: 'success', data: { resultType: 'vector', result } } };
}
