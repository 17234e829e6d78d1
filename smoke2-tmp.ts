import { loadPlaybook } from './src/engine/load/index.js';
import { registry } from './src/modules/registry.js';
import type { PlayItem } from './src/engine/contract/playbook.js';
const pb = await loadPlaybook(process.argv[2]!, { registry }).catch((e) => { console.log(e.message); process.exit(1); });
const show = (items: PlayItem[], ind: string): void => {
  for (const i of items) {
    console.log(`${ind}${i.id} ${i.kind} ${i.name ?? ''} ${i.kind === 'task' ? i.module + ' ' + JSON.stringify(i.args) : i.kind === 'meta' ? i.action : i.kind.startsWith('incl') ? (i as any).target : ''} when=${JSON.stringify(i.when.map((w) => w.text))} tags=${i.tags} become=${i.become} role=${i.role?.name ?? ''} vars=${JSON.stringify(i.vars.vars)}`);
    if (i.kind === 'block') { show(i.block, ind + '  b '); show(i.rescue, ind + '  r '); show(i.always, ind + '  a '); }
  }
};
for (const p of pb.plays) {
  console.log(`PLAY ${p.id} ${p.name} hosts=${p.hosts} tags=${p.tags} vars=${JSON.stringify(p.vars.vars)} files=${JSON.stringify(p.varsFiles.map(v => v.deferredPath?.text ?? v.vars))} roles=${p.roles.map(r => r.name)}`);
  show(p.items, '  ');
  console.log('  HANDLERS');
  show(p.handlers, '  ');
}
