"""The gate engine: context, gate spec, runner, gate report, blocked datasets, shared reading.

The table of gates is kfm_bot.gates.engine.registry, and kfm_bot.gates.engine.evaluate runs it on a pair."""
