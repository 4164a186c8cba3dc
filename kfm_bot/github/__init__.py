"""The GitHub side of the bot: client interface, PyGithub adapter, check runs, event handlers."""
