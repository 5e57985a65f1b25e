"""Pages with links (API Design Rules): ?page=2&pageSize=25, at most 100 per page."""

from django.utils.http import urlencode

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25


def page_of(request, queryset, *, page: int, page_size: int):
    """The rows of one page and the `_links` and counts around them."""
    total = queryset.count()
    last = max(1, -(-total // page_size))
    rows = list(queryset[(page - 1) * page_size : page * page_size])

    def href(number):
        params = {k: v for k, v in request.query_params.items() if k not in ("page", "pageSize")}
        params.update({"page": number, "pageSize": page_size})
        return request.build_absolute_uri(request.path) + "?" + urlencode(params)

    links = {"self": {"href": href(page)}, "first": {"href": href(1)}, "last": {"href": href(last)}}
    if page > 1:
        links["prev"] = {"href": href(min(page - 1, last))}
    if page < last:
        links["next"] = {"href": href(page + 1)}
    return rows, {"_links": links, "totalCount": total, "page": page, "pageSize": page_size}
