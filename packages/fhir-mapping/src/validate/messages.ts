// Medplum's validator speaks English; the screen shows Japanese next to what must be fixed.
const RULES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^Missing required property/, () => '必須項目がありません'],
  [/^Invalid additional property "?([^"]*)"?/, (m) => `定義にない項目です (${m[1]})`],
  [/^Constraint (\S+) not met: (.*)$/s, (m) => `規則 ${m[1]} を満たしていません: ${m[2]}`],
  [
    /^Incorrect number of values: expected (\S+), but found (\d+)/,
    (m) => `件数が合いません (${m[1]} 件のところ ${m[2]} 件)`,
  ],
  [/^Value did not match expected pattern/, () => '値が決められた値と一致しません'],
  [/^Value did not match fixed value/, () => '値が固定値と一致しません'],
  [/^Invalid (\w+)/, (m) => `形式が正しくありません (${m[1]})`],
  [/^Expected (.*) but found (.*)$/, (m) => `型が正しくありません (${m[1]} のところ ${m[2]})`],
  [/slice/i, () => 'スライスの件数または内容が正しくありません'],
];

export function toJapanese(message: string): string {
  for (const [re, f] of RULES) {
    const m = message.match(re);
    if (m) return f(m);
  }
  return `FHIRの定義に合いません: ${message}`;
}
