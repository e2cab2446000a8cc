"""Parse Chinese budget disclosures into the data contract and build the open-data site."""

__version__ = "0.1.0"
