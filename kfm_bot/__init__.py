"""kfm-bot: the pull-request bot that guards a governed-dataset GitOps repository."""

__version__ = "0.1.0"
