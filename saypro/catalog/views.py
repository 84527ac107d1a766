from django.shortcuts import render


def home(request):
    return render(request, "catalog/pages/home.html")
