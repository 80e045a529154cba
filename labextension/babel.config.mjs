// Babel for the ES modules jest loads from node_modules (JupyterLab's own configuration).
import config from '@jupyterlab/testutils/lib/babel.config.js';

export default config;
