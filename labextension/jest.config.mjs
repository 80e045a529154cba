// jest for the extension, on @jupyterlab/testutils' configuration (jsdom, ts-jest, ESM packages).
import babelConfig from '@jupyterlab/testing/lib/babel-config.js';
import jestJupyterLab from '@jupyterlab/testutils/lib/jest-config.js';

const here = import.meta.dirname;
const base = jestJupyterLab(here);
// Packages shipped as ES modules, which babel turns into CommonJS for jest (as the template does).
const esModules = [
  '@codemirror',
  '@jupyter',
  '@jupyterlab',
  '@lezer',
  '@lumino',
  '@marijn',
  '@microsoft',
  'color',
  'exenv-es6',
  'lib0',
  'marked',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

export default {
  ...base,
  reporters: ['default'],
  testRegex: 'src/.*\\.spec\\.ts$',
  modulePathIgnorePatterns: ['<rootDir>/hbroker/', '<rootDir>/lib/'],
  // The service's sources use NodeNext-style ".js" suffixes on relative imports.
  moduleNameMapper: { ...base.moduleNameMapper, '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    ...base.transform,
    '^.+\\.tsx?$': ['ts-jest/legacy', { tsconfig: `${here}/tsconfig.test.json` }],
    '^.+\\.jsx?$': ['babel-jest', babelConfig.default ?? babelConfig]
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esModules})/).+`]
};
