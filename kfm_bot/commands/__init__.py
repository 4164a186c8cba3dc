"""One module per subcommand; each does the work and returns an exit code."""
