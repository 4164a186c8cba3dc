"""The gate engine: context, gate spec, runner, gate report, blocked datasets, shared reading.

The table of gates is kfm_bot.gates.registry, and kfm_bot.gates.evaluate runs it on a pair."""
