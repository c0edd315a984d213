"""Notice letters and the held-data package of a request (mounted at /requests/letters/).

Paths carry internal ids only: the request's or the letter's primary key, never a name or number.
"""

from django.urls import path

from . import letter_views

app_name = "letters"

urlpatterns = [
    path("request/<int:pk>/issue/", letter_views.issue, name="issue"),
    path("request/<int:pk>/preview/", letter_views.preview, name="preview"),
    path("request/<int:pk>/held-data.pdf", letter_views.package_pdf, name="package_pdf"),
    path("request/<int:pk>/held-data.json", letter_views.package_json, name="package_json"),
    path("<int:pk>/download/", letter_views.download, name="download"),
]
