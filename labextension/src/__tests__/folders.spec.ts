// Each job's folder is remembered in JupyterLab's state database, so results land beside the
// submitted notebook after a reload too.
import { StateDB } from '@jupyterlab/statedb';
import { JobFolders } from '../folders';

describe('JobFolders', () => {
  it('keeps job folders across a reload of the page', async () => {
    const state = new StateDB();
    const before = new JobFolders(state);
    await before.ready;
    await before.set('job-1', 'projects/heart');
    await before.set('job-2', '');
    const after = new JobFolders(state);
    await after.ready;
    expect(after.get('job-1')).toBe('projects/heart');
    expect(after.get('job-2')).toBe('');
    expect(after.get('job-3')).toBeUndefined();
  });

  it('works without a state database, for the session only', async () => {
    const folders = new JobFolders();
    await folders.set('job-1', 'a');
    expect(folders.get('job-1')).toBe('a');
  });
});
