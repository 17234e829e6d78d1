// Compiles src/ to dist/ (so the CLI starts without transpiling) and the lab package (packages/lab, a
// development package of the repository) to packages/lab/dist/, copying the non-TypeScript files each
// reads at run time (the lab's installer script, docs); bundles the CLI into one file (see below); then
// stamps the build.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
function tsc(project) {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { stdio: 'inherit' });
  } catch {
    // tsc printed the errors with their places; a stack trace of this script would only hide them.
    console.error(`build: tsc -p ${relative(root, project)} failed`);
    process.exit(1);
  }
}
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
/** Copies every file under `from` that is not TypeScript to the same place under `to`, keeping the x bit. */
function copyAssets(from, to) {
  for (const file of walk(from)) {
    if (file.endsWith('.ts')) continue;
    const target = join(to, relative(from, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
    if (statSync(file).mode & 0o111) execFileSync('chmod', ['+x', target]);
  }
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
tsc(join(root, 'tsconfig.build.json'));
copyAssets(join(root, 'src'), join(root, 'dist', 'src'));

// The lab's build holds the product files it imports (packages/lab/tsconfig.build.json), so it mirrors
// the repository's layout under packages/lab/dist/. A copy of the product without the lab skips it.
const lab = join(root, 'packages', 'lab');
if (existsSync(join(lab, 'src'))) {
  rmSync(join(lab, 'dist'), { recursive: true, force: true });
  tsc(join(lab, 'tsconfig.build.json'));
  copyAssets(join(lab, 'src'), join(lab, 'dist', 'packages', 'lab', 'src'));
}

// Node loads an ES module graph file by file: the ~300 files of dist/ and of our dependencies cost
// ~0.4 s before a run starts, a single bundle ~0.1 s. The bundle leaves out ssh2 (it may load a native
// addon) and the lab: `fleetplay lab` loads the lab package at run time (src/cli/lab.ts), and the check
// after the build fails it should any file of the lab end up inside.
const precompiledPath = join(root, 'dist', 'src', 'engine', 'validate', 'precompiled.js');
const { precompiledValidatorsModule } = await tsImport('./precompile-validators.ts', import.meta.url);
const precompiledSource = precompiledValidatorsModule();
const bundle = await build({
  entryPoints: [join(root, 'dist/src/cli/main.js')],
  outfile: join(root, 'dist/fleetplay.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  external: ['ssh2', 'chokidar', 'fsevents', '@fleetplay/lab'],
  metafile: true,
  // CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins.
  banner: { js: "import { createRequire as fleetplayCreateRequire } from 'node:module'; const require = fleetplayCreateRequire(import.meta.url);" },
  plugins: [
    {
      name: 'validators-inside',
      setup(b) {
        // The schemas compiled ahead of time take the place of the empty precompiled.js.
        b.onLoad({ filter: /[\\/]precompiled\.js$/ }, (args) => (args.path === precompiledPath ? { contents: precompiledSource, loader: 'js', resolveDir: root } : undefined));
      },
    },
  ],
});

const labInside = Object.keys(bundle.metafile.inputs).filter((f) => /(^|\/)packages\/lab\//.test(f));
if (labInside.length) throw new Error(`build: the CLI bundle must not hold the lab, but it holds ${labInside.join(', ')}`);

writeFileSync(join(root, 'dist', '.build-stamp'), `${new Date().toISOString()}\n`);
