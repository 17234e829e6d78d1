// Compiles src/ to dist/ (so the CLI starts without transpiling) and copies the non-TypeScript files
// the code reads at run time (the lab installer script, docs); bundles the CLI into one file (see
// below); then stamps the build.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

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

// Node loads an ES module graph file by file: the ~300 files of dist/ and of our dependencies cost
// ~0.4 s before a run starts, a single bundle ~0.1 s. The bundle leaves out ssh2 (it may load a native
// addon) and the lab (it starts helper processes from files beside its own, and `fleetplay lab` runs the
// unbundled dist/ — see bin/fleetplay.js).
const labDir = join(root, 'dist', 'src', 'lab') + '/';
const precompiledPath = join(root, 'dist', 'src', 'engine', 'validate', 'precompiled.js');
const { precompiledValidatorsModule } = await import(pathToFileURL(join(root, 'dist/src/cli/precompile-validators.js')).href);
const precompiledSource = precompiledValidatorsModule();
await build({
  entryPoints: [join(root, 'dist/src/cli/main.js')],
  outfile: join(root, 'dist/fleetplay.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  external: ['ssh2', 'chokidar', 'fsevents'],
  // CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins.
  banner: { js: "import { createRequire as fleetplayCreateRequire } from 'node:module'; const require = fleetplayCreateRequire(import.meta.url);" },
  plugins: [
    {
      name: 'lab-outside-validators-inside',
      setup(b) {
        // The schemas compiled ahead of time take the place of the empty precompiled.js.
        b.onLoad({ filter: /[\\/]precompiled\.js$/ }, (args) => (args.path === precompiledPath ? { contents: precompiledSource, loader: 'js', resolveDir: root } : undefined));
        b.onResolve({ filter: /\/lab\// }, (args) => {
          const target = join(args.resolveDir, args.path);
          if (!target.startsWith(labDir)) return undefined;
          return { path: `./${relative(join(root, 'dist'), target)}`, external: true };
        });
      },
    },
  ],
});

writeFileSync(join(root, 'dist', '.build-stamp'), `${new Date().toISOString()}\n`);
