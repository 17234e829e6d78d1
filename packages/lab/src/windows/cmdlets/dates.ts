// .NET date formatting for Get-Date -Format and DateTime.ToString(fmt). The lab host's clock is UTC.

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Formats with .NET standard ("o", "s", "u") or custom (yyyy-MM-dd HH:mm:ss.fff) format strings. */
export function formatDate(d: Date, format: string): string {
  if (format === 'o' || format === 'O') return d.toISOString().replace('Z', '0000Z');
  if (format === 's') return d.toISOString().slice(0, 19);
  if (format === 'u') return d.toISOString().slice(0, 19).replace('T', ' ') + 'Z';
  return format.replace(/yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|fff|ff|f|tt|'[^']*'|\\./g, (tok) => {
    const h = d.getUTCHours();
    switch (tok) {
      case 'yyyy': return pad(d.getUTCFullYear(), 4);
      case 'yy': return pad(d.getUTCFullYear() % 100, 2);
      case 'MM': return pad(d.getUTCMonth() + 1, 2);
      case 'M': return String(d.getUTCMonth() + 1);
      case 'dd': return pad(d.getUTCDate(), 2);
      case 'd': return String(d.getUTCDate());
      case 'HH': return pad(h, 2);
      case 'H': return String(h);
      case 'hh': return pad(h % 12 || 12, 2);
      case 'h': return String(h % 12 || 12);
      case 'mm': return pad(d.getUTCMinutes(), 2);
      case 'm': return String(d.getUTCMinutes());
      case 'ss': return pad(d.getUTCSeconds(), 2);
      case 's': return String(d.getUTCSeconds());
      case 'fff': return pad(d.getUTCMilliseconds(), 3);
      case 'ff': return pad(Math.floor(d.getUTCMilliseconds() / 10), 2);
      case 'f': return String(Math.floor(d.getUTCMilliseconds() / 100));
      case 'tt': return h < 12 ? 'AM' : 'PM';
      default: return tok.startsWith("'") ? tok.slice(1, -1) : tok.slice(1);
    }
  });
}
