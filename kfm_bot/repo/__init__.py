"""Read-only views of a repository's files at a commit or in the working tree."""
