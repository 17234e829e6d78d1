// mofed_install on a Windows host (WinOF-2 over WinRM): read the installed version, plan against the
// requested one, and install: a fresh folder under tmp_dir, the package uploaded (src) or downloaded
// (url, Invoke-WebRequest), its sha256 checked, the installer run silently, the folder removed. Exit
// 3010 is success with a reboot pending: the task is changed with reboot_required: true, and the
// playbook decides when to reboot (a handler), never the module.
import type { ApplyResult, HostContext, Plan } from '../../engine/contract/module.js';
import { psQuote } from '../../engine/connection/quote.js';
import {
  WINOF2_VERSION_RE, explainWinof2Exit, parseWinof2Facts, parseWinof2Install, sameWinof2Version, winof2FactsScript, winof2InstallScript,
  winof2InstallerArgs, winof2PackageName, winof2TempDirScript, winof2VersionFromName, wrongPlatformArgs, type Winof2Detect, type Winof2HostFacts,
} from './winof2.js';

export interface Winof2Args {
  version: string;
  src?: string;
  url?: string;
  checksum?: string;
  firmware_update?: boolean;
  force?: boolean;
  tmp_dir?: string;
  detect?: Winof2Detect;
}

export interface WinStep {
  platform: 'windows';
  version: string;
  previous?: string;
  /** File name of the package on the host. */
  package: string;
  url?: string;
  /** Upload this controller file instead of downloading `url`. */
  src?: string;
  checksum?: string;
  args: string[];
  tmpBase: string;
  detect?: Winof2Detect;
  /** Where the installed version is read from (for messages). */
  source: string;
}

export async function readWinof2(ctx: HostContext, args: Winof2Args): Promise<Winof2HostFacts> {
  const r = await ctx.run(winof2FactsScript(args.detect));
  if (r.rc !== 0 && !r.stdout.includes('FLEETPLAY-WINOF2-FACTS')) {
    throw new Error(`reading the installed WinOF-2 version failed (${args.detect?.script !== undefined ? 'detect.script' : 'Uninstall registry entries'}): ${(r.stderr || r.stdout).trim().slice(0, 500)}`);
  }
  return parseWinof2Facts(r.stdout, args.detect);
}

/** The package's file name on the host: the one src/url give (the installer does not care, people do). */
function packageFile(args: Winof2Args): string {
  const from = args.url ? decodeURIComponent(new URL(args.url).pathname) : args.src;
  const base = from?.replace(/^.*[\\/]/, '');
  return base || winof2PackageName(args.version);
}

const describe = (s: WinStep): string => `${s.url ? `download ${s.url}` : `upload ${s.package}`}, then ${s.package} ${s.args.join(' ')}`;

