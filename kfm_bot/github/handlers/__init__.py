"""One module per GitHub event the bot handles."""
