"""The SeaweedFS server of the S3 tests: shared with `make demo-s3` (kfm_bot/emulator)."""

from kfm_bot.emulator.seaweed import ACCESS_KEY, BUCKET, SECRET_KEY, S3Server, seaweed, weed_binary

__all__ = ["ACCESS_KEY", "BUCKET", "SECRET_KEY", "S3Server", "seaweed", "weed_binary"]
