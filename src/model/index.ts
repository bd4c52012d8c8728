export * from './spec.js';
export * from './config.js';
export * from './lock.js';
export * from './plan.js';
export * from './template.js';
export * from './overlay.js';
export * from './catalog.js';
