import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledTariff } from './bundled';
import { drugFeePoints } from './rules';
import type { BillingResult } from './types';

// billing:calc as a process: JSON on stdin, JSON on stdout, one line on stderr and exit 1 for bad input.
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
function calc(input: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The issue's example case.
const ISSUE_CASE = {
  birthDate: '1984-05-10',
  ratio: 3,
  kubun: 'ウ',
  publicSubsidies: [{ payerNumber: '54136015', monthlyCapYen: 10000 }],
  visits: [
    {
      date: '2024-07-03',
      items: [
        { code: '112007410' },
        { code: '160022510', count: 1 },
        { drug: '620007870', amount: 1, days: 28, rp: 1 },
        { drug: '622234201', amount: 14, rp: 2 },
      ],
    },
    { date: '2024-07-20', points: 4000 },
  ],
};

// Each spawn loads tsx and the masters (≈ 1–3 s on a shared machine).
describe('billing:calc', { timeout: 60_000 }, () => {
  it('prices the issue example: 再診 75 + AST 17 + 生化学(I)判断料 144 + 薬剤料 (needs copay)', () => {
    const r = calc(JSON.stringify(ISSUE_CASE));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as BillingResult;
    const tape = bundledTariff().drug('622234201', '2024-07-03');
    const tapePoints = drugFeePoints(Math.round((tape?.priceYen ?? 0) * 100 * 14));
    // アムロジピン錠5mg 10.10円 ≤ 15円 → 1点 × 28日; the tape is 外用, one 調剤
    expect(out.visits.map((v) => v.points)).toEqual([75 + 17 + 144 + 28 + tapePoints, 4000]);
    expect(out.visits[0]?.lines.every((l) => l.reason.length > 0)).toBe(true);
  });

  it('D04 468点 3割 → 窓口 1,400円 (needs copay)', () => {
    const r = calc(
      JSON.stringify({
        birthDate: '1970-01-01',
        ratio: 3,
        visits: [
          {
            date: '2024-07-10',
            items: [{ code: '112007410' }, { code: '113707110' }, { code: '120002910' }],
          },
        ],
      }),
    );
    expect(r.status).toBe(0);
    const [v] = (JSON.parse(r.stdout) as BillingResult).visits;
    expect(v?.points).toBe(468);
    expect(v?.patientYen).toBe(1400);
  });

  const oneLine = (r: { status: number | null; stdout: string; stderr: string }) => {
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    return r.stderr;
  };

  it('malformed JSON → exit 1, one line', () => {
    expect(oneLine(calc('{"birthDate":'))).toMatch(/JSON/);
  });

  it('unknown code and code not valid on the date → exit 1 naming the code', () => {
    const at = (date: string, code: string) =>
      calc(JSON.stringify({ birthDate: '1984-05-10', visits: [{ date, items: [{ code }] }] }));
    expect(oneLine(at('2024-07-03', '199999999'))).toMatch(/199999999/);
    expect(oneLine(at('2024-12-01', '111703170'))).toMatch(/111703170.*2024-12-01/);
    expect(
      oneLine(
        calc(
          JSON.stringify({
            birthDate: '1984-05-10',
            visits: [{ date: '2024-07-03', items: [{ drug: '123456789', amount: 1 }] }],
          }),
        ),
      ),
    ).toMatch(/医薬品 123456789/);
  });

  it('schema errors → exit 1 naming the field', () => {
    const bad = { ...ISSUE_CASE, visits: [{ date: '2024-07-03', items: [{ code: '112007410', cont: 1 }] }] };
    expect(oneLine(calc(JSON.stringify(bad)))).toMatch(/^入力が不正です: visits\.0\.items\.0/);
    expect(oneLine(calc(JSON.stringify({ ...ISSUE_CASE, birthDate: '1984-02-30' })))).toMatch(/birthDate/);
    expect(
      oneLine(calc(JSON.stringify({ birthDate: '1984-05-10', visits: [{ date: '2024-07-03' }] }))),
    ).toMatch(/items と points/);
  });
});
