"""`kfm-bot demo`: the whole life of a pull request, narrated, on local git and the emulator."""
