"""Renderings of a finished gate report (text, json, github, markdown); kfm_bot.gates builds it."""
