"""Git for the product: the only place that runs git or touches GitPython.

Callers hold a `gitdir.GitDir` (a path) and get back plain data: str, bytes, int, tuples and
the dataclasses of `read`; never a GitPython object."""
