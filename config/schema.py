"""OpenAPI: one copy of each operation. /api/v1/ serves exactly what /api/ serves (see config/urls.py)."""


def drop_versioned_copies(endpoints):
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith("/api/v1/")]
