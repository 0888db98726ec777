import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupan.conf.settings")
application = get_wsgi_application()

# A server process keeps what it has drawn (floors, list rows, settings) and makes many small
# objects per page: with Python's default threshold (700 new objects) a big thread page set off
# several collections, each walking every kept object — 4% of a 20-floor page's instructions.
# Collecting the youngest generation every 10,000 objects instead cost none of that; cycles
# still go, a little later.
gc.set_threshold(10_000, 20, 50)
