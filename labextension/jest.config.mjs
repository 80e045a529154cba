// jest for the extension, on @jupyterlab/testutils' configuration (jsdom, ts-jest, ESM packages).
import jestJupyterLab from '@jupyterlab/testutils/lib/jest-config.js';

const here = import.meta.dirname;
const base = jestJupyterLab(here);

export default {
  ...base,
  reporters: ['default'],
  testRegex: 'src/.*\\.spec\\.ts$',
  modulePathIgnorePatterns: ['<rootDir>/hbroker/', '<rootDir>/lib/'],
  // The service's sources use NodeNext-style ".js" suffixes on relative imports.
  moduleNameMapper: { ...base.moduleNameMapper, '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    ...base.transform,
    '^.+\\.tsx?$': ['ts-jest/legacy', { tsconfig: `${here}/tsconfig.test.json` }]
  }
};
