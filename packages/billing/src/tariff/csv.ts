// The 支払基金 CSV dialect: comma-separated, every field double-quoted ("" inside a field = one "), CRLF or LF,
// no header. A small state machine: the files are large (s_ALL ≈ 7.7 MB) and a split on '","' would break on
// a quoted comma.

export function parseSskCsv(text: string): string[][] {
  // Most fields repeat ("0", "00", "99999999", dates): one string per distinct value keeps the bundled
  // masters' heap small (fewer objects for the garbage collector to walk while visits are priced).
  const pool = new Map<string, string>();
  const intern = (v: string) => {
    const known = pool.get(v);
    if (known !== undefined) return known;
    pool.set(v, v);
    return v;
  };
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (quoted) {
      if (ch === 34 /* " */) {
        if (text.charCodeAt(i + 1) === 34) {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      // copy a run of plain characters at once
      let j = text.indexOf('"', i);
      if (j < 0) j = n;
      field += text.slice(i, j);
      i = j;
      continue;
    }
    if (ch === 34) {
      quoted = true;
    } else if (ch === 44 /* , */) {
      row.push(intern(field));
      field = '';
    } else if (ch === 10 /* \n */) {
      row.push(intern(field));
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else if (ch !== 13 /* \r */) {
      field += text[i];
    }
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
