"""HBroker's Python side: the JupyterHub configuration shim (hbroker.jupyterhub) arrives with the JupyterHub issue."""

__version__ = "0.1.0"
