"""The transport-free core: commands (registry.py), features, and the Reply objects they return."""
