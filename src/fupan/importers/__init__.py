"""Importers from other forum software; ``discuz/`` reads a Discuz! X3.5 database."""
