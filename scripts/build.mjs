// Compiles src/ to dist/ (so the CLI starts without transpiling) and copies the non-TypeScript files
// the code reads at run time (the lab installer script, docs); then stamps the build.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
for (const file of walk(join(root, 'src'))) {
  if (file.endsWith('.ts')) continue;
  const target = join(root, 'dist', relative(root, file));
  mkdirSync(dirname(target), { recursive: true });
  cpSync(file, target);
  if (statSync(file).mode & 0o111) execFileSync('chmod', ['+x', target]);
}
writeFileSync(join(root, 'dist', '.build-stamp'), `${new Date().toISOString()}\n`);
