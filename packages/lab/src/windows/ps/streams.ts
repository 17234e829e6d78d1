// PowerShell's six streams and their redirections. A command writes output objects into an
// OutputPipe (a collecting array, or the next command of a streaming pipeline); its other streams go
// where the innermost redirection frame says: the process's own streams ("host"), nowhere (`N>$null`),
// or an output pipe (`N>&1`, or a collector that `N> file` writes out when the command ends).

import type { Expr, Redirect } from './ast.js';
import type { PsValue } from './values.js';

/** Where output objects go. Arrays are pipes (they collect); streaming stages are too. */
export interface OutputPipe {
  push(...items: PsValue[]): unknown;
}

export type StreamName = 'error' | 'warning' | 'verbose' | 'debug' | 'information';

const BY_NUMBER: Record<string, StreamName> = { '2': 'error', '3': 'warning', '4': 'verbose', '5': 'debug', '6': 'information' };
const ALL: StreamName[] = ['error', 'warning', 'verbose', 'debug', 'information'];

export type StreamTarget = { kind: 'host' } | { kind: 'discard' } | { kind: 'pipe'; pipe: OutputPipe };

export type StreamFrame = Readonly<Record<StreamName, StreamTarget>>;

const HOST: StreamTarget = { kind: 'host' };
export const HOST_FRAME: StreamFrame = { error: HOST, warning: HOST, verbose: HOST, debug: HOST, information: HOST };

const DISCARD_PIPE: OutputPipe = { push: () => 0 };

export interface FileCollector {
  path: string;
  append: boolean;
  items: PsValue[];
}

export interface Redirection {
  /** The frame the command runs in. */
  frame: StreamFrame;
  /** Where its output objects go (the downstream pipe unless `>`/`1>`/`*>` sent them elsewhere). */
  output: OutputPipe;
  /** `N> file` targets, written out (formatted like Out-File) when the command ends. */
  files: FileCollector[];
}

/**
 * Applies a command's redirections on top of the frame it inherits. `evalTarget` evaluates a file
 * target expression ($null discards). Like PowerShell, `N>&1` follows where output goes, so
 * `cmd 2>&1 > file` sends both streams to the file.
 */
export function applyRedirects(redirects: Redirect[], outer: StreamFrame, downstream: OutputPipe, evalTarget: (e: Expr) => PsValue): Redirection {
  if (redirects.length === 0) return { frame: outer, output: downstream, files: [] };
  const files: FileCollector[] = [];
  const targetOf = (r: Redirect): StreamTarget => {
    const v = evalTarget(r.target as Expr);
    if (v === null || v === undefined) return { kind: 'discard' };
    const path = String(v);
    let c = files.find((f) => f.path.toLowerCase() === path.toLowerCase());
    if (!c) files.push((c = { path, append: r.append, items: [] }));
    return { kind: 'pipe', pipe: c.items };
  };
  let output = downstream;
  const fileTargets = new Map<Redirect, StreamTarget>();
  for (const r of redirects) {
    if (r.target === 'merge') continue;
    const t = targetOf(r);
    fileTargets.set(r, t);
    if (r.stream === '1' || r.stream === '*') output = t.kind === 'pipe' ? t.pipe : DISCARD_PIPE;
  }
  const frame: Record<StreamName, StreamTarget> = { ...outer };
  for (const r of redirects) {
    const streams = r.stream === '*' ? ALL : BY_NUMBER[r.stream] ? [BY_NUMBER[r.stream]!] : [];
    const target: StreamTarget = r.target === 'merge' ? { kind: 'pipe', pipe: output } : fileTargets.get(r)!;
    for (const s of streams) frame[s] = target;
  }
  return { frame, output, files };
}

/** True when the command itself redirects its error stream (a terminating error is then delivered there). */
export function redirectsErrors(redirects: Redirect[]): boolean {
  return redirects.some((r) => r.stream === '2' || r.stream === '*');
}
