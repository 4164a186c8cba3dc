"""The GitHub side of the bot: client interface, PyGithub adapter, payload models, check runs.

The event handlers live in kfm_bot.handlers, above this adapter."""
