import { describe, expect, it } from 'vitest';
import { auditBody, canonicalJson } from './audit';
import { auditBodyOf, epochToIso } from './auditAnchor';

describe('the verifier’s fast paths give the same text as the chain’s formula', () => {
  const base = {
    facilityId: '0b7c1f2e-1111-4222-8333-444455556666',
    occurredAt: '2026-12-01T03:04:05.678Z',
    userId: null,
    patientId: '0b7c1f2e-1111-4222-8333-444455550000',
    action: 'read',
    procedure: 'chart.chart',
    outcome: 'ok',
  };
  const details: Record<string, unknown>[] = [
    {},
    { what: 'chart', encounters: 3 },
    { z: [1, { b: 2, a: '"引用"\n' }], a: null, m: { y: true, x: 1.5 } },
    { sealed: [{ t: 'lab_results', k: 'x', h: 'y' }], キー: 'ｶﾅ', '': 0 },
  ];
  it('auditBodyOf = auditBody', () => {
    for (const detail of details) {
      expect(auditBodyOf({ ...base, detail })).toBe(auditBody({ ...base, detail }));
      expect(auditBodyOf({ ...base, userId: base.patientId, patientId: null, detail })).toBe(
        auditBody({ ...base, userId: base.patientId, patientId: null, detail }),
      );
    }
  });

  it('canonicalJson sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, undefined], c: undefined } })).toBe(
      '{"a":{"d":[3,null]},"b":1}',
    );
    expect(canonicalJson(new Date('2026-12-01T00:00:00Z'))).toBe('"2026-12-01T00:00:00.000Z"');
  });

  it('epochToIso reads the server’s epoch text to the millisecond (truncated, like a Date)', () => {
    expect(epochToIso('1796084181.123456')).toBe(new Date(1796084181123).toISOString());
    expect(epochToIso('1796084181.1')).toBe(new Date(1796084181100).toISOString());
    expect(epochToIso('1796084181')).toBe(new Date(1796084181000).toISOString());
  });
});
