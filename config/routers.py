from rest_framework.routers import SimpleRouter


class Router(SimpleRouter):
    """Numeric ids only in detail URLs: anything else is simply not found (never a database error)."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_field", "pk") == "pk" and not hasattr(viewset, "lookup_value_regex"):
            viewset.lookup_value_regex = r"[0-9]{1,18}"
        return super().get_lookup_regex(viewset, lookup_prefix)
