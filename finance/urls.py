"""The books of a group, mounted at /g/<slug>/financien/; each subdomain brings its own URLs.

All names live in the one `finance` namespace, so templates say `finance:entries`,
`finance:bank_lines`, … whichever subdomain serves them.
"""

from django.urls import include, path

app_name = "finance"

urlpatterns = [
    path("", include("finance.reports.urls")),
    path("", include("finance.ledger.urls")),
    path("", include("finance.grants.urls")),
    path("", include("finance.closing.urls")),
    path("", include("finance.bank.urls")),
    path("", include("finance.claims.urls")),
    path("", include("finance.todo_pages")),
]
