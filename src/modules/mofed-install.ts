// mofed_install: Mellanox/NVIDIA OFED at a pinned version, idempotent by the installed version (most
// public roles reinstall on every run). Linux (MLNX_OFED): download → verify sha256 → extract → run
// mlnxofedinstall with the distro family's flags, all in one temp dir that is removed whatever happens;
// the version is `ofed_info -n`. Windows (WinOF-2, over WinRM): upload or download
// MLNX_WinOF2-<ver>_All_x64.exe → verify → run it silently; the version is read from the product's
// Uninstall entry (overridable with `detect:`), and exit 3010 means installed, reboot required.
// Linux DOCA-OFED (flavor: doca): the profile meta-package through apt-get/dnf from the configured
// doca-host repository (lib/doca.ts); moving between MLNX_OFED and DOCA-OFED needs replace_mlnx.
import Type, { type Static } from 'typebox';
import type { ApplyResult, HostContext, Module, Plan, PlanContext } from '../engine/contract/module.js';
import { shJoin, shQuote } from '../engine/connection/quote.js';
import {
  ACTUAL_SHA256_MARK, DEFAULT_MOFED_BASE_URL, KNOWN_DISTROS, MOFED_FACTS_COMMAND, STEP_EXIT, actualSha256, distroFamily, distroTag, explainExit, installerFlags,
  packageName, parseMofedFacts, tarballUrl, type MofedHostFacts,
} from './lib/mofed.js';
import { WINOF2_DISPLAY_NAME, WINOF2_VERSION_RE, wrongPlatformArgs, type Winof2HostFacts } from './lib/winof2.js';
import { applyWinof2, planWinof2, readWinof2, type WinStep } from './lib/winof2-install.js';
import { DOCA_FACTS_COMMAND, DOCA_PROFILES, KMODS_COMMAND, kmodProblem, docaRemovalFor, docaRemoveCommand, parseDocaFacts, planDoca, type DocaFacts, type DocaStep } from './lib/doca.js';
import { applyDoca } from './lib/doca-install.js';
import { DEFAULT_DOCA_BASE_URL } from './lib/doca-host.js';
import { holdTodo, isHold, readHolds, setHolds, withHold, type HoldFacts, type HoldStep } from './lib/ofed-hold.js';

