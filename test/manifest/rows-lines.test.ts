/** Each CSV row's line, found without csv-parse's per-record details, on the texts that make it hard. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.js';
import { rowsConfig, rowsProject, TEMPLATE } from './rows-helpers.js';

/** Each row's id and line, or each problem's line. */
async function lines(csv: string): Promise<string[]> {
  const root = rowsProject({ 'a.yaml': TEMPLATE, 'people.csv': csv });
  const config = rowsConfig(root);
  const r = await loadManifests([path.join(root, 'a.yaml')], { config, manifestsRoot: '.', cache: false });
  const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.location?.file}:${d.location?.line}`);
  return [...errors, ...r.specs.map((s) => `${s.id} ${s.row?.line}`).sort()];
}

describe('CSV row lines', () => {
  it('count blank lines, quoted line breaks (LF and CRLF), doubled quotes and a BOM', async () => {
    const lf = '\uFEFF\nid,name\n\n1,"a\nb"\n\n2,"say ""x\ny"""\n3,"c\r\nd\r\ne"\n\n\n4,Ann';
    expect(await lines(lf)).toEqual(['hi/1 4', 'hi/2 7', 'hi/3 9', 'hi/4 14']);
    const crlf = 'id,name\r\n\r\n1,"a\r\nb"\r\n2,"say ""x\ny"""\r\n\r\n3,Cy\r\n';
    expect(await lines(crlf)).toEqual(['hi/1 3', 'hi/2 5', 'hi/3 8']);
  });

  it('place a quote that is never closed at the line and column where it opens, not where the file ends', async () => {
    const root = rowsProject({ 'a.yaml': TEMPLATE, 'people.csv': '\uFEFFid,name\n1,"say ""hi""\nthere"\n2,"Bo\n3,Cy\n' });
    const r = await loadManifests([path.join(root, 'a.yaml')], { config: rowsConfig(root), manifestsRoot: '.', cache: false });
    const [d] = r.diagnostics;
    expect(d).toMatchObject({ code: 'E_ROWS_DATA', location: { file: 'people.csv', line: 4, column: 3 } });
    expect(d!.message).toContain('never closed');
    expect(r.diagnostics).toHaveLength(1);
  });

  it('place a bad row after quoted line breaks at its own line', async () => {
    // The other rows still load (at their own lines, row 3 after the quoted break) and are checked.
    expect(await lines('id,name\n1,"a\nb"\n2\n3,Cy\n')).toEqual(['E_ROWS_DATA people.csv:4', 'hi/1 2', 'hi/3 5']);
  });
});
