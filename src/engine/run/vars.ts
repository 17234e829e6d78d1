// Variable precedence. The executor never merges variables into one dict: it hands the templater
// the layers of a (host, task) in order, lowest first, and the templater looks names up from the
// top. Layers are shared objects (a host's inventory vars are merged once per run), so building
// them per task is a few array pushes, not a merge.
//
// | #  | layer (lowest first)                         | trusted¹ | note                                   |
// |----|----------------------------------------------|----------|----------------------------------------|
// | 1  | role defaults of the play's roles            | yes      | roles: vars are play-visible (Ansible) |
// | 2  | role defaults of the task's own role         | yes      | own role wins over other roles         |
// | 3  | inventory vars (group `all` < parent groups  | yes      | merged by Inventory.hostVars           |
// |    |   < child groups < host vars < host_vars/)   |          |                                        |
// | 4  | facts (ansible_facts + ansible_* aliases)    | no       | above host vars, as Ansible            |
// | 5  | play vars                                    | yes      |                                        |
// | 6  | vars_files, in order                         | yes      |                                        |
// | 7  | role vars of the play's roles, own role last | yes      |                                        |
// | 8  | block vars, outer block first                | yes      |                                        |
// | 9  | task vars                                    | yes      |                                        |
// | 10 | include params (include_tasks/role `vars:`)  | yes      | below set_fact: deliberate², see below  |
// | 11 | include_vars results                         | yes      | below set_fact, as Ansible             |
// | 12 | registered results and set_fact              | no       | same level, later write wins           |
// | 13 | extra vars (-e)                              | yes      | the user's last word                   |
// | 14 | magic vars (inventory_hostname, groups,      | no       | computed; Ansible also puts them last  |
// |    |   hostvars, play_hosts, ansible_check_mode…) |          |                                        |
// | 15 | loop vars (item / loop_var, index_var,       | no       | per item                               |
// |    |   ansible_loop)                              |          |                                        |
//
// ¹ trusted values come from the playbook and may hold `{{ }}` (templated lazily, on use); untrusted
//   values came from hosts or were already templated once, and are never templated again.
// ² Ansible ranks include params above set_fact; a set_fact inside an included file then cannot
//   change a value the include passed in, a common surprise. The documented order puts
//   registered/set_fact above include params, and so do we.
//
// Connection keywords: a task's `become`/`become_user` beats its blocks', which beat the play's,
// which beat the ansible_become* variables (Ansible lets variables win; we keep the keyword the
// author wrote next to the task).
import type { Play, RoleScope, TaskCommon, VarBlock } from '../contract/playbook.js';
import type { VarLayer } from '../contract/template.js';
import type { HostState } from './host-state.js';

/** A vars_files entry whose path is templated: read per host once facts are known (see play.ts). */
export interface DeferredVarsFile {
  deferred: number;
  block: VarBlock;
}

export interface PlayLayers {
  rolesDefaults: VarLayer[];
  /** play vars then vars_files. */
  play: Array<VarLayer | DeferredVarsFile>;
  rolesVars: VarLayer[];
  /** Everything play-level, for templating task names and host patterns. */
  low: VarLayer[];
}

const blockLayers = new WeakMap<VarBlock, VarLayer>();

/** The VarLayer of a VarBlock (cached: the same block always yields the same layer object). */
export function varBlockLayer(block: VarBlock, name: string): VarLayer {
  let layer = blockLayers.get(block);
  if (!layer) {
    layer = { name, vars: block.vars, locs: block.locs, trusted: true };
    blockLayers.set(block, layer);
  }
  return layer;
}

const isEmpty = (b: VarBlock | undefined) => !b || Object.keys(b.vars).length === 0;

