"""Zones: where a dataset's bytes live (DESIGN.md section 12), behind one interface.

`policies/storage.yaml` names each zone (at least `processed` and `published`) with a URL,
`file://dir` (relative to the repository, or `file:///abs`) or `s3://bucket/prefix` (endpoint
and credentials only from AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_REGION). Only `config.py` and `store.py` know the two kinds; both are served by obstore.

The contract, for gate E and for promotion (which publishes with it):

- `config.load_zones(repo_root) -> Zones`; `zones["processed"] -> Zone` (UsageError, exit 2,
  located in storage.yaml, when the file or the zone is missing or invalid).
- `store.ZoneStore(zone)`, keys relative to the zone, `/`-separated, no `.`/`..`:
  - `head(key) -> ObjectInfo(key, size, version) | None` — one request; `version` is the
    version id or ETag and changes whenever the bytes do.
  - `open_stream(key) -> Iterator[buffer]` — 1 MiB chunks, constant memory; ObjectMissing.
  - `put_if_absent(key, chunks) -> ObjectInfo` — streams to a staging key, then a copy that
    refuses to overwrite; ObjectExists (carrying the existing ObjectInfo) when anything is at
    `key`. Never leaves a partial object at `key`.
  - `copy_if_absent(source_store, src_key, dst_key) -> ObjectInfo` — server-side when both
    zones share an S3 bucket, else streamed; ObjectExists as above.
  - `list(prefix) -> Iterator[ObjectInfo]` — staging objects excluded.
  Any other failure (refused, 5xx or timeouts after obstore's bounded retries, bad
  credentials) is `ZoneUnreachable`, a ServiceError: exit 3, message without credentials.
- `verify.verify_objects(zones, [ObjectRef(zone, key, digest, size)], cache) -> [Verdict]`:
  `ok | missing | size-mismatch | digest-mismatch`, streamed, bounded pool, cached by version
  (`cache.DigestCache(cache.default_path())`).

Publishing (promotion) is expected to: copy_if_absent(processed, key, "sha256/<hex>") into
`published`; on ObjectExists accept it only when verify says the existing object has the
digest (idempotent re-run), else fail; verify the digest after every copy. Content-addressed
keys make a re-run after a crash a no-op.
"""
