"""Coding challenges: `/challenge` lists, starts, grades (on the executor's sandbox), hints and ranks."""
