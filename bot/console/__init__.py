"""The local console: the same commands as on Discord, in a terminal or from a script."""
