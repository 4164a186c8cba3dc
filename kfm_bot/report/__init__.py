"""Gate reports: the v1 document and its renderings (text, json, github, markdown)."""
