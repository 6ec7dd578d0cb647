def is_htmx(request) -> bool:
    """A request htmx made (a partial swap or a background save), not a page load."""
    return request.headers.get("HX-Request") == "true"
