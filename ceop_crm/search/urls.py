from django.urls import path

from ceop_crm.search.views import GlobalSearchView

app_name = "search"

urlpatterns = [path("search/", GlobalSearchView.as_view(), name="search")]
