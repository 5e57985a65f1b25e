"""Exports of the learning space (admin). An anonymous post's group never leaves in one."""

from import_export import fields, resources

from .models import Article, Post


class ArticleResource(resources.ModelResource):
    class Meta:
        model = Article
        fields = ("id", "title", "kind", "visibility", "status", "published_at", "review_on")
        export_order = fields


class PostResource(resources.ModelResource):
    group = fields.Field(column_name="group")
    solved = fields.Field(column_name="solved")

    class Meta:
        model = Post
        fields = ("id", "kind", "title", "created_at", "group", "anonymous", "solved",
                  "reply_count", "hidden")  # fmt: skip
        export_order = fields

    def get_queryset(self):
        return Post.objects.select_related("group").order_by("id")

    def dehydrate_group(self, post: Post) -> str:
        if post.anonymous or post.group is None:
            return ""
        return post.group.name

    def dehydrate_solved(self, post: Post) -> bool:
        return post.solved_reply_id is not None
