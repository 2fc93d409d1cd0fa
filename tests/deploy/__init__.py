"""Deployment tests: JupyterHub with simulated participants, Kubernetes values, Dockerfile."""