const schema = Type.Object(
  {
    version: Type.String({
      pattern: '^([0-9]+\\.[0-9]+-[0-9]+(\\.[0-9]+)*|[0-9]+(\\.[0-9]+){1,3})$',
      description: 'version to have installed: MLNX_OFED on Linux (5.8-3.0.7.0, 23.10-1.1.9.0), the DOCA release with flavor: doca (2.9.1), WinOF-2 on Windows (3.10.50000)',
    }),
    flavor: Type.Optional(
      Type.Union([Type.Literal('mlnx'), Type.Literal('doca'), Type.Literal('mlnx_ofed')], {
        description: 'Linux only: mlnx = the standalone MLNX_OFED tarball installer (mlnx_ofed is the same); doca = DOCA-OFED from the configured doca-host repository through apt-get/dnf',
        default: 'mlnx',
      }),
    ),
    profile: Type.Optional(
      Type.Union(DOCA_PROFILES.map((p) => Type.Literal(p)), { description: 'flavor doca only: the DOCA profile meta-package to install', default: 'doca-ofed' }),
    ),
    replace_mlnx: Type.Optional(
      Type.Boolean({
        description: 'Linux only: allow removing the other OFED stack first: MLNX_OFED (ofed_uninstall.sh) when flavor is doca, DOCA-OFED (package manager) when flavor is mlnx; without it such a migration is refused',
        default: false,
      }),
    ),
    distro: Type.Optional(Type.String({ pattern: '^[a-z]+[0-9][0-9a-z.]*$', description: 'Linux, flavor mlnx only: MLNX_OFED distro tag (ubuntu22.04, rhel8.6, sles15sp4); default: derived from /etc/os-release' })),
    base_url: Type.Optional(Type.String({
      pattern: '^(https?|file)://',
      description: `Linux. flavor mlnx: download area holding MLNX_OFED-<version>/ folders (default ${DEFAULT_MOFED_BASE_URL}; a mirror behind a firewall). flavor doca: NVIDIA's DOCA download area (${DEFAULT_DOCA_BASE_URL}, or a mirror) holding DOCA_v<version>/host/doca-host…, for the releases whose file names are known`,
    })),
    url: Type.Optional(Type.String({ pattern: '^https?://', description: 'Windows: where the host downloads MLNX_WinOF2-<version>_All_x64.exe (Invoke-WebRequest). flavor doca: the doca-host repository package (.deb/.rpm) to download. flavor mlnx uses base_url' })),
    src: Type.Optional(Type.String({ description: 'a package on the controller to upload instead of downloading: the MLNX_OFED tarball (flavor mlnx), the doca-host .deb/.rpm (flavor doca), or MLNX_WinOF2-<version>_All_x64.exe (Windows)' })),
    checksum: Type.Optional(Type.String({ pattern: '^sha256:[0-9a-fA-F]{64}$', description: 'sha256:<hex> of the package, verified before extracting, installing or running it. Required for the doca-host package of flavor doca (unless allow_unverified); strongly recommended otherwise' })),
    allow_unverified: Type.Optional(Type.Boolean({ description: 'flavor doca only: install the doca-host package without a checksum', default: false })),
    hold: Type.Optional(Type.Boolean({ description: 'Linux, both flavors: after installing, hold the installed OFED packages and the running kernel (apt-mark hold; dnf.conf excludepkgs) so an unattended upgrade does not break the modules; mofed_install lifts its own holds when it upgrades', default: false })),
    add_kernel_support: Type.Optional(Type.Boolean({ description: 'Linux, flavor mlnx only: rebuild the drivers for the running kernel (--add-kernel-support)', default: true })),
    firmware_update: Type.Optional(Type.Boolean({ description: 'let the installer update adapter firmware (default false: --without-fw-update on Linux, MT_SKIPFWUPGRD=1 on Windows)', default: false })),
    extra_args: Type.Optional(Type.Array(Type.String(), { description: 'Linux, flavor mlnx only: more mlnxofedinstall flags, passed literally' })),
    force: Type.Optional(Type.Boolean({ description: 'reinstall even when the version is already installed (on Linux also passes --force)', default: false })),
    tmp_dir: Type.Optional(Type.String({ description: 'where the package is downloaded (and extracted) then removed; default /tmp on Linux, the session\'s %TEMP% on Windows' })),
    detect: Type.Optional(
      Type.Object(
        {
          display_name: Type.Optional(Type.String({ minLength: 1, description: `DisplayName of the product's Uninstall registry entry (wildcards allowed; default ${WINOF2_DISPLAY_NAME})` })),
          script: Type.Optional(Type.String({ minLength: 1, description: 'PowerShell that prints the installed version (nothing when not installed); replaces the registry lookup' })),
        },
        {
          additionalProperties: false,
          description:
            `Windows only: how the installed WinOF-2 version is read (unconfirmed on real hosts, hence overridable). Default: DisplayVersion of the Uninstall registry entry whose DisplayName is ${WINOF2_DISPLAY_NAME}; ` +
            '`display_name:` matches another name (wildcards allowed); `script:` is PowerShell that prints the version (nothing when not installed)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

type LinuxFacts = MofedHostFacts & { platform?: 'linux'; doca?: DocaFacts; holds?: HoldFacts };
type Facts = LinuxFacts | Winof2HostFacts;

interface Step {
  version: string;
  previous?: string;
  tarball: string;
  /** Download on the host from here; else upload `src` from the controller. */
  url?: string;
  src?: string;
  checksum?: string;
  flags: string[];
  dir: string;
  tmpBase: string;
  downloader: MofedHostFacts['downloader'];
  /** Switching back from DOCA-OFED: its profile packages are removed first. */
  removeDoca?: { pm: NonNullable<DocaFacts['pm']>; packages: DocaStep['profile'][]; version: string };
}

function planInstall(args: Args, facts: MofedHostFacts): { step?: Step; failed?: string; warnings: string[] } {
  const warnings: string[] = [];
  const family = distroFamily(facts);
  const distro = args.distro ?? distroTag(facts);
  if (!family || !distro) {
    return { warnings, failed: `cannot tell the MLNX_OFED distro from /etc/os-release (ID=${facts.osId || '?'} VERSION_ID=${facts.osVersionId || '?'}): set distro: (one of ${KNOWN_DISTROS.join(', ')})` };
  }
  if (!KNOWN_DISTROS.includes(distro)) warnings.push(`distro '${distro}' is not one MLNX_OFED is known to publish; the download may not exist`);
  const addKernelSupport = args.add_kernel_support ?? true;
  if (family === 'rhel' && addKernelSupport && !facts.kernelSources) {
    return {
      warnings,
      failed: `kernel-devel for the running kernel ${facts.kernel} is not installed (/usr/src/kernels/${facts.kernel} is missing): install kernel-devel-${facts.kernel} first, or set add_kernel_support: false`,
    };
  }
  if (!args.src && !facts.downloader) return { warnings, failed: 'no curl, wget or python3 on the host to download with: install one, or give src:' };
  if (!args.checksum) warnings.push('no checksum given: the tarball is installed unverified (set checksum: sha256:...)');
  const dir = packageName(args.version, distro, facts.arch);
  return {
    warnings,
    step: {
      version: args.version,
      previous: facts.installed,
      tarball: `${dir}.tgz`,
      url: args.src ? undefined : tarballUrl(args.base_url ?? DEFAULT_MOFED_BASE_URL, args.version, distro, facts.arch),
      ...(args.src ? { src: args.src } : {}),
      ...(args.checksum ? { checksum: args.checksum } : {}),
      tmpBase: (args.tmp_dir ?? '/tmp').replace(/\/+$/, ''),
      downloader: facts.downloader,
      flags: installerFlags({
        family, kernel: facts.kernel, distro, distroOverridden: !!args.distro, addKernelSupport,
        firmwareUpdate: args.firmware_update ?? false, force: args.force ?? false, extraArgs: args.extra_args ?? [],
      }),
      dir,
    },
  };
}

function downloadCommand(url: string, downloader: MofedHostFacts['downloader']): string {
  const u = shQuote(url);
  if (downloader === 'curl') return `curl -fsSL --retry 3 --retry-delay 2 -o pkg.tgz ${u}`;
  if (downloader === 'wget') return `wget -q --tries=3 -O pkg.tgz ${u}`;
  return `python3 -c 'import sys,urllib.request; urllib.request.urlretrieve(sys.argv[1], "pkg.tgz")' ${u}`;
}

/** The host-side script: every step in the temp dir, which the trap removes on any exit. */
function installScript(tmp: string, step: Step): string {
  const hex = step.checksum?.slice('sha256:'.length).toLowerCase();
  return [
    'set -u',
    `cd ${shQuote(tmp)} || exit ${STEP_EXIT.tmp}`,
    // The trap's text is itself quoted: a quoted path pasted inside '...' would end the quoting early.
    `trap ${shQuote(`cd /; rm -rf -- ${shQuote(tmp)}`)} EXIT`,
    step.url ? `${downloadCommand(step.url, step.downloader)} || exit ${STEP_EXIT.download}` : `test -s pkg.tgz || exit ${STEP_EXIT.download}`,
    // On a mismatch the actual sum goes to stderr, so the failure can show both.
    hex ? `fp_sum=$(sha256sum < pkg.tgz); fp_sum=\${fp_sum%% *}; [ "$fp_sum" = ${hex} ] || { echo "${ACTUAL_SHA256_MARK}$fp_sum" >&2; exit ${STEP_EXIT.checksum}; }` : ':',
    `tar xzf pkg.tgz || exit ${STEP_EXIT.extract}`,
    `test -x ${shQuote(`${step.dir}/mlnxofedinstall`)} || exit ${STEP_EXIT.noInstaller}`,
    shJoin([`./${step.dir}/mlnxofedinstall`, ...step.flags]),
  ].join('\n');
}

const describe = (s: Step) => `${s.url ? `download ${s.url}` : `upload ${s.tarball}`}, then mlnxofedinstall ${s.flags.join(' ')}`;

function planLinux(args: Args, facts: LinuxFacts): Plan<Step | DocaStep | HoldStep> {
  if (args.hold && !facts.holds) return { changes: [], result: { version: args.version }, failed: 'hold: true needs apt or dnf on the host' };
  return withHold(planStack(args, facts), facts.holds);
}

function planStack(args: Args, facts: LinuxFacts): Plan<Step | DocaStep> {
  if (args.flavor === 'doca') {
    // url names the doca-host package here (on Windows it is the WinOF-2 installer's).
    const wrongArgs = wrongPlatformArgs({ ...args, url: undefined }, 'linux');
    if (wrongArgs) return { changes: [], result: { version: args.version }, failed: wrongArgs };
    return planDoca(args, facts, facts.doca ?? { profiles: {}, uninstaller: false });
  }
  if (args.profile !== undefined) return { changes: [], result: { version: args.version }, failed: 'profile belongs to flavor: doca (set flavor: doca, or drop profile)' };
  if (args.allow_unverified !== undefined) return { changes: [], result: { version: args.version }, failed: 'allow_unverified belongs to flavor: doca (the doca-host package); flavor mlnx warns when no checksum is given' };

  const result = { installed_version: facts.installed ?? null, version: args.version };
  const wrong = wrongPlatformArgs(args, 'linux');
  if (wrong) return { changes: [], result, failed: wrong };
  if (WINOF2_VERSION_RE.test(args.version)) return { changes: [], result, failed: `version ${args.version} is a WinOF-2 (Windows) version; MLNX_OFED versions look like 5.8-3.0.7.0` };
  if (facts.installed === args.version && !args.force) {
    return { changes: [], result, reason: `MLNX_OFED ${args.version} is already installed (ofed_info -n)` };
  }
  const back = docaRemovalFor(args.version, facts, facts.doca ?? { profiles: {}, uninstaller: false }, args.replace_mlnx ?? false);
  if (back?.failed) return { changes: [], result, failed: back.failed };
  const { step, failed, warnings } = planInstall(args, facts);
  if (!step) return { changes: [], result, failed, warnings };
  if (back?.remove) step.removeDoca = back.remove;
  const before = back?.remove ? `DOCA-OFED ${back.remove.version}` : facts.installed ?? '(none)';
  return {
    changes: [step],
    result: { ...result, url: step.url ?? null, installer_flags: step.flags },
    warnings,
    reason: back?.remove ? `remove DOCA-OFED ${back.remove.version} (${docaRemoveCommand(back.remove)}), then ${describe(step)}` : describe(step),
    diff: [{ kind: 'fields', label: 'MLNX_OFED', fields: [{ key: 'version', before, after: args.version }, { key: 'installer', before: '', after: describe(step) }] }],
  };
}

async function applyLinux(ctx: HostContext, plan: Plan<Step>): Promise<ApplyResult> {
  const step = plan.changes[0]!;
  if (step.removeDoca) {
    const rm = await ctx.run(docaRemoveCommand(step.removeDoca));
    if (rm.rc !== 0) return { failed: `removing DOCA-OFED ${step.removeDoca.version} failed (exit ${rm.rc}): ${rm.stderr.trim().split('\n').slice(-3).join('; ')}` };
  }
  const mk = await ctx.run(`mktemp -d ${shQuote(`${step.tmpBase}/fleetplay-mofed.XXXXXX`)}`);
  const tmp = mk.stdout.trim();
  if (mk.rc !== 0 || !tmp) return { failed: explainExit(STEP_EXIT.tmp, step).message };
  if (step.src) {
    try {
      await ctx.putFile(ctx.controllerPath('files', step.src), `${tmp}/pkg.tgz`, { mode: 0o600 });
    } catch (err) {
      await ctx.run(`rm -rf ${shQuote(tmp)}`);
      return { failed: `upload of ${step.src} failed: ${(err as Error).message}` };
    }
  }
  const r = await ctx.run(installScript(tmp, step));
  const meaning = explainExit(r.rc, { url: step.url, tarball: step.tarball, checksum: step.checksum, actual: actualSha256(r.stderr) });
  const tail = r.stdout.split('\n').slice(-20).join('\n');
  const result = { ...plan.result, rc: r.rc, installer_output: tail, stderr: r.stderr.slice(-4000), previous_version: step.previous ?? null };
  if (!meaning.ok) return { failed: meaning.message, result };
  const after = parseMofedFacts((await ctx.run(MOFED_FACTS_COMMAND)).stdout).installed;
  if (after !== step.version) {
    return { failed: `mlnxofedinstall finished but ofed_info reports ${after ?? 'nothing'} instead of ${step.version}`, result };
  }
  // Modules built for another kernel (no --add-kernel-support on a non-stock kernel, or a kernel
  // update since) leave the host without IB after openibd restarts: fail now, naming the kernel.
  if (!step.flags.includes('--user-space-only')) {
    const kmods = kmodProblem((await ctx.run(KMODS_COMMAND)).stdout);
    if (kmods) return { failed: `MLNX_OFED ${after} is installed, but ${kmods}`, result: { ...result, installed_version: after } };
  }
  return { result: { ...result, installed_version: after }, warnings: meaning.message === 'installed' ? [] : [meaning.message] };
}

const isWindows = (facts: Facts): facts is Winof2HostFacts => facts.platform === 'windows';

export const mofedInstall: Module<Args, Facts, Step | WinStep | DocaStep | HoldStep> = {
  meta: {
    name: 'mofed_install',
    description: 'Install Mellanox/NVIDIA OFED (InfiniBand/RDMA drivers) at a pinned version: MLNX_OFED (flavor mlnx) or DOCA-OFED (flavor doca) on Linux, WinOF-2 on Windows; idempotent by the installed version, and a switch between MLNX_OFED and DOCA-OFED only with replace_mlnx.',
    platforms: ['linux', 'windows'],
    checkMode: 'full',
    example: [
      '- name: MLNX_OFED at the pinned version (Linux)',
      '  mofed_install:',
      '    version: 5.8-3.0.7.0',
      '    checksum: "sha256:{{ mofed_sha256[mofed_distro] }}"',
      '  notify: restart openibd',
      '',
      '# DOCA-OFED from the doca-host repository already configured on the host (apt-get/dnf);',
      '# replace_mlnx: true lets it remove an installed MLNX_OFED first (refused otherwise).',
      '- name: DOCA-OFED 2.9.1 (Linux)',
      '  mofed_install:',
      '    flavor: doca',
      '    version: 2.9.1',
      '    profile: doca-ofed',
      '  notify: restart openibd',
      '',
      '# Windows (WinOF-2): exit 3010 = installed, reboot required. The task reports changed with',
      '# reboot_required: true; the reboot is a handler, run only when the installer asked for one.',
      '- name: WinOF-2 at the pinned version (Windows)',
      '  mofed_install:',
      '    version: 3.10.50000',
      '    src: MLNX_WinOF2-3_10_50000_All_x64.exe   # or url: http://mirror/MLNX_WinOF2-3_10_50000_All_x64.exe',
      '    checksum: "sha256:{{ winof2_sha256 }}"',
      '  register: winof2',
      '  notify: reboot for WinOF-2',
      '# handlers (win_reboot waits until the host is back on a new boot):',
      '#   - name: reboot for WinOF-2',
      '#     when: winof2.reboot_required | default(false)',
      '#     win_reboot:',
      '#       msg: WinOF-2 driver update',
    ].join('\n'),
    returns: {
      version: 'The version asked for.',
      installed_version: 'The version installed after the task.',
      previous_version: 'The version before (null if none).',
      url: 'Where the package was downloaded from.',
      installer_flags: 'The installer command line (Linux).',
      rc: "The installer's exit code.",
      installer_output: "The installer's last 20 lines of output.",
      reboot_required: 'Windows: the installer asked for a reboot (exit 3010).',
    },
  },
  schema,

  async read(ctx: HostContext, args: Args): Promise<Facts> {
    if (ctx.shell === 'powershell') return readWinof2(ctx, args);
    const r = await ctx.run(`${MOFED_FACTS_COMMAND}; ${DOCA_FACTS_COMMAND}`);
    const doca = parseDocaFacts(r.stdout);
    const holds = args.hold && doca.pm ? await readHolds(ctx, doca.pm) : undefined;
    return { platform: 'linux', ...parseMofedFacts(r.stdout), doca, ...(holds ? { holds } : {}) };
  },

  plan(args: Args, facts: Facts, _ctx: PlanContext): Plan<Step | WinStep | DocaStep | HoldStep> {
    return isWindows(facts) ? planWinof2(args, facts) : planLinux(args, facts);
  },

  async apply(ctx: HostContext, plan: Plan<Step | WinStep | DocaStep | HoldStep>) {
    const hold = plan.changes.find(isHold);
    const step = plan.changes.find((c) => !isHold(c));
    if (step && 'platform' in step && step.platform === 'windows') return applyWinof2(ctx, plan as Plan<WinStep>);
    if (!hold) return step && 'flavor' in step && step.flavor === 'doca' ? applyDoca(ctx, plan as Plan<DocaStep>) : applyLinux(ctx, plan as Plan<Step>);
    const before = hold.facts;
    // Our own holds would block the upgrade: lift them, install, then hold what is installed now.
    const ours = before.held.filter((n) => before.candidates.includes(n));
    let res: ApplyResult = { result: plan.result };
    if (step) {
      const lifted = await setHolds(ctx, before, ours, false);
      if (lifted) return { failed: lifted, result: plan.result };
      const main = { ...plan, changes: [step] };
      res = 'flavor' in step && step.flavor === 'doca' ? await applyDoca(ctx, main as Plan<DocaStep>) : await applyLinux(ctx, main as Plan<Step>);
    }
    const now = step ? await readHolds(ctx, before.pm) : before;
    const failed = await setHolds(ctx, now, step && res.failed ? ours : holdTodo(now), true);
    if (res.failed || failed) return { ...res, failed: [res.failed, failed].filter(Boolean).join('; ') };
    return { ...res, result: { ...plan.result, ...res.result, held: now.candidates } };
  },
};
