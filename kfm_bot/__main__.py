"""`python -m kfm_bot` runs the command line."""

from kfm_bot.cli import main

main()