export function playLayers(play: Play): PlayLayers {
  const rolesDefaults = play.roles.filter((r) => !isEmpty(r.defaults)).map((r) => varBlockLayer(r.defaults, `defaults of role ${r.name}`));
  // A role's entry vars (`- role: r` + `vars:`) sit just below its vars/main.yml, as in Ansible.
  const rolesVars = play.roles.flatMap((r) => [
    ...(r.entryVars && !isEmpty(r.entryVars) ? [varBlockLayer(r.entryVars, `vars of the entry of role ${r.name}`)] : []),
    ...(isEmpty(r.vars) ? [] : [varBlockLayer(r.vars, `vars of role ${r.name}`)]),
  ]);
  const own: PlayLayers['play'] = [varBlockLayer(play.vars, `vars of play '${play.name}'`)];
  play.varsFiles.forEach((vf, i) => own.push(vf.deferredPath ? { deferred: i, block: vf } : varBlockLayer(vf, `vars_files #${i + 1} of play '${play.name}'`)));
  const plain = own.filter((l): l is VarLayer => !('deferred' in l));
  return { rolesDefaults, play: own, rolesVars, low: [...rolesDefaults, ...plain, ...rolesVars] };
}

function roleLayer(role: RoleScope, which: 'defaults' | 'vars'): VarLayer | undefined {
  const block = role[which];
  return isEmpty(block) ? undefined : varBlockLayer(block, `${which} of role ${role.name}`);
}

/**
 * What taskLayers reads from the play (PlayRun has it). Named here rather than imported, so that
 * play-state.ts can build its layers with this file without the two importing each other.
 */
export interface PlayLayerSource {
  readonly layers: PlayLayers;
  readonly run: { readonly extraLayer: VarLayer };
  deferredVarsFile(h: HostState, index: number): VarLayer | undefined;
  magicLayer(h: HostState): VarLayer;
}

/** The part of a walk's scope that contributes variables (enclosing blocks, include params). */
export interface LayerScope {
  readonly blocks: readonly { readonly vars: VarBlock; readonly loc: { line: number } }[];
  readonly includeLayers: readonly VarLayer[];
}

/** All layers for `node` on host `h`, lowest precedence first (table above, rows 1–14). */
export function taskLayers(pr: PlayLayerSource, h: HostState, node: TaskCommon, scope: LayerScope, checkMode: boolean): VarLayer[] {
  const L = pr.layers;
  const out: VarLayer[] = [...L.rolesDefaults];
  const ownDefaults = node.role && roleLayer(node.role, 'defaults');
  if (ownDefaults) out.push(ownDefaults);
  out.push(h.inventoryLayer, h.factsLayer);
  for (const l of L.play) {
    if (!('deferred' in l)) out.push(l);
    else {
      const loaded = pr.deferredVarsFile(h, l.deferred);
      if (loaded) out.push(loaded);
    }
  }
  out.push(...L.rolesVars);
  const ownVars = node.role && roleLayer(node.role, 'vars');
  if (ownVars) out.push(ownVars);
  for (const b of scope.blocks) if (!isEmpty(b.vars)) out.push(varBlockLayer(b.vars, `vars of block at line ${b.loc.line}`));
  if (!isEmpty(node.vars)) out.push(varBlockLayer(node.vars, `vars of task at line ${node.loc.line}`));
  out.push(...scope.includeLayers, h.includedLayer, h.runtimeLayer, pr.run.extraLayer, pr.magicLayer(h));
  out.push(taskMagic(node, checkMode));
  return out;
}

/** Magic vars that depend on the task: its role and its effective check mode. */
function taskMagic(node: TaskCommon, checkMode: boolean): VarLayer {
  const vars: Record<string, unknown> = { ansible_check_mode: checkMode };
  if (node.role) {
    vars.role_name = node.role.name;
    vars.ansible_role_name = node.role.name;
    vars.role_path = node.role.dir;
  }
  return { name: 'task magic vars', vars, trusted: false };
}

/** A small untrusted layer (loop item, include loop item, register var for changed_when…). */
export function valueLayer(name: string, vars: Record<string, unknown>): VarLayer {
  return { name, vars, trusted: false };
}
