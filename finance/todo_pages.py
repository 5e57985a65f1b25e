"""The person's own to-do in a group: a page, and the block the group's start page loads."""

from django.shortcuts import render
from django.urls import path

from finance import todo
from finance.web import readers


@readers
def my_todo(request):
    """Full page without JavaScript; the start page's block (htmx) gets only the list."""
    template = "finance/_todo.html" if request.htmx else "finance/todo.html"
    return render(request, template, {"todo": todo.todo_for(request.user)})


urlpatterns = [path("mijn-taken/", my_todo, name="my_todo")]
