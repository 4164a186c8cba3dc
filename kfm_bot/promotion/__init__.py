"""Promotion on merge: manifest, policy decision, ledger line (kfm_bot.ledger), commit and tag."""
