// win_template: renders a controller template (the template module's Jinja2 rendering, with the
// task's variables) and puts it on a Windows host like win_copy; lines end in \r\n unless told
// otherwise, as Ansible's win_template does (ansible.windows.win_template).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { applyWinDest, planWinDest, readWinDest, WinDestProperties, type WinDestChange, type WinDestCurrent } from './lib/win-dest.js';
import { requireWindows } from './lib/win-script.js';

const NEWLINES = { '\\n': '\n', '\\r': '\r', '\\r\\n': '\r\n' } as const;

const schema = Type.Object(
  {
    src: Type.String({ description: "Template file, looked up in the role's templates/ then the playbook dir." }),
    dest: Type.String({ description: 'Path on the host to write the rendered result to.' }),
    newline_sequence: Type.Optional(Type.Union([Type.Literal('\\n'), Type.Literal('\\r'), Type.Literal('\\r\\n')], { description: 'Line endings of the written file (default \\r\\n).' })),
    ...WinDestProperties,
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

/** Every line ending of the rendered text becomes `sequence`. */
export function withNewlines(text: string, sequence: keyof typeof NEWLINES = '\\r\\n'): string {
  return text.replace(/\r\n|\r|\n/g, NEWLINES[sequence]);
}

export const winTemplate: Module<Args, WinDestCurrent, WinDestChange> = {
  meta: {
    name: 'win_template',
    aliases: ['ansible.windows.win_template'],
    description: 'Render a Jinja2 template on the controller and write it to a Windows host (CRLF line endings, atomic, idempotent, with diff).',
    platforms: ['windows'],
    checkMode: 'full',
    example: 'win_template:\n  src: gpu-settings.ini.j2\n  dest: C:\\ProgramData\\fleetplay\\gpu-settings.ini\n  backup: true',
    returns: {
      dest: 'The file written.',
      checksum: 'sha1 of the rendered content.',
      size: 'Size in bytes.',
      backup_file: 'The backup made, when backup: true and the file changed.',
    },
  },
  schema,
  async read(ctx, args) {
    requireWindows(ctx, 'win_template');
    const local = ctx.controllerPath('templates', args.src);
    let text: string;
    try {
      text = await readFile(local, 'utf8');
    } catch {
      return { dest: args.dest, desired: Buffer.alloc(0), kind: 'absent', error: `could not find or read template ${args.src} (looked for ${local})` };
    }
    // Rendering happens on the controller: a template error is the task's input error, not the host's.
    const rendered = withNewlines(ctx.renderTemplate(text, local), args.newline_sequence);
    return readWinDest(ctx, args.dest, Buffer.from(rendered, 'utf8'), basename(args.src).replace(/\.j2$/, ''), 'win_template');
  },
  plan: planWinDest,
  apply: (ctx, plan) => applyWinDest(ctx, plan, 'win_template'),
};
