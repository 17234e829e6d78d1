export { loadInventory, type LoadInventoryOptions } from './load-inventory.js';
export { applyLimit } from './limit.js';
export { splitPattern } from './patterns.js';
export { LOCALHOST_NAMES } from './resolved-inventory.js';
