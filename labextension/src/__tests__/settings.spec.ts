// schema/plugin.json is the extension's settings and toolbar/menu declaration: its resources are
// the service's Resources fields, and the UI contract's names are there.
import { readFileSync } from 'fs';
import { join } from 'path';

const plugin = JSON.parse(readFileSync(join(__dirname, '../../schema/plugin.json'), 'utf8'));
const resources = JSON.parse(
  readFileSync(join(__dirname, '../../../schema/resources.schema.json'), 'utf8')
);

describe('settings schema', () => {
  it('offers exactly the Resources fields, with the same types and bounds', () => {
    const ours = plugin.properties.defaultResources.properties;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(resources.properties).sort());
    for (const [key, field] of Object.entries<Record<string, unknown>>(resources.properties)) {
      expect(ours[key].type).toBe(field.type);
      expect(ours[key].minimum).toBe(field.minimum);
      expect(ours[key].exclusiveMinimum).toBe(field.exclusiveMinimum);
    }
  });

  it('declares the settings, the toolbar item and the file-browser menu entry', () => {
    expect(Object.keys(plugin.properties).sort()).toEqual([
      'defaultResources',
      'openResultsOnRelease',
      'serviceUrl'
    ]);
    expect(plugin['jupyter.lab.toolbars'].Notebook).toEqual([
      expect.objectContaining({ name: 'hbroker-submit', command: 'hbroker:submit' })
    ]);
    expect(plugin['jupyter.lab.menus'].context).toEqual([
      expect.objectContaining({
        command: 'hbroker:submit',
        selector: expect.stringContaining('notebook')
      })
    ]);
  });
});
