"""Git for the product: the only place that runs git or touches GitPython."""
