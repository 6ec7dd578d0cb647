"""Every API resource is scoped to the caller by default.

A viewset says *what the caller may see* in `scoped_queryset()`; this mixin
makes that the only queryset DRF ever uses, so a list cannot show and a
detail lookup cannot find anything outside it (a 404, never a 403 that would
reveal existence). Overriding `get_queryset` is refused when the class is made.
"""


class ScopedViewSetMixin:
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset; implement scoped_queryset() instead."
            )

    def scoped_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller
            return self.queryset.none()
        return self.scoped_queryset()
