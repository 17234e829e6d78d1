// service: Ansible's generic service module, which on these hosts (systemd) is systemd_service with
// its smaller argument set. One copy of the logic: read/plan/apply/verify are systemd_service's.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { SERVICE_RETURNS, type ServiceChange, serviceProperties, systemdService, type UnitState } from './systemd-service.js';

const schema = Type.Object(serviceProperties, { additionalProperties: false });
type Args = Static<typeof schema>;

export const service: Module<Args, UnitState, ServiceChange> = {
  meta: {
    name: 'service',
    description: 'Start, stop, restart or reload a service and enable it at boot (systemd hosts).',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'service:\n  name: walinuxagent\n  state: restarted',
    returns: SERVICE_RETURNS,
  },
  schema,
  read: (ctx, args) => systemdService.read(ctx, args),
  plan: (args, cur, ctx) => systemdService.plan(args, cur, ctx),
  apply: (ctx, plan) => systemdService.apply(ctx, plan),
  verify: (args, after, ctx) => systemdService.verify!(args, after, ctx),
};
