// authorized_keys files, purely: a key line is `[options] type base64 [comment]`; a key is known by
// its type and base64 blob, so a changed comment or options rewrite that key's line in place.
export interface KeyLine {
  options: string;
  type: string;
  blob: string;
  comment: string;
}

const TYPE = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com|ssh-[a-z0-9-]+-cert-v01@openssh\.com)$/;

/** Splits on whitespace outside double quotes (options such as command="a b" hold spaces). */
function words(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && quoted && i + 1 < line.length) {
      cur += ch + line[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (/\s/.test(ch) && !quoted) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/** One key line; undefined for comments, blank lines and anything that is not a key. */
export function parseKeyLine(line: string): KeyLine | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return undefined;
  const w = words(t);
  const at = w.findIndex((x) => TYPE.test(x));
  if (at < 0 || at > 1 || w[at + 1] === undefined || !/^[A-Za-z0-9+/=]+$/.test(w[at + 1]!)) return undefined;
  return { options: at === 1 ? w[0]! : '', type: w[at]!, blob: w[at + 1]!, comment: w.slice(at + 2).join(' ') };
}

export const renderKey = (k: KeyLine) => [k.options, k.type, k.blob, k.comment].filter(Boolean).join(' ');

export interface KeyEdit {
  content: string;
  /** Wanted keys that are not valid key lines. */
  invalid: string[];
}

export interface KeyWant {
  keys: string[];
  state: 'present' | 'absent';
  exclusive: boolean;
  key_options?: string;
  comment?: string;
}

/** Pure: the new file text for the wanted keys. */
export function editAuthorizedKeys(text: string, want: KeyWant): KeyEdit {
  const invalid: string[] = [];
  const wanted: KeyLine[] = [];
  for (const raw of want.keys) {
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
    const k = parseKeyLine(raw);
    if (!k) {
      invalid.push(raw.trim());
      continue;
    }
    if (want.key_options !== undefined) k.options = want.key_options;
    if (want.comment !== undefined) k.comment = want.comment;
    wanted.push(k);
  }
  const id = (k: KeyLine) => `${k.type} ${k.blob}`;
  const byId = new Map(wanted.map((k) => [id(k), k]));
  const lines = text === '' ? [] : text.split(/(?<=\n)/);
  const out: string[] = [];
  const placed = new Set<string>();
  for (const line of lines) {
    const k = parseKeyLine(line);
    const w = k && byId.get(id(k));
    if (want.state === 'absent') {
      if (!w) out.push(line);
      continue;
    }
    if (!k || !w) {
      // exclusive: only the given keys remain.
      if (!want.exclusive) out.push(line);
      continue;
    }
    if (placed.has(id(k))) continue;
    placed.add(id(k));
    const same = k.options === w.options && k.comment === w.comment;
    out.push(same ? line : `${renderKey(w)}\n`);
  }
  if (want.state === 'present') {
    for (const w of wanted) {
      if (placed.has(id(w))) continue;
      placed.add(id(w));
      if (out.length > 0 && !out[out.length - 1]!.endsWith('\n')) out[out.length - 1] += '\n';
      out.push(`${renderKey(w)}\n`);
    }
  }
  return { content: out.join(''), invalid };
}
