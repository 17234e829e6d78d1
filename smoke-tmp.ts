import { loadPlaybook } from './src/engine/load/index.js';
import { registry } from './src/modules/registry.js';
const pb = await loadPlaybook(process.argv[2]!, { registry, onWarning: (w) => console.error('WARN', w) }).catch((e) => { console.log(e.message); process.exit(1); });
console.log(JSON.stringify(pb, null, 1).slice(0, 3000));
