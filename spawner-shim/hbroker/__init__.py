"""HBroker's Python side: the JupyterHub configuration shim (hbroker.jupyterhub) and, later, the lab extension."""

__version__ = "0.1.0"
