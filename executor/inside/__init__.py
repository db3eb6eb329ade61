"""Code that runs inside the sandbox: the warm pool (zygote), each job's init and the job itself.

Standard library only, and only relative imports: the host binds this folder read-only into the
sandbox as a top-level package, so the project's own tree stays invisible to jobs.
"""
