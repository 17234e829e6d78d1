// Python's str.strip, for parsers that must read a file exactly as a Python program does (the Azure
// agent's waagent.conf). JS's trim() differs: Python's whitespace includes \x1c–\x1f and \x85 and
// excludes U+FEFF, which trim() strips.
const PY_SPACE = new Set([
  ...'\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000',
  ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
]);

/** str.isspace() of one character. */
export function pyIsSpace(ch: string): boolean {
  return PY_SPACE.has(ch);
}

/** str.strip(chars): without `chars`, Python's whitespace; with them, exactly those characters. */
export function pyStrip(s: string, chars?: string): string {
  const drop = chars === undefined ? pyIsSpace : (c: string) => chars.includes(c);
  let start = 0;
  let end = s.length;
  while (start < end && drop(s[start]!)) start++;
  while (end > start && drop(s[end - 1]!)) end--;
  return s.slice(start, end);
}
