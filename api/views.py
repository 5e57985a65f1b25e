"""HTTP layer only: calls selectors, holds no rules."""

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants import facade as tenants


class IsSupportStaff(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(
            request.user and request.user.is_authenticated and request.user.is_support_staff
        )


class GroupOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    naam = serializers.CharField(source="name")
    stadsdeel = serializers.CharField(source="district")
    buurt = serializers.CharField(source="neighbourhood")


@method_decorator(login_not_required, name="dispatch")
class GroupListApi(APIView):
    """The registry of groups, for the support organisation's staff (no personal data)."""

    permission_classes = [IsSupportStaff]

    def get(self, request):
        groups = tenants.groups_list().order_by("name")
        return Response({"results": GroupOutputSerializer(groups, many=True).data})
