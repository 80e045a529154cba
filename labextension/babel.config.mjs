// Babel for the ES modules jest loads from node_modules (JupyterLab's own configuration).
module.exports = require('@jupyterlab/testutils/lib/babel.config');
