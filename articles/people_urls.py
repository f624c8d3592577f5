from django.urls import path

from articles import people_views as views

app_name = "people"
urlpatterns = [
    path("<slug:slug>/", views.PersonView.as_view(), name="detail"),
]
