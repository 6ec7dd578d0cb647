"""Private uploads in an S3-compatible bucket (STORAGES["private"] when
PEERPATH_PRIVATE_STORAGE_BUCKET is set): as on disk, no URL is given out, so a
file is only ever served through the views that check who may see it."""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")
