/** Shared by the rows tests: a small template over `people.csv`, its config, and throwaway projects. */
import { afterEach } from 'vitest';
import type { ResolvedConfig } from '../../src/model/config.js';
import { makeConfig } from './config.js';
import { cleanup, makeProject } from './helpers.js';

/** One video per row of people.csv (columns id, name). */
export const TEMPLATE = `rows: people.csv
id: hi/{{ id }}
avatar: presenter
scenes:
  - script: Hello {{ name }}!
`;

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach(cleanup));

/** A project with these files, removed after the test. */
export function rowsProject(files: Record<string, string | Buffer>): string {
  const root = makeProject(files);
  roots.push(root);
  return root;
}

/** The config the templates use: a `presenter` avatar speaking with the `narrator` voice. */
export function rowsConfig(root: string): ResolvedConfig {
  return makeConfig(root, { avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: { id: 'v1' } } });
}
