// The end state the workload must leave on a host, computed from the host's fresh state and the
// workload's steps with Ansible's semantics, independently of every tool under test: a tool (or a
// floor) that is fast but wrong is caught here, not by comparing it with another tool.
import type { Step, Workload } from '../workload.js';
import { statMode } from '../workload.js';
import { cloneState, type HostState } from './host-state.js';

/** Owner of what the workload creates: the tools log in as root. */
const ROOT = '0:0';
/** Mode of a file created by shell redirection under the default umask 022. */
const SHELL_CREATED_MODE = '644';

export interface LineEdit {
  text: string;
  changed: boolean;
}

/**
 * ansible.builtin.lineinfile (state=present, regexp, no backrefs, insertafter=EOF): the last line the
 * regexp matches is replaced; with no match, an identical line already present is left alone,
 * otherwise the line is appended.
 */
export function lineinfile(text: string, regexp: string, line: string): LineEdit {
  const re = new RegExp(regexp);
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  if (endsWithNewline) lines.pop();
  let last = -1;
  for (let i = 0; i < lines.length; i++) if (re.test(lines[i]!.replace(/\r$/, ''))) last = i;
  if (last >= 0) {
    if (lines[last] === line) return { text, changed: false };
    lines[last] = line;
    return { text: `${lines.join('\n')}\n`, changed: true };
  }
  if (lines.some((l) => l.replace(/\r$/, '') === line)) return { text, changed: false };
  const body = text === '' || endsWithNewline ? text : `${text}\n`;
  return { text: `${body}${line}\n`, changed: true };
}

/** The only handler shape the workload has: `echo WORD >> FILE`. */
export function parseAppendHandler(cmd: string): { text: string; file: string } {
  const m = /^echo (\S+) >> (\/\S+)$/.exec(cmd.trim());
  if (!m) throw new Error(`bench: handler '${cmd}' is not 'echo WORD >> /path' (the expected-state model knows only that)`);
  return { text: `${m[1]}\n`, file: m[2]! };
}

export interface ExpectedRun {
  state: HostState;
  /** Tasks reported changed (handlers included), as a PLAY RECAP counts them. */
  changed: number;
  handlersRun: number;
}

/**
 * State and changed count after one applied run on a host in `before` state. `render` gives the
 * template's rendered text for this host.
 */
export function expectRun(before: HostState, w: Workload, render: (source: string) => string): ExpectedRun {
  const state = cloneState(before);
  const notified = new Set<string>();
  let changed = 0;
  const put = (path: string, type: 'f' | 'd', mode: string, content?: Buffer) => {
    const prev = state.get(path);
    const next = { type, mode, owner: prev?.owner ?? ROOT, ...(content ? { content } : {}) };
    const same = prev && prev.type === next.type && prev.mode === next.mode && (type === 'd' || prev.content?.equals(content!));
    if (!same) {
      changed++;
      state.set(path, next);
    }
  };
  for (const s of w.steps as Step[]) {
    switch (s.kind) {
      case 'lineinfile': {
        const e = state.get(s.path);
        if (!e?.content) throw new Error(`bench: ${s.path} is not on the fresh host`);
        const edit = lineinfile(e.content.toString('utf8'), s.regexp, s.line);
        if (edit.changed) {
          changed++;
          state.set(s.path, { ...e, content: Buffer.from(edit.text) });
          if (s.notify) notified.add(s.notify);
        }
        break;
      }
      case 'copy':
        put(s.dest, 'f', statMode(s.mode), Buffer.from(s.content));
        break;
      case 'template':
        put(s.dest, 'f', statMode(s.mode), Buffer.from(render(s.source)));
        break;
      case 'directory':
        put(s.path, 'd', statMode(s.mode));
        break;
      default:
        // command, shell (changed_when: false) and stat read only.
        break;
    }
  }
  let handlersRun = 0;
  for (const [name, cmd] of w.handlers) {
    if (!notified.has(name)) continue;
    handlersRun++;
    const h = parseAppendHandler(cmd);
    const e = state.get(h.file);
    state.set(h.file, { type: 'f', mode: e?.mode ?? SHELL_CREATED_MODE, owner: e?.owner ?? ROOT, content: Buffer.concat([e?.content ?? Buffer.alloc(0), Buffer.from(h.text)]) });
    changed++;
  }
  return { state, changed, handlersRun };
}

/** Changed count of a check-mode run on fresh hosts: what would change; handlers are skipped. */
export function expectCheckChanged(fresh: HostState, w: Workload, render: (source: string) => string): number {
  const applied = expectRun(fresh, w, render);
  return applied.changed - applied.handlersRun;
}
