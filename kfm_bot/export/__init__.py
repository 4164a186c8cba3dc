"""Export packs: consumer deliverables built only from promoted versions, and their verification."""
