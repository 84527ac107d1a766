"""The ASGI handler for HTTP: Django's, with the middleware run in one thread hop.

Django's ``ASGIHandler`` runs middleware in async mode, and every middleware
built on ``MiddlewareMixin`` (sessions, CSRF, auth, messages, …: all of ours
but htmx and allauth) then calls each of its hooks through ``sync_to_async``:
about ten hops between the event loop and the request's thread per request,
each waiting for the loop, which under load is busy delivering socket pushes.
Here the whole middleware chain runs synchronously in the request's thread
(one hop in); an async view (the send endpoint) is run by Django on the event
loop from there, a sync view in that same thread.
"""

from django.core.handlers.asgi import ASGIHandler


class SyncMiddlewareASGIHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        self._middleware_chain = self.adapt_method_mode(True, self._middleware_chain, False)
