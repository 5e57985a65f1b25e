def current_group(request):
    """The group and the person's access, only once the access gate has let them through.

    A person refused by the gate gets a 404 page that must not show which group it was.
    """
    access = getattr(request, "group_access", None)
    if access is None:
        return {"group": None, "access": None}
    return {"group": getattr(request, "group", None), "access": access}
