// Runs a planned DOCA-OFED install on a Linux host and checks the outcome: the profile package at
// the requested release and `ofed_info` answering, so a repository that served another release (or
// an install that left MLNX_OFED's ofed_info behind) fails instead of reporting success, and so do
// kernel modules missing for the running kernel.
import type { ApplyResult, HostContext, Plan } from '../../engine/contract/module.js';
import { aptErrorMessage } from './apt-output.js';
import { DOCA_FACTS_COMMAND, KMODS_COMMAND, docaInstallCommand, docaRelease, kmodProblem, parseDocaFacts, type DocaStep } from './doca.js';
import { dnfErrorMessage } from './dnf-output.js';
import { ACTUAL_SHA256_MARK, MOFED_FACTS_COMMAND, actualSha256, parseMofedFacts } from './mofed.js';
import { shQuote } from '../../engine/connection/quote.js';
import { REPO_EXIT, repoPackageScript, type RepoPackageStep } from './doca-host.js';

/** Installs the doca-host package (download or upload, sha256, dpkg -i / rpm -U); an error or undefined. */
async function installRepoPackage(ctx: HostContext, s: RepoPackageStep, pm: DocaStep['pm']): Promise<string | undefined> {
  const mk = await ctx.run(`mktemp -d ${shQuote(`${s.tmpBase}/fleetplay-doca.XXXXXX`)}`);
  const tmp = mk.stdout.trim();
  if (mk.rc !== 0 || !tmp) return `cannot create a temp directory under ${s.tmpBase}: ${mk.stderr.trim()}`;
  if (s.src) {
    try {
      await ctx.putFile(ctx.controllerPath('files', s.src), `${tmp}/pkg`, { mode: 0o600 });
    } catch (err) {
      await ctx.run(`rm -rf ${shQuote(tmp)}`);
      return `upload of ${s.src} failed: ${(err as Error).message}`;
    }
  }
  const r = await ctx.run(repoPackageScript(tmp, s, pm, shQuote, ACTUAL_SHA256_MARK));
  if (r.rc === 0) return undefined;
  if (r.rc === REPO_EXIT.download) return s.url ? `downloading ${s.url} failed: ${r.stderr.trim().split('\n').slice(-2).join('; ') || 'no such file?'}` : `the uploaded ${s.file} is empty`;
  if (r.rc === REPO_EXIT.checksum) return `${s.file} does not match its checksum: expected ${s.checksum}, got sha256:${actualSha256(r.stderr) ?? '?'}; nothing was installed`;
  return `installing the repository package ${s.file} failed (exit ${r.rc}): ${r.stderr.trim().split('\n').slice(-3).join('; ')}`;
}

export async function applyDoca(ctx: HostContext, plan: Plan<DocaStep>): Promise<ApplyResult> {
  const step = plan.changes[0]!;
  if (step.repo) {
    const failed = await installRepoPackage(ctx, step.repo, step.pm);
    if (failed) return { failed, result: plan.result };
  }
  const r = await ctx.run(docaInstallCommand(step));
  const tail = r.stdout.split('\n').slice(-20).join('\n');
  const result = { ...plan.result, rc: r.rc, installer_output: tail, previous_version: step.previous ?? (step.removeMlnx ? `MLNX_OFED ${step.removeMlnx}` : null) };
  if (r.rc === 210) return { failed: `removing MLNX_OFED ${step.removeMlnx} failed: ${r.stderr.trim().split('\n').slice(-3).join('; ')}`, result };
  if (r.rc !== 0) {
    const why = step.pm === 'apt' ? aptErrorMessage(r.stderr, r.stdout) : dnfErrorMessage(r.stderr, r.stdout);
    return { failed: `installing ${step.profile} ${step.version} failed${step.removeMlnx ? ` (MLNX_OFED ${step.removeMlnx} was already removed)` : ''}: ${why}`, result };
  }
  const after = await ctx.run(`${MOFED_FACTS_COMMAND}; ${DOCA_FACTS_COMMAND}`);
  const mofed = parseMofedFacts(after.stdout);
  const doca = parseDocaFacts(after.stdout);
  const pkg = doca.profiles[step.profile];
  if (!pkg || docaRelease(pkg) !== step.version) {
    return { failed: `${step.pm} finished but ${step.profile} is ${pkg ?? 'not installed'} instead of DOCA ${step.version}: does the configured doca-host repository serve ${step.version}?`, result };
  }
  if (!mofed.banner || mofed.banner.startsWith('MLNX_OFED_LINUX-')) {
    return { failed: `${step.profile} ${pkg} is installed but ofed_info -s reports ${mofed.banner ?? 'nothing'}, not a DOCA-OFED stack`, result };
  }
  // The classic "installed, rebooted into a new kernel, no IB": the packages are fine, the modules are not.
  const kmods = kmodProblem((await ctx.run(KMODS_COMMAND)).stdout);
  if (kmods) return { failed: `${step.profile} ${pkg} is installed, but ${kmods}`, result: { ...result, installed_version: step.version, ofed_info: mofed.banner } };
  return { result: { ...result, installed_version: step.version, ofed_info: mofed.banner } };
}
