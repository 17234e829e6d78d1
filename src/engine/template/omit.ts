// Ansible's `omit`: `mode: "{{ file_mode | default(omit) }}"` drops the argument entirely. Like
// Ansible, the marker is a string (so it survives being passed through filters) that no real value
// will contain.
export const OMIT = '__omit_place_holder__fleetplay__';

export function isOmit(v: unknown): boolean {
  return v === OMIT;
}

/** Removes dict entries and list items whose value is `omit`, at every depth. */
export function stripOmitted<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((x) => !isOmit(x)).map(stripOmitted) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!isOmit(v)) out[k] = stripOmitted(v);
    return out as T;
  }
  return value;
}
