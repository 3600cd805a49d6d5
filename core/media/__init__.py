"""Reading photo and video files: formats, metadata, pixels, hashes and thumbnails."""
