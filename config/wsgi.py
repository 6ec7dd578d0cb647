import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

# Requests served before the long-lived objects (modules, URL patterns,
# compiled templates, translation catalogues) are set aside from the garbage
# collector. Until then, a full collection walks all of them, some 190,000
# objects: a pause of a few hundred milliseconds every twenty-odd requests of
# a dashboard, on whichever request it falls. Frozen, a full collection walks
# only what requests left behind.
WARM_UP_REQUESTS = 20


class _FreezeWhenWarm:
    def __init__(self, app, after: int):
        self.app, self.left = app, after

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        finally:
            if self.left > 0:
                self.left -= 1
                if self.left == 0:
                    gc.collect()  # what is garbage now is not kept forever
                    gc.freeze()


gc.freeze()  # what Django's set-up made
application = _FreezeWhenWarm(get_wsgi_application(), WARM_UP_REQUESTS)
