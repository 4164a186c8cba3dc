"""Gate G, production posture (warnings only): SBOMs and build provenance."""
