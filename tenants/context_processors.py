def current_group(request):
    return {
        "group": getattr(request, "group", None),
        "access": getattr(request, "group_access", None),
    }