export function planWinof2(args: Winof2Args, facts: Winof2HostFacts): Plan<WinStep> {
  // reboot_required is known only once the installer has run (apply sets it).
  const result: Record<string, unknown> = { installed_version: facts.installed ?? null, version: args.version };
  const fail = (failed: string): Plan<WinStep> => ({ changes: [], result, failed });
  const wrong = wrongPlatformArgs(args as unknown as Record<string, unknown>, 'windows');
  if (wrong) return fail(wrong);
  if (!WINOF2_VERSION_RE.test(args.version)) return fail(`version ${args.version} is an MLNX_OFED (Linux) version; WinOF-2 versions look like 3.10.50000`);
  if (facts.installed !== undefined && sameWinof2Version(facts.installed, args.version) && !args.force) {
    return { changes: [], result: { ...result, reboot_required: false }, reason: `WinOF-2 ${args.version} is already installed (${facts.source})` };
  }
  if (args.src && args.url) return fail('give either src (upload from the controller) or url (download on the host), not both');
  if (!args.src && !args.url) return fail('on Windows, give src (an MLNX_WinOF2-<version>_All_x64.exe on the controller) or url (where the host downloads it)');
  let pkg: string;
  try {
    pkg = packageFile(args);
  } catch {
    return fail(`url ${args.url} is not a valid URL`);
  }
  const warnings: string[] = [];
  const named = winof2VersionFromName(pkg);
  if (named !== undefined && !sameWinof2Version(named, args.version)) {
    return fail(`${pkg} is the WinOF-2 ${named} package, but version is ${args.version}`);
  }
  if (named === undefined) warnings.push(`${pkg} is not named like a WinOF-2 package (${winof2PackageName(args.version)}): its version is only checked after installing`);
  if (!args.checksum) warnings.push('no checksum given: the package is run unverified (set checksum: sha256:...)');
  const step: WinStep = {
    platform: 'windows',
    version: args.version,
    previous: facts.installed,
    package: pkg,
    url: args.url,
    ...(args.src ? { src: args.src } : {}),
    ...(args.checksum ? { checksum: args.checksum } : {}),
    args: winof2InstallerArgs(args.firmware_update ?? false),
    tmpBase: args.tmp_dir ?? facts.tempDir,
    ...(args.detect ? { detect: args.detect } : {}),
    source: facts.source,
  };
  return {
    changes: [step],
    result: { ...result, url: step.url ?? null, installer_arguments: step.args },
    warnings,
    reason: describe(step),
    diff: [{ kind: 'fields', label: 'WinOF-2', fields: [{ key: 'version', before: facts.installed ?? '(none)', after: args.version }, { key: 'installer', before: '', after: describe(step) }] }],
  };
}

export async function applyWinof2(ctx: HostContext, plan: Plan<WinStep>): Promise<ApplyResult> {
  const step = plan.changes[0]!;
  const base = step.tmpBase;
  const mk = await ctx.run(winof2TempDirScript(base));
  const tmp = mk.stdout.trim().split(/\r?\n/).pop()?.trim();
  if (mk.rc !== 0 || !tmp) return { failed: `could not create a temporary folder under ${base}: ${mk.stderr.trim() || 'no path returned'}` };
  if (step.src) {
    try {
      await ctx.putFile(ctx.controllerPath('files', step.src), `${tmp}\\${step.package}`);
    } catch (err) {
      await ctx.run(`Remove-Item -LiteralPath ${psQuote(tmp)} -Recurse -Force -ErrorAction SilentlyContinue`);
      return { failed: `upload of ${step.src} failed: ${(err as Error).message}` };
    }
  }
  const sha256 = step.checksum?.slice('sha256:'.length);
  const r = await ctx.run(winof2InstallScript({ tmp, pkg: step.package, url: step.url, sha256, args: step.args }));
  const report = parseWinof2Install(r.stdout);
  const result: Record<string, unknown> = { ...plan.result, previous_version: step.previous ?? null, reboot_required: false };
  if (!report) return { failed: `the WinOF-2 install script failed: ${(r.stderr || r.stdout).trim().slice(0, 1000)}`, result: { ...result, rc: r.rc } };
  result.rc = report.code;
  if (report.step === 'download') {
    return { failed: step.url ? `download of ${step.url} failed: ${report.detail}; nothing was installed` : `the uploaded ${step.package} is missing on the host; nothing was installed`, result };
  }
  if (report.step === 'checksum') {
    return { failed: `checksum mismatch for ${step.package}: expected ${step.checksum}, got sha256:${report.detail}; nothing was installed and the package was removed`, result };
  }
  const meaning = explainWinof2Exit(report.code ?? -1);
  result.msg = meaning.message;
  if (!meaning.ok) return { failed: meaning.message, result };
  const after = (await readWinof2(ctx, { version: step.version, detect: step.detect })).installed;
  if (after === undefined || !sameWinof2Version(after, step.version)) {
    return { failed: `the installer reported success (exit ${report.code}) but ${step.source} reads ${after ?? 'nothing'} instead of ${step.version}`, result };
  }
  return {
    result: { ...result, installed_version: after, reboot_required: meaning.rebootRequired },
    warnings: meaning.rebootRequired ? [`WinOF-2 ${step.version} ${meaning.message}`] : [],
  };
}
