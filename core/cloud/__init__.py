"""Backing a library up to S3-compatible object storage, proving it is there, getting it back.

Objects are content-addressed (``PREFIX/objects/ab/abcdef…`` by sha256), so a renamed or
moved photo is never uploaded twice. The upload queue lives in the catalog
(``cloud_objects``), so a killed backup resumes where it stopped. Credentials come only
from the standard AWS chain and are never written anywhere by Shoebox.
"""
