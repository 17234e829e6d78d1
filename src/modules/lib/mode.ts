// File modes as Ansible users write them: YAML 1.1 octal ints (`0644` arrives as 420), octal
// strings ("0644", "644"), and chmod's symbolic form ("u=rw,g=r,o=r", "a+rX").

export type ModeArg = string | number;

/** Resolves a mode against the current bits (symbolic modes are relative); throws a clear message. */
export function resolveMode(arg: ModeArg, current: number | undefined, isDir: boolean): number {
  if (typeof arg === 'number') return checkNumericMode(arg);
  const s = arg.trim();
  if (/^0?[0-7]{1,4}$/.test(s) || /^0o[0-7]{1,4}$/i.test(s)) {
    return parseInt(s.replace(/^0o/i, ''), 8);
  }
  if (/^[ugoa]*[-+=]/.test(s)) return applySymbolic(s, current ?? (isDir ? 0o755 : 0o644), isDir);
  throw new Error(`mode '${arg}' is neither an octal mode ('0644') nor a symbolic one ('u=rw,g=r,o=r')`);
}

/** Checks a mode argument without a current state (for early validation). */
export function modeError(arg: ModeArg | undefined): string | undefined {
  if (arg === undefined) return undefined;
  try {
    resolveMode(arg, 0o644, false);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function checkNumericMode(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0o7777) {
    throw new Error(`mode ${n} is not a file mode (expected 0 to 07777; quote it: '0644')`);
  }
  // `mode: 644` without the leading 0 is the decimal 644 (= 01204) in YAML: almost always a mistake.
  if (n >= 0o1000 && /^[0-7]{3}$/.test(String(n))) {
    throw new Error(`mode ${n} was read as the decimal number ${n} (octal 0${n.toString(8)}); write mode: '0${n}' or 0${n}`);
  }
  return n;
}

const WHO_BITS: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007 };

function applySymbolic(spec: string, current: number, isDir: boolean): number {
  let mode = current & 0o7777;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXst]*)+)$/.exec(clause);
    if (!m) throw new Error(`mode '${spec}': cannot parse '${clause}' (expected e.g. u+x, go-w, a=rX)`);
    const who = m[1] === '' || m[1]!.includes('a') ? 'ugo' : m[1]!;
    let mask = 0;
    for (const w of who) mask |= WHO_BITS[w]!;
    for (const op of m[2]!.match(/[-+=][rwxXst]*/g) ?? []) {
      const bits = permBits(op.slice(1), mode, isDir) & mask;
      if (op[0] === '+') mode |= bits;
      else if (op[0] === '-') mode &= ~bits;
      else mode = (mode & ~mask) | bits;
    }
  }
  return mode;
}

function permBits(perms: string, mode: number, isDir: boolean): number {
  let b = 0;
  for (const p of perms) {
    if (p === 'r') b |= 0o444;
    else if (p === 'w') b |= 0o222;
    else if (p === 'x') b |= 0o111;
    else if (p === 'X') {
      if (isDir || (mode & 0o111) !== 0) b |= 0o111;
    } else if (p === 's') b |= 0o6000;
    else if (p === 't') b |= 0o1000;
  }
  return b;
}

/** Ansible's string form of permission bits (`%04o`): "0644", "4755". */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
