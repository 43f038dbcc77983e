from .navigation import entries_for


def navigation(request):
    return {"navigation": entries_for(request.user, request.path_info)}
