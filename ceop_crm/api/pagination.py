from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination


class PageNumberPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 200); 50 rows a page by default.

    A view may name the number of its rows for a request (``shared_count``: a
    callable of the request and the queryset returning the count, or None to
    count as usual): a list whose count grows with the data keeps it shared
    between requests (the organisations: partners.apis.organisations).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        shared = getattr(view, "shared_count", None)
        self.counted = shared(request, queryset) if shared is not None else None
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, queryset, per_page) -> Paginator:
        paginator = Paginator(queryset, per_page)
        if self.counted is not None:
            paginator.count = self.counted  # instead of its COUNT(*)
        return paginator
