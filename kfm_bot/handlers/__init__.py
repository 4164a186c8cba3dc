"""One module per GitHub event the bot handles (`kfm-bot action`): each filters its event and
calls a use case of kfm_bot.app; `dispatch` routes, `event` holds what a handler receives."""
