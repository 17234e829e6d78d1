export * from './diagnostics.js';
export * from './connection.js';
export * from './module.js';
export * from './playbook.js';
export * from './inventory.js';
export * from './template.js';
export * from './events.js';
export * from './stats.js';
