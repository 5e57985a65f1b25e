from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from backoffice.core.exports import NeutralisingResource, neutralising_resource_for
from tenants.models import AccessLogEntry, Assignment, Group, Membership, User


class UserResource(NeutralisingResource):
    class Meta:
        model = User
        fields = ("id", "username", "email", "first_name", "last_name", "org_role", "is_active")


@admin.register(User)
class UserAdmin(ImportExportModelAdmin, SimpleHistoryAdmin, BaseUserAdmin):
    resource_classes = [UserResource]
    list_display = ("username", "email", "first_name", "last_name", "org_role", "is_active")
    list_filter = ("org_role", "is_active", "is_staff")
    fieldsets = BaseUserAdmin.fieldsets + (("Buurtkas", {"fields": ("org_role", "phone")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["user"]


class GroupResource(NeutralisingResource):
    class Meta:
        model = Group
        fields = ("id", "name", "slug", "district", "neighbourhood", "is_active", "created_at")
        import_id_fields = ("slug",)


@admin.register(Group)
class GroupAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Groups are created through the coordinator's form (it clones the schema), not here."""

    resource_classes = [GroupResource]
    list_display = ("name", "slug", "district", "neighbourhood", "is_active")
    list_filter = ("district", "is_active")
    search_fields = ("name", "slug", "neighbourhood")
    readonly_fields = ("slug", "schema_name", "created_at")
    fields = ("name", "slug", "schema_name", "district", "neighbourhood", "is_active", "created_at")
    inlines = [MembershipInline, AssignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_template=False)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [neutralising_resource_for(Membership)]
    list_display = ("user", "group", "role", "since")
    list_filter = ("role", "group")
    autocomplete_fields = ["user", "group"]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "group", "since")
    autocomplete_fields = ["user", "group"]


@admin.register(AccessLogEntry)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "group", "method", "path")
    list_filter = ("group",)
    search_fields = ("username", "path")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
