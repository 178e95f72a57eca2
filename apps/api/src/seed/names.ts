/**
 * Fictional demo people: common Japanese family and given names combined at random.
 * Any resemblance to a real patient is chance; addresses use the made-up town デモ町.
 */
export const familyNames: [string, string][] = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
  ['吉田', 'ヨシダ'],
  ['山田', 'ヤマダ'],
  ['佐々木', 'ササキ'],
  ['山口', 'ヤマグチ'],
  ['松本', 'マツモト'],
  ['井上', 'イノウエ'],
  ['木村', 'キムラ'],
  ['林', 'ハヤシ'],
  ['斎藤', 'サイトウ'],
  ['清水', 'シミズ'],
  ['山崎', 'ヤマザキ'],
  ['森', 'モリ'],
  ['池田', 'イケダ'],
  ['橋本', 'ハシモト'],
  ['阿部', 'アベ'],
  ['石川', 'イシカワ'],
  ['山下', 'ヤマシタ'],
  ['中島', 'ナカジマ'],
  ['石井', 'イシイ'],
  ['小川', 'オガワ'],
  ['前田', 'マエダ'],
  ['岡田', 'オカダ'],
  ['長谷川', 'ハセガワ'],
  ['藤田', 'フジタ'],
  ['後藤', 'ゴトウ'],
  ['近藤', 'コンドウ'],
  ['村上', 'ムラカミ'],
  ['遠藤', 'エンドウ'],
  ['青木', 'アオキ'],
  ['坂本', 'サカモト'],
];

export const givenNames: [string, string, 'male' | 'female'][] = [
  ['太郎', 'タロウ', 'male'],
  ['一郎', 'イチロウ', 'male'],
  ['健太', 'ケンタ', 'male'],
  ['翔太', 'ショウタ', 'male'],
  ['大輔', 'ダイスケ', 'male'],
  ['拓也', 'タクヤ', 'male'],
  ['浩', 'ヒロシ', 'male'],
  ['誠', 'マコト', 'male'],
  ['蓮', 'レン', 'male'],
  ['悠真', 'ユウマ', 'male'],
  ['湊', 'ミナト', 'male'],
  ['隆', 'タカシ', 'male'],
  ['茂', 'シゲル', 'male'],
  ['勇気', 'ユウキ', 'male'],
  ['陽翔', 'ハルト', 'male'],
  ['修', 'オサム', 'male'],
  ['花子', 'ハナコ', 'female'],
  ['陽子', 'ヨウコ', 'female'],
  ['美咲', 'ミサキ', 'female'],
  ['さくら', 'サクラ', 'female'],
  ['恵子', 'ケイコ', 'female'],
  ['由美', 'ユミ', 'female'],
  ['結衣', 'ユイ', 'female'],
  ['葵', 'アオイ', 'female'],
  ['陽菜', 'ヒナ', 'female'],
  ['幸子', 'サチコ', 'female'],
  ['久美子', 'クミコ', 'female'],
  ['真由美', 'マユミ', 'female'],
  ['芽依', 'メイ', 'female'],
  ['和子', 'カズコ', 'female'],
  ['明美', 'アケミ', 'female'],
  ['紬', 'ツムギ', 'female'],
];

export const places: [string, string][] = [
  ['100-0001', '東京都千代田区デモ町'],
  ['160-0022', '東京都新宿区デモ町'],
  ['176-0001', '東京都練馬区デモ町'],
  ['231-0001', '神奈川県横浜市中区デモ町'],
  ['330-0001', '埼玉県さいたま市浦和区デモ町'],
  ['260-0001', '千葉県千葉市中央区デモ町'],
  ['530-0001', '大阪府大阪市北区デモ町'],
  ['460-0001', '愛知県名古屋市中区デモ町'],
];

/** A small deterministic PRNG (mulberry32), so every demo clinic has the same patients. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoPerson {
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  sex: 'male' | 'female';
  birthDate: string;
  postalCode: string;
  address: string;
  phone: string;
}

export function demoPeople(count: number, seed = 20261125): DemoPerson[] {
  const rnd = prng(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const people: DemoPerson[] = [];
  for (let i = 0; i < count; i++) {
    const [familyName, familyNameKana] = pick(familyNames);
    const [givenName, givenNameKana, sex] = pick(givenNames);
    const [postalCode, town] = pick(places);
    const birth = new Date(Date.UTC(1932, 0, 1) + Math.floor(rnd() * 92 * 365.25) * 86_400_000);
    const block = `${1 + Math.floor(rnd() * 9)}-${1 + Math.floor(rnd() * 30)}-${1 + Math.floor(rnd() * 20)}`;
    const line = String(Math.floor(rnd() * 10_000)).padStart(4, '0');
    people.push({
      familyName,
      givenName,
      familyNameKana,
      givenNameKana,
      sex,
      birthDate: birth.toISOString().slice(0, 10),
      postalCode,
      address: `${town}${block}`,
      phone: rnd() < 0.5 ? `090-0000-${line}` : `03-0000-${line}`,
    });
  }
  return people;
}
