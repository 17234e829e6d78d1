// `npm run docs`: regenerates the README's module reference from the schemas.
import { fileURLToPath } from 'node:url';
import { updateReadme } from './readme-modules.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const changed = await updateReadme(readme);
process.stdout.write(changed ? 'README.md module reference updated\n' : 'README.md module reference already up to date\n');
