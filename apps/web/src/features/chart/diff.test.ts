import { describe, expect, it } from 'vitest';
import { diffLines } from './diff';

describe('diffLines', () => {
  it('marks removed and added lines around what stays', () => {
    expect(diffLines('咳が3日\n発熱なし', '咳が5日\n発熱なし\n鼻汁')).toEqual([
      { kind: 'removed', text: '咳が3日' },
      { kind: 'added', text: '咳が5日' },
      { kind: 'same', text: '発熱なし' },
      { kind: 'added', text: '鼻汁' },
    ]);
    expect(diffLines('同じ', '同じ')).toEqual([{ kind: 'same', text: '同じ' }]);
  });
});
