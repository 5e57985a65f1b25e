"""Admin for coordinators: read and export; writes go through the pages and their services."""

from django.contrib import admin
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Post, Report
from .resources import ArticleResource, PostResource


class ReadOnlyAdmin(ExportMixin, SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    resource_classes = [ArticleResource]
    list_display = ("__str__", "kind", "visibility", "status", "published_at", "review_on")
    list_filter = ("status", "kind", "visibility")
    search_fields = ("title",)


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    """The group of an anonymous post is left out of the list and the export."""

    resource_classes = [PostResource]
    list_display = ("title", "kind", "shown_group", "created_at", "hidden")
    list_filter = ("kind", "hidden")
    search_fields = ("title",)
    exclude = ("group", "author")

    @admin.display(description="groep")
    def shown_group(self, post):
        return "" if post.anonymous or post.group_id is None else post.group.name

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "outcome", "created_at")
    list_filter = ("outcome",)
