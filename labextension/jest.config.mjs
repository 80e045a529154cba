// jest for the extension, on @jupyterlab/testutils' configuration (jsdom, ts-jest, ESM packages).
const jestJupyterLab = require('@jupyterlab/testutils/lib/jest-config');

const base = jestJupyterLab(__dirname);

module.exports = {
  ...base,
  reporters: ['default'],
  testRegex: 'src/.*\\.spec\\.ts$',
  modulePathIgnorePatterns: ['<rootDir>/hbroker/', '<rootDir>/lib/'],
  // The service's sources use NodeNext-style ".js" suffixes on relative imports.
  moduleNameMapper: { ...base.moduleNameMapper, '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    ...base.transform,
    '^.+\\.tsx?$': ['ts-jest/legacy', { tsconfig: `${__dirname}/tsconfig.test.json` }]
  }
};
