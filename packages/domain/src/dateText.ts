/**
 * Reads a date the way reception staff type it: 1975-04-01, 1975/4/1, 19750401, or in 和暦
 * with the era's initial (S50.4.1, H1/1/8, R7.4.1; M/T/S/H/R, any width). Returns ISO or null.
 */
const ERA_OFFSET: Record<string, number> = { M: 1867, T: 1911, S: 1925, H: 1988, R: 2018 };

function validIso(y: number, m: number, d: number): string | null {
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
}

export function parseDateText(input: string): string | null {
  const text = input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (m) return validIso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^((?:18|19|20)\d{2})(\d{2})(\d{2})$/.exec(text);
  if (m) return validIso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^([MTSHR])(\d{1,2})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (m) return validIso((ERA_OFFSET[m[1] as string] ?? 0) + Number(m[2]), Number(m[3]), Number(m[4]));
  return null;
}
