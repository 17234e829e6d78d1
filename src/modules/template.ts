// template: renders a controller template (Jinja2 syntax) with the task's variables and puts the
// result at dest, exactly like copy does with content.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { type DestChange, type DestCurrent, DestProperties, applyDest, planDest, readDest } from './lib/dest-file.js';

const schema = Type.Object(
  {
    src: Type.String({ description: "Template file, looked up in the role's templates/ then the playbook dir." }),
    dest: Type.String({ description: 'Path on the host to write the rendered result to.' }),
    ...DestProperties,
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const template: Module<Args, DestCurrent, DestChange> = {
  meta: {
    name: 'template',
    description: 'Render a Jinja2 template on the controller and write it to the host (atomic, idempotent, with diff).',
    platforms: ['linux'],
    checkMode: 'full',
    readAhead: true,
    example: 'template:\n  src: waagent.conf.j2\n  dest: /etc/waagent.conf\n  mode: "0644"\n  backup: true',
    returns: {
      dest: 'The file written.',
      checksum: 'sha1 of the rendered content.',
      size: 'Size in bytes.',
      mode: 'Final permissions.',
      owner: 'Final owner.',
      group: 'Final group.',
      state: '`file`.',
      backup_file: 'The backup made, when backup: true and the file changed.',
    },
  },
  schema,
  async read(ctx, args) {
    const local = ctx.controllerPath('templates', args.src);
    let text: string;
    try {
      text = await readFile(local, 'utf8');
    } catch {
      return { dest: args.dest, desired: Buffer.alloc(0), error: `could not find or read template ${args.src} (looked for ${local})` };
    }
    // Rendering happens on the controller: a template error is the task's input error, not the host's.
    const rendered = ctx.renderTemplate(text, local);
    return readDest(ctx, args.dest, Buffer.from(rendered, 'utf8'), basename(args.src));
  },
  plan: planDest,
  apply: applyDest,
};
