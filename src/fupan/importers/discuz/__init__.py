"""Import a Discuz! X3.5 site: ``fupan import-discuz --mysql mysql://…`` (see ``importer.py``).

``php.py`` reads serialized PHP, ``convert.py`` turns Discuz values into ours, ``source.py`` reads
MySQL in keyset batches, ``framework.py`` runs one step per table with checkpoints,
``steps_*.py`` are the table importers. ``links.py``/``views.py``/``urls.py`` redirect old URLs.
"""
