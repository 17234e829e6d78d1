// Every shipped module, in the order docs list them. Add a module here and nowhere else.
import type { Module } from '../engine/contract/module.js';

export const modules: Module[] = [];
