"""Gate D, catalog triplet: DCAT, STAC and PROV exist, agree and link up."""
