import { describe, expect, it } from 'vitest';
import { masterNotice, revisionsAfter, SSK_DOWNLOAD_PAGE } from './tariff';

const loadedUntil = (newest: string) => ({ newestChange: () => newest });

describe('master outdated notice', () => {
  it('is silent while the visit is on or before the newest loaded change, or soon after it', () => {
    expect(masterNotice(loadedUntil('2025-10-01'), '2025-09-30')).toBeNull();
    expect(masterNotice(loadedUntil('2025-10-01'), '2025-10-01')).toBeNull();
    expect(masterNotice(loadedUntil('2025-10-01'), '2026-03-31')).toBeNull();
  });

  it('names the 2026-06 revision, the command and the download page for a visit after it', () => {
    const notice = masterNotice(loadedUntil('2025-10-01'), '2026-06-01');
    expect(notice).toContain('2026年6月の診療報酬改定');
    expect(notice).toContain('2025年10月1日');
    expect(notice).toContain('npm run masters:import -- s_ALL');
    expect(notice).toContain(SSK_DOWNLOAD_PAGE);
  });

  it('says monthly changes are missing when the visit is more than six months after the newest one', () => {
    const notice = masterNotice(loadedUntil('2026-06-01'), '2026-12-15');
    expect(notice).toMatch(/2026年6月1日）から6か月以上/);
    expect(masterNotice(loadedUntil('2026-06-01'), '2026-11-30')).toBeNull();
  });

  it('knows the revisions are every other June', () => {
    expect(revisionsAfter('2024-06-01', '2028-06-01')).toEqual(['2026-06-01', '2028-06-01']);
    expect(revisionsAfter('2024-05-31', '2024-06-01')).toEqual(['2024-06-01']);
  });
});
